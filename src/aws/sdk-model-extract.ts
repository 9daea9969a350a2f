/**
 * Extracts a service's model from its `@aws-sdk/client-*` package into JSON, off the serving
 * process: `sdk-model-cache.ts` runs this file as a child process (`node sdk-model-extract.ts
 * '{"entry":...,"pkg":...,"version":...,"implemented":[...]}'`), which imports the SDK (a 2 MB
 * bundle for EC2: 0.35-1.7 s of blocked loop and ~100 MiB), writes the JSON to stdout and exits,
 * freeing all of it. The JSON holds what `readSdkModel` reads: every tagged operation and error
 * export, with the full schema graphs of the implemented operations' inputs and outputs and of
 * the errors, and only the name and traits of the other operations.
 *
 * The format (`SdkModelFile`): every static schema reached is stored once in `schemas`, by id,
 * with its references encoded by position (see the tag layouts below):
 *   - a number or string (`0` string, `1` number, `'unit'` ...) stays itself;
 *   - a thunk `() => Shape$` becomes `{"$t": id}`, one that yields no static schema `{"$f": ref}`;
 *   - a static schema written inline (`[1, ns, 'Tags', 0, 128]`) becomes `{"$s": id}`;
 *   - a member `[ref, traits]` stays a pair, its ref encoded;
 *   - the input and output of an operation that is not implemented become `{"$x": 0}`.
 * Traits (a bit field or an object) and other data are JSON as they are. Recursive graphs are
 * fine: a schema gets its id before its references are encoded. A tag this file does not know
 * fails the extraction (and the loader falls back to importing the SDK), rather than guessing.
 */
import { pathToFileURL } from 'node:url';
import { isTaggedExport } from './sdk-model.ts';

/** Bump when the JSON's layout changes (the cache key includes it and this file's text). */
export const SDK_MODEL_FORMAT = 1;

/** What the child is asked to extract. */
export interface ExtractRequest {
  /** The package's entry file (resolved by the parent, so both read the same install). */
  entry: string;
  pkg: string;
  /** The package's exact version, recorded in the file. */
  version: string;
  /** The operations whose input and output schema graphs are kept (sorted). */
  implemented: readonly string[];
}

export interface SdkModelFile {
  format: number;
  pkg: string;
  version: string;
  implemented: string[];
  /** Static schemas by id, references encoded. */
  schemas: unknown[];
  /** The SDK's tagged operation and error exports, by export name (in export order): schema ids. */
  exports: Record<string, number>;
}

// Static schema tags (@smithy/core/schema) and where their schema references sit:
//   0 simple [0, ns, name, traits, ref]           1 list [1, ns, name, traits, valueRef]
//   2 map    [2, ns, name, traits, keyRef, valueRef]
//   3 struct, -3 error, 4 union [tag, ns, name, traits, memberNames, memberRefs, requiredCount?]
//   9 operation [9, ns, name, traits, inputRef, outputRef]
const SIMPLE = 0;
const LIST = 1;
const MAP = 2;
const STRUCT = 3;
const ERROR = -3;
const UNION = 4;
const OPERATION = 9;

type Schema = unknown[];

export const isStaticSchema = (value: unknown): value is Schema =>
  Array.isArray(value) &&
  value.length >= 5 &&
  typeof value[0] === 'number' &&
  typeof value[1] === 'string' &&
  typeof value[2] === 'string';

/** The JSON form of `sdk`'s model (`import * as sdk from pkg`). */
export function extractSdkModel(sdk: object, request: Omit<ExtractRequest, 'entry'>): SdkModelFile {
  const implemented = new Set(request.implemented);
  const ids = new Map<Schema, number>();
  const schemas: unknown[] = [];

  const idOf = (schema: Schema, trimmed = false): number => {
    let id = ids.get(schema);
    if (id !== undefined) return id;
    id = schemas.length;
    ids.set(schema, id);
    schemas.push(null);
    schemas[id] = encodeSchema(schema, trimmed);
    return id;
  };

  const encodeSchema = (schema: Schema, trimmed: boolean): unknown[] => {
    const [tag, namespace, name, traits] = schema;
    const head = [tag, namespace, name, data(traits, name)];
    switch (tag) {
      case SIMPLE:
      case LIST:
        return [...head, ref(schema[4])];
      case MAP:
        return [...head, ref(schema[4]), ref(schema[5])];
      case STRUCT:
      case ERROR:
      case UNION: {
        const [names, members, ...rest] = schema.slice(4) as [unknown, unknown, ...unknown[]];
        if (!Array.isArray(members)) throw new Error(`${String(name)}: members are not an array`);
        return [...head, data(names, name), members.map(ref), ...rest.map((r) => data(r, name))];
      }
      case OPERATION:
        return trimmed ? [...head, { $x: 0 }, { $x: 0 }] : [...head, ref(schema[4]), ref(schema[5])];
      default:
        throw new Error(`${String(name)}: unknown static schema tag ${String(tag)}`);
    }
  };

  const ref = (value: unknown): unknown => {
    if (typeof value === 'number' || typeof value === 'string') return value;
    if (typeof value === 'function') {
      const target: unknown = value();
      return isStaticSchema(target) ? { $t: idOf(target) } : { $f: ref(target) };
    }
    if (isStaticSchema(value)) return { $s: idOf(value) };
    if (Array.isArray(value) && value.length === 2) return [ref(value[0]), data(value[1], 'member')];
    throw new Error(`not a schema reference: ${describe(value)}`);
  };

  const exports: Record<string, number> = {};
  for (const [key, value] of Object.entries(sdk)) {
    if (!isTaggedExport(value)) continue;
    exports[key] = idOf(value, value[0] === OPERATION && !implemented.has(value[2]));
  }
  return {
    format: SDK_MODEL_FORMAT,
    pkg: request.pkg,
    version: request.version,
    implemented: [...request.implemented],
    schemas,
    exports,
  };
}

/** Traits and other plain data, checked to survive JSON unchanged. */
function data(value: unknown, where: unknown): unknown {
  if (!isJsonData(value)) throw new Error(`${String(where)}: not JSON data: ${describe(value)}`);
  return value;
}

function isJsonData(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonData);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).every(isJsonData);
  }
  return false;
}

function describe(value: unknown): string {
  return typeof value === 'function' ? 'a function' : String(JSON.stringify(value)).slice(0, 120);
}

if (import.meta.main) {
  const request = JSON.parse(process.argv[2] ?? '') as ExtractRequest;
  const sdk = (await import(pathToFileURL(request.entry).href)) as object;
  process.stdout.write(JSON.stringify(extractSdkModel(sdk, request)));
}
