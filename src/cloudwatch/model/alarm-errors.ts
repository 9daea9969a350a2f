/**
 * The errors alarm operations answer, in CloudWatch's words. The model raises them so that every
 * caller (handlers, Application Auto Scaling's target-tracking alarms) gets the same checks.
 * `ValidationException` is written as `ValidationError` over Query and in `x-amzn-query-error`.
 */
import { ServiceError } from '../../core/errors.ts';

export const alarmValidation = (message: string) => new ServiceError('ValidationException', message);
export const alarmInvalidValue = (message: string) =>
  new ServiceError('InvalidParameterValueException', message);
export const alarmInvalidCombination = (message: string) =>
  new ServiceError('InvalidParameterCombinationException', message);
export const alarmMissing = (path: string) =>
  new ServiceError('MissingRequiredParameterException', `The parameter ${path} is required.`);
export const alarmNotFound = (message: string) => new ServiceError('ResourceNotFound', message);
export const alarmLimitExceeded = (message: string) => new ServiceError('LimitExceededFault', message);

/** `The value X for parameter P is invalid.` */
export const alarmInvalidParameter = (value: unknown, path: string) =>
  alarmInvalidValue(`The value ${String(value)} for parameter ${path} is invalid.`);
