/** The scheduler is pure and knows nothing of HTTP: its input errors become ECS's InvalidParameterException here. */
import { ServiceError } from '../../core/errors.ts';
import { EcsErrorCode } from './errors.ts';
import { SchedulerInputError } from '../../scheduler/index.ts';

export function mapSchedulerErrors<T>(work: Promise<T>): Promise<T> {
  return work.catch((error: unknown) => {
    if (error instanceof SchedulerInputError)
      throw new ServiceError(EcsErrorCode.InvalidParameter, error.message);
    throw error;
  });
}
