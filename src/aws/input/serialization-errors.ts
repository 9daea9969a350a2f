/**
 * The `SerializationException` texts AWS JSON services (Coral) answer when a request body does not
 * deserialize into the operation's input shape. They name the JSON token and the expected type,
 * never the member: "STRING_VALUE can not be converted to an Integer", "Expected list or null",
 * "Start of structure or map found where not expected." (as measured on Athena, Cognito and SES
 * by emulators that copy them, e.g. floci-io/floci#2867).
 */
import type { ServiceError } from '../../core/errors.ts';
import { AwsErrorCode, ProtocolError } from '../errors.ts';

/** The Java type names Coral puts in "can not be converted to ..." messages. */
const TYPE_NAMES: Readonly<Record<string, string>> = {
  byte: 'a Byte',
  short: 'a Short',
  integer: 'an Integer',
  long: 'a Long',
  float: 'a Float',
  double: 'a Double',
  string: 'a String',
  boolean: 'a Boolean',
  blob: 'a Blob',
  timestamp: 'milliseconds since epoch',
};

/** What a JSON container was found to be, where the shape expects something else. */
export type ExpectedShape = keyof typeof TYPE_NAMES | 'list' | 'map' | 'structure';

/** The error for `value` (any JSON value) where the shape expects `expected`. */
export function cannotConvert(value: unknown, expected: ExpectedShape): ServiceError {
  if (Array.isArray(value)) return serialization('Start of list found where not expected');
  if (typeof value === 'object' && value !== null) {
    return serialization('Start of structure or map found where not expected.');
  }
  if (expected === 'list') return serialization('Expected list or null');
  if (expected === 'map') return serialization('Expected map or null');
  if (expected === 'structure') return serialization('Expected null');
  return serialization(`${tokenName(value)} can not be converted to ${TYPE_NAMES[expected]}`);
}

function tokenName(value: unknown): string {
  if (typeof value === 'string') return 'STRING_VALUE';
  if (typeof value === 'number') return 'NUMBER_VALUE';
  return value ? 'TRUE_VALUE' : 'FALSE_VALUE';
}

function serialization(message: string): ServiceError {
  return new ProtocolError(AwsErrorCode.SerializationException, message);
}
