/**
 * GetRandomPassword: PasswordLength 1 to 4096 (32 by default) from lowercase, uppercase, digits and
 * punctuation (and a space with IncludeSpace), less the excluded classes and characters; with
 * RequireEachIncludedType (the default) one of each included class at least. Cryptographic
 * randomness (node:crypto), not the context's replayable Rng: these are passwords.
 */
import { randomInt } from 'node:crypto';
import type { GetRandomPasswordRequest, GetRandomPasswordResponse } from '@aws-sdk/client-secrets-manager';
import type { Wire } from '../core/wire.ts';
import { invalidParameter, type SecretsManagerContext } from './model/records.ts';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

export function randomPassword(input: Wire<GetRandomPasswordRequest>): string {
  const length = input.PasswordLength ?? 32;
  if (!Number.isInteger(length) || length < 1 || length > 4096) {
    throw invalidParameter('PasswordLength must be between 1 and 4096.');
  }
  const excluded = input.ExcludeCharacters ?? '';
  if (typeof excluded !== 'string' || excluded.length > 4096) {
    throw invalidParameter('ExcludeCharacters must be at most 4096 characters.');
  }
  const classes: string[] = [];
  const keep = (chars: string) => [...chars].filter((c) => !excluded.includes(c)).join('');
  if (input.ExcludeLowercase !== true) classes.push(keep(LOWER));
  if (input.ExcludeUppercase !== true) classes.push(keep(UPPER));
  if (input.ExcludeNumbers !== true) classes.push(keep(DIGITS));
  if (input.ExcludePunctuation !== true) classes.push(keep(PUNCTUATION));
  if (input.IncludeSpace === true) classes.push(keep(' '));
  const included = classes.filter((c) => c.length > 0);
  if (included.length === 0) {
    throw invalidParameter('The password cannot be generated: every character type is excluded.');
  }
  const requireEach = input.RequireEachIncludedType !== false;
  if (requireEach && length < included.length) {
    throw invalidParameter(
      `PasswordLength ${length} is too short to include a character of each of the ${included.length} included types.`,
    );
  }
  const all = included.join('');
  const chars: string[] = [];
  if (requireEach) for (const c of included) chars.push(c[randomInt(c.length)] as string);
  while (chars.length < length) chars.push(all[randomInt(all.length)] as string);
  // Fisher-Yates, so the required characters are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}

export async function getRandomPassword(
  _ctx: SecretsManagerContext,
  input: Wire<GetRandomPasswordRequest>,
): Promise<Wire<GetRandomPasswordResponse>> {
  return { RandomPassword: randomPassword(input) };
}
