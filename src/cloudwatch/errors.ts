/**
 * CloudWatch's errors in its own words. Parameter paths are the Query form CloudWatch uses in
 * every protocol (`MetricData.member.2.Timestamp`); the gateway writes the Query codes
 * (InvalidParameterValue, InvalidParameterCombination, MissingParameter) and statuses.
 */
import { AwsErrorCode, ProtocolError } from '../aws/errors.ts';
import { ServiceError } from '../core/errors.ts';
import { UNITS } from './model/units.ts';

export const invalidValue = (message: string) => new ServiceError('InvalidParameterValueException', message);
export const invalidCombination = (message: string) =>
  new ServiceError('InvalidParameterCombinationException', message);
export const missingParameter = (path: string) =>
  new ServiceError('MissingRequiredParameterException', `The parameter ${path} is required.`);
/**
 * GetMetricData's refusals: CloudWatch's `ValidationError`, a code its model has no shape for. The
 * gateway's ValidationException is written as ValidationError over Query and in x-amzn-query-error.
 */
export const validationError = (message: string) => new ProtocolError(AwsErrorCode.Validation, message, 400);

/** `The value X for parameter P is invalid.` */
export const invalidParameter = (value: unknown, path: string) =>
  invalidValue(`The value ${String(value)} for parameter ${path} is invalid.`);

/** `The collection P must not have a size greater than N.` */
export function checkSize(list: readonly unknown[] | undefined, path: string, max: number): void {
  if (list && list.length > max)
    invalidValueThrow(`The collection ${path} must not have a size greater than ${max}.`);
}

function invalidValueThrow(message: string): never {
  throw invalidValue(message);
}

export { UNITS };

export function checkUnit(unit: string | undefined, path: string): void {
  if (unit !== undefined && !UNITS.has(unit)) throw invalidParameter(unit, path);
}

/** Period in seconds: 1, 5, 10, 30 or a multiple of 60 (high-resolution periods below a minute). */
export function validPeriod(period: number): boolean {
  return Number.isInteger(period) && period > 0 && (period % 60 === 0 || [1, 5, 10, 30].includes(period));
}

export interface DimensionInput {
  Name?: string;
  Value?: string;
}

/** Dimensions: at most 30, names 1-255 ASCII characters (not `:` first), values 1-1024 characters, no name twice. */
export function checkDimensions(dims: readonly DimensionInput[] | undefined, path: string): void {
  checkSize(dims, path, 30);
  const seen = new Set<string>();
  (dims ?? []).forEach((d, i) => {
    const at = `${path}.member.${i + 1}`;
    if (d.Name === undefined) throw missingParameter(`${at}.Name`);
    if (d.Value === undefined) throw missingParameter(`${at}.Value`);
    // Names: 1-255 ASCII characters, not all whitespace, no control characters, no leading colon.
    if (d.Name.length > 255 || !/^[\x20-\x7e]*\S[\x20-\x7e]*$/.test(d.Name) || d.Name.startsWith(':'))
      throw invalidParameter(d.Name, `${at}.Name`);
    if (d.Value.length < 1 || d.Value.length > 1024) throw invalidParameter(d.Value, `${at}.Value`);
    if (seen.has(d.Name))
      throw invalidCombination(`No metric may have duplicate dimension names: ${path} repeats ${d.Name}.`);
    seen.add(d.Name);
  });
}

/** Epoch seconds (what the gateway hands handlers) to epoch ms. */
export const toMs = (seconds: number | Date) =>
  seconds instanceof Date ? seconds.getTime() : Math.round(Number(seconds) * 1000);

/** "1,441": CloudWatch writes datapoint counts with thousands separators. */
export const withCommas = (n: number) => n.toLocaleString('en-US');
