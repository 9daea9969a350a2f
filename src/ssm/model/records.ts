/**
 * SSM parameters as stored (`Kind.SsmParameter`, keyed by name in the region's store view): tags
 * and every kept version (oldest first, at most 100), SecureString values sealed by the value cipher
 * (`src/crypto/value-cipher.ts`) bound to the parameter's ARN and version. Names, hierarchies,
 * selectors and lookups answer Parameter Store's errors.
 */
import type { Partition } from '../../core/arn.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import { ServiceError } from '../../core/errors.ts';
import type { ValueCipher } from '../../crypto/value-cipher.ts';
import { Kind, type Reader, type Store } from '../../store/store.ts';

/** What SSM handlers and the model functions work with (the same shape as Secrets Manager's). */
export interface SsmContext {
  store: Store;
  clock: Clock;
  rng: Rng;
  partition: Partition;
  cipher: () => ValueCipher;
}

export type ParameterType = 'String' | 'StringList' | 'SecureString';
export type ParameterTier = 'Standard' | 'Advanced';

export interface ParameterVersion {
  version: number;
  type: ParameterType;
  /** String and StringList values as given. */
  value?: string;
  /** SecureString values, sealed. */
  sealed?: string;
  keyId?: string;
  description?: string;
  allowedPattern?: string;
  tier: ParameterTier;
  dataType: string;
  labels: string[];
  modifiedAt: number;
}

export interface ParameterTag {
  Key: string;
  Value: string;
}

export interface ParameterRecord {
  name: string;
  tags: ParameterTag[];
  /** Oldest first; the last is the current one. */
  versions: ParameterVersion[];
}

export const MAX_HISTORY = 100;
export const MAX_LEVELS = 15;

export const validation = (message: string) => new ServiceError('ValidationException', message);

/** GetParameter and DeleteParameter answer ParameterNotFound with no message, as SSM does. */
export const parameterNotFound = (message = '') => new ServiceError('ParameterNotFound', message);

const NAME_RULES =
  'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';

export function parameterArn(partition: Partition, name: string): string {
  return `arn:aws:ssm:${partition.region}:${partition.accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
}

/** A name (or an ARN of this region and account, given as a name) as stored. */
export function nameOf(partition: Partition, nameOrArn: string): string {
  const m = /^arn:aws[a-z-]*:ssm:([a-z0-9-]*):(\d*):parameter(\/.*)$/.exec(nameOrArn);
  if (!m) return nameOrArn;
  // Another region's or account's parameter: kept as given, which names nothing here.
  if (m[1] !== partition.region || m[2] !== partition.accountId) return nameOrArn;
  const rest = m[3] as string;
  // `parameter/x` is the ARN of `x` and of `/x`; which exists decides (the hierarchical one first).
  return rest.split('/').length > 2 ? rest : rest.slice(1);
}

/** Checks a parameter name: characters, reserved prefixes, hierarchy shape and depth, length. */
export function checkName(partition: Partition, name: unknown): string {
  if (typeof name !== 'string' || name.length < 1 || name.length > 2048) throw validation(NAME_RULES);
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(name)) throw validation(NAME_RULES);
  if (/^\/?(aws|ssm)/i.test(name)) throw validation(NAME_RULES);
  if (name.includes('/')) {
    if (!name.startsWith('/')) throw validation('Parameter name must be a fully qualified name.');
    if (name.endsWith('/') || name.includes('//')) throw validation(NAME_RULES);
    if (name.split('/').length - 1 > MAX_LEVELS) {
      throw new ServiceError(
        'HierarchyLevelLimitExceededException',
        'A hierarchy can have a maximum of 15 levels. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html',
      );
    }
  }
  if (parameterArn(partition, name).length > 1011) {
    throw validation(
      'Parameter name, including the full length of the parameter ARN, can be at most 1011 characters.',
    );
  }
  return name;
}

/** What GetParameter refuses before looking: a name SSM could never have stored (characters, prefixes, a path without its leading slash). */
export function checkReadName(name: string): void {
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(name) || /^\/?(aws|ssm)/i.test(name)) throw validation(NAME_RULES);
  if (name.includes('/') && !name.startsWith('/')) throw validation(NAME_RULES);
}

export interface Selector {
  name: string;
  version?: number;
  label?: string;
  /** `:3` or `:label`, as the answer's Selector. */
  text?: string;
  /** Named by an ARN: `parameter/x` names `x` or `/x`. */
  fromArn?: boolean;
}

/** `name`, `name:version` or `name:label`, or an ARN with one (names cannot contain `:`). */
export function parseSelector(partition: Partition, given: string): Selector {
  let base = given;
  let sel: string | undefined;
  const marker = given.startsWith('arn:') ? given.indexOf(':parameter/') : -1;
  const from = marker >= 0 ? marker + ':parameter/'.length : 0;
  const colon = given.indexOf(':', from);
  if (colon >= 0 && (marker >= 0 || !given.startsWith('arn:'))) {
    sel = given.slice(colon + 1);
    base = given.slice(0, colon);
  }
  const name = marker >= 0 ? nameOf(partition, base) : base;
  const arn = marker >= 0 ? { fromArn: true } : {};
  if (sel === undefined) return { name, ...arn };
  if (/^\d+$/.test(sel)) return { name, version: Number(sel), text: `:${sel}`, ...arn };
  return { name, label: sel, text: `:${sel}`, ...arn };
}

export async function getParameterRecord(
  reader: Reader,
  name: string,
  fromArn = false,
): Promise<ParameterRecord | undefined> {
  const stored = await reader.get<ParameterRecord>(Kind.SsmParameter, name);
  if (stored) return stored.value;
  // `parameter/x` in an ARN also names `/x`.
  if (fromArn && !name.startsWith('/')) {
    const slashed = await reader.get<ParameterRecord>(Kind.SsmParameter, `/${name}`);
    if (slashed) return slashed.value;
  }
  return undefined;
}

export async function listParameterRecords(reader: Reader): Promise<ParameterRecord[]> {
  return (await reader.list<ParameterRecord>(Kind.SsmParameter)).map((r) => r.value);
}

export const currentOf = (p: ParameterRecord) => p.versions[p.versions.length - 1] as ParameterVersion;

/** The version a selector names; ParameterVersionNotFound / ParameterNotFound otherwise. */
export function selectVersion(p: ParameterRecord, selector: Selector): ParameterVersion {
  if (selector.version !== undefined) {
    const v = p.versions.find((x) => x.version === selector.version);
    if (!v) {
      throw new ServiceError(
        'ParameterVersionNotFound',
        `Systems Manager could not find version ${selector.version} of ${p.name}. Verify the version and try again.`,
      );
    }
    return v;
  }
  if (selector.label !== undefined) {
    const v = p.versions.find((x) => x.labels.includes(selector.label as string));
    if (!v) throw parameterNotFound(`Parameter ${p.name}:${selector.label} not found.`);
    return v;
  }
  return currentOf(p);
}

export const valueContext = (arn: string, version: number) => `ssm:${arn}:${version}`;

/** The version's value: plaintext, or for a SecureString read without decryption its sealed text. */
export function versionValue(
  cipher: ValueCipher,
  arn: string,
  v: ParameterVersion,
  decrypt: boolean,
): string {
  if (v.type !== 'SecureString') return v.value ?? '';
  if (!decrypt) return v.sealed ?? '';
  try {
    return cipher.open(v.sealed ?? '', valueContext(arn, v.version)).toString('utf8');
  } catch {
    throw new ServiceError(
      'InvalidKeyId',
      'The SecureString value could not be decrypted with the installation key.',
    );
  }
}
