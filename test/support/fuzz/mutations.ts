/**
 * What the fuzz puts in a request: for each place in the input shape, values of the wrong kind
 * (nulls, other JSON types, out-of-range numbers, huge strings and lists, deep nesting, unknown
 * members, invalid enums), and whole bodies that are not a JSON object.
 */
import type { Site } from './shapes.ts';

/** One fuzzed value for a site; `items` builds a huge list from the site's valid item. */
export interface Mutation {
  label: string;
  value: (valid: unknown) => unknown;
}

const HUGE_STRING = 'x'.repeat(100 * 1024);
const HUGE_COUNT = 10_000;
export const DEEP_LEVELS = 1_000;

/** `levels` nested arrays, or objects when `objects` (built bottom-up: no recursion). */
export function deepNesting(levels: number, objects: boolean): unknown {
  let value: unknown = objects ? {} : [];
  for (let i = 1; i < levels; i++) value = objects ? { a: value } : [value];
  return value;
}

const m = (label: string, value: unknown): Mutation => ({ label, value: () => value });

/** Wrong JSON types, offered to every site (each one is wrong for some shapes). */
const WRONG_TYPES: Mutation[] = [
  m('string', 'fuzz'),
  m('number', 7),
  m('true', true),
  m('false', false),
  m('object', { fuzz: 1 }),
  m('empty object', {}),
  m('array', ['fuzz']),
  m('empty array', []),
  m('deep arrays', deepNesting(DEEP_LEVELS, false)),
  m('deep objects', deepNesting(DEEP_LEVELS, true)),
];

const NUMBERS: Mutation[] = [
  m('1.5', 1.5),
  m('-1', -1),
  m('0', 0),
  m('-0.5', -0.5),
  m('1e308', 1e308),
  m('-1e308', -1e308),
  m('2^31', 2 ** 31),
  m('-2^31-1', -(2 ** 31) - 1),
  m('2^53+2', 2 ** 53 + 2),
  m('2^63', 2 ** 63),
  m('1e-7', 1e-7),
  m('"NaN"', 'NaN'),
  m('"Infinity"', 'Infinity'),
  m('"-Infinity"', '-Infinity'),
  m('"12"', '12'),
];

const STRINGS: Mutation[] = [
  m('empty string', ''),
  m('blank string', '   '),
  m('100 KB string', HUGE_STRING),
  m('invalid enum', 'NOT_A_VALID_ENUM_VALUE'),
  m('control characters', 'a\u0000b\u001fc\u007f'),
  m('unicode', 'é漢😀\uffff'),
  m('256 characters', 'a'.repeat(256)),
  m('arn without resource', 'arn:aws:ecs:us-east-1:000000000000:cluster/'),
  m('foreign arn', 'arn:aws:ecs:eu-west-1:111111111111:cluster/other'),
  m('malformed arn', 'arn:aws:ecs'),
  m('path', '../../x/y'),
  m('query language', 'attribute:ecs.os-type == linux and ('),
];

const LISTS: Mutation[] = [
  m('[null]', [null]),
  { label: '[valid, null]', value: (valid) => [...asArray(valid), null] },
  { label: '10,000 items', value: (valid) => Array.from({ length: HUGE_COUNT }, () => asArray(valid)[0]) },
  m(
    '10,000 nulls',
    Array.from({ length: HUGE_COUNT }, () => null),
  ),
  { label: 'duplicate items', value: (valid) => [...asArray(valid), ...asArray(valid)] },
];

const MAPS: Mutation[] = [
  m('{k: null}', { k: null }),
  m('empty key', { '': 'v' }),
  m('__proto__ key', JSON.parse('{"__proto__": "v"}')),
  m('10,000 entries', Object.fromEntries(Array.from({ length: HUGE_COUNT }, (_, i) => [`k${i}`, 'v']))),
];

const STRUCTURES: Mutation[] = [
  { label: 'unknown member', value: (valid) => ({ ...asObject(valid), fuzzUnknownMember: 'x' }) },
  {
    label: 'deep unknown member',
    value: (valid) => ({ ...asObject(valid), fuzzUnknownMember: deepNesting(DEEP_LEVELS, true) }),
  },
  { label: 'null members', value: (valid) => nullMembers(valid) },
];

const BOOLEANS: Mutation[] = [m('"true"', 'true'), m('1', 1)];
const TIMESTAMPS: Mutation[] = [m('ISO string', '2024-01-01T00:00:00Z'), m('-1', -1), m('1e308', 1e308)];
const BLOBS: Mutation[] = [m('not base64', '!!not base64!!'), m('empty blob', '')];

/** Every mutation that fits `site` (null and wrong types fit every site). */
export function mutationsFor(site: Site): Mutation[] {
  const own = {
    structure: STRUCTURES,
    list: LISTS,
    map: MAPS,
    string: STRINGS,
    number: NUMBERS,
    boolean: BOOLEANS,
    timestamp: TIMESTAMPS,
    blob: BLOBS,
    document: [],
  }[site.type];
  return [...own, ...WRONG_TYPES];
}

/** Values offered to the members of operations that have no schema, whatever they are. */
export const UNTYPED_VALUES: Mutation[] = [
  m('null', null),
  ...WRONG_TYPES,
  ...NUMBERS,
  ...STRINGS,
  m('[null]', [null]),
  m('{k: null}', { k: null }),
  m(
    '10,000 items',
    Array.from({ length: HUGE_COUNT }, (_, i) => `item-${i}`),
  ),
];

/** Request bodies that are not a JSON object, or are one only just. */
export const MALFORMED_BODIES: { label: string; body: string | Uint8Array }[] = [
  { label: 'empty body', body: '' },
  { label: 'not JSON', body: '{not json' },
  { label: 'truncated', body: '{"cluster": "fu' },
  { label: 'trailing comma', body: '{"cluster": "fuzz",}' },
  { label: 'JSON null', body: 'null' },
  { label: 'JSON array', body: '[]' },
  { label: 'JSON string', body: '"fuzz"' },
  { label: 'JSON number', body: '42' },
  { label: 'JSON true', body: 'true' },
  { label: 'byte order mark', body: '\ufeff{}' },
  { label: 'invalid UTF-8', body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
  { label: 'deep arrays body', body: JSON.stringify(deepNesting(DEEP_LEVELS, false)) },
  { label: 'deep objects body', body: JSON.stringify(deepNesting(DEEP_LEVELS, true)) },
  { label: '100,000-deep arrays body', body: `${'['.repeat(100_000)}${']'.repeat(100_000)}` },
  {
    label: '5,000 unknown members',
    body: JSON.stringify(Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`u${i}`, i]))),
  },
  { label: 'duplicate keys', body: '{"cluster": "fuzz", "cluster": null}' },
];

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) && value.length > 0 ? value : ['fuzz'];
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The valid structure with every member it has set to null. */
function nullMembers(valid: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.keys(asObject(valid)).map((k) => [k, null]));
}
