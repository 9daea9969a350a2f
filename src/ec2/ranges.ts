/** Reading the CIDR blocks requests carry, with EC2's error for text that is no range at all. */
import { type Cidr, parseCidr } from './model/cidr.ts';
import { invalidValue } from './model/errors.ts';

/**
 * The range `text` names, host bits allowed (callers that need an aligned range check that
 * themselves, with their own error). Not a range at all: InvalidParameterValue naming `parameter`.
 */
export function shapeCheckedCidr(text: string, parameter: string): Cidr {
  const cidr = parseCidr(text, false);
  if (!cidr)
    throw invalidValue(
      `Value (${text}) for parameter ${parameter} is invalid. This is not a valid CIDR block.`,
    );
  return cidr;
}
