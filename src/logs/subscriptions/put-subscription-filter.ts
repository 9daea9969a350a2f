/** PutSubscriptionFilter: checked like CloudWatch, then refused: no destination exists in Longshore yet (destinations.ts). */
import type { PutSubscriptionFilterRequest } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import { compileFilterPattern, FilterPatternError } from '../filter-pattern/index.ts';
import { invalidParameter, validationFailed } from '../model/errors.ts';
import { getLogGroup } from '../model/groups.ts';
import { checkGroupName, checkStreamName } from '../model/names.ts';
import type { LogsContext } from '../model/records.ts';
import { checkDestination } from './destinations.ts';

const DISTRIBUTIONS = ['Random', 'ByLogStream'] as const;

export async function putSubscriptionFilter(
  ctx: LogsContext,
  input: PutSubscriptionFilterRequest,
  _request: RequestContext,
): Promise<Record<string, never>> {
  checkGroupName(input.logGroupName!);
  checkStreamName(input.filterName!, 'filterName');
  if (
    input.distribution !== undefined &&
    !(DISTRIBUTIONS as readonly string[]).includes(input.distribution)
  ) {
    throw validationFailed(
      'distribution',
      input.distribution,
      `Member must satisfy enum value set: [${DISTRIBUTIONS.join(', ')}]`,
    );
  }
  try {
    compileFilterPattern(input.filterPattern!);
  } catch (error) {
    if (error instanceof FilterPatternError) throw invalidParameter('Invalid subscription filter pattern');
    throw error;
  }
  await getLogGroup(ctx.store, input.logGroupName!);
  checkDestination(input.destinationArn!);
}
