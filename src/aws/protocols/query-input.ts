/** Reads AWS Query form parameters (`Tags.member.1.Key=k`) into an operation's input along its SDK schema. */
import { NormalizedSchema } from '@smithy/core/schema';
import { ProtocolError } from '../errors.ts';
import type { MemberPath, PathStep } from '../input/normalize-input.ts';
import type { InputSchema } from '../service.ts';
import { parseText } from './shape-walk.ts';

/** `query`: awsQuery. `ec2`: EC2 Query, where every list is flattened and member names are capitalized. */
export type QueryDialect = 'query' | 'ec2';

/** Parameters split on `.` into a tree: `A.member.1=x` is node A -> member -> 1 with value x. */
interface Node {
  value?: string;
  children: Map<string, Node>;
}

/**
 * The input `params` carry for an operation whose input schema is `schema`. Parameters the shape
 * does not name are ignored (Action, Version, X-Amz-*), as AWS ignores them.
 */
export function readQueryInput(params: URLSearchParams, schema: InputSchema, dialect: QueryDialect) {
  const root: Node = { children: new Map() };
  for (const [key, value] of params) {
    let node = root;
    for (const part of key.split('.')) {
      let next = node.children.get(part);
      if (!next) {
        next = { children: new Map() };
        node.children.set(part, next);
      }
      node = next;
    }
    node.value = value;
  }
  return readStruct(NormalizedSchema.of(schema), root, '', dialect);
}

function readStruct(ns: NormalizedSchema, node: Node, path: string, dialect: QueryDialect) {
  const out: Record<string, unknown> = {};
  for (const [name, member] of ns.structIterator()) {
    const key = memberKey(member, name, dialect);
    const child = node.children.get(key);
    if (child) out[name] = readValue(member, child, path ? `${path}.${key}` : key, dialect);
  }
  return out;
}

function readValue(ns: NormalizedSchema, node: Node, path: string, dialect: QueryDialect): unknown {
  if (ns.isStructSchema()) return readStruct(ns, node, path, dialect);
  // EC2 flattens every list (`Names.1`) but keeps maps' `entry` level, as its SDK serializer does.
  const flat = !!ns.getMergedTraits().xmlFlattened;
  if (ns.isListSchema()) {
    const item = ns.getValueSchema();
    const items = flat || dialect === 'ec2' ? node : node.children.get(xmlName(item) ?? 'member');
    // `Names=` (empty) is how awsQuery sends an empty list.
    if (!items) return node.value === '' ? [] : invalid(path, node.value);
    return indexed(items).map(([i, child]) => readValue(item, child, `${path}.${i}`, dialect));
  }
  if (ns.isMapSchema()) {
    const entries = flat ? node : node.children.get('entry');
    if (!entries) return node.value === '' ? {} : invalid(path, node.value);
    const keyName = xmlName(ns.getKeySchema()) ?? 'key';
    const valueName = xmlName(ns.getValueSchema()) ?? 'value';
    const out: Record<string, unknown> = {};
    for (const [i, entry] of indexed(entries)) {
      const k = entry.children.get(keyName)?.value;
      const v = entry.children.get(valueName);
      if (k !== undefined && v)
        out[k] = readValue(ns.getValueSchema(), v, `${path}.${i}.${valueName}`, dialect);
    }
    return out;
  }
  if (node.value === undefined) return invalid(path, undefined);
  const value = parseText(ns, node.value, 'query');
  return value === undefined ? invalid(path, node.value) : value;
}

/**
 * The Query parameter that carries the member at `path`, named as readQueryInput reads it (and
 * the SDKs send it): `VpcId`, `Filter.1.Name` in EC2 Query, `Tags.member.1.Key` in awsQuery.
 */
export function queryParameterName(path: MemberPath, dialect: QueryDialect): string {
  return path.map((step) => stepKey(step, dialect)).join('.');
}

function stepKey(step: PathStep, dialect: QueryDialect): string {
  if (step.type === 'member') return memberKey(step.schema, step.name, dialect);
  if (step.type === 'item') {
    const flat = !!step.list.getMergedTraits().xmlFlattened || dialect === 'ec2';
    return flat ? `${step.index}` : `${xmlName(step.list.getValueSchema()) ?? 'member'}.${step.index}`;
  }
  const flat = !!step.map.getMergedTraits().xmlFlattened;
  const value = xmlName(step.map.getValueSchema()) ?? 'value';
  return `${flat ? '' : 'entry.'}${step.index}.${value}`;
}

/** The numbered children of a node, in numeric order (`.2` before `.10`). */
function indexed(node: Node): [number, Node][] {
  return [...node.children]
    .filter(([k]) => /^\d+$/.test(k))
    .map(([k, child]): [number, Node] => [Number(k), child])
    .sort((a, b) => a[0] - b[0]);
}

/** awsQuery: the member's xmlName, else its name. EC2: ec2QueryName, else the capitalized xmlName or name. */
function memberKey(member: NormalizedSchema, name: string, dialect: QueryDialect): string {
  if (dialect === 'query') return xmlName(member) ?? name;
  const traits = member.getMergedTraits();
  if (typeof traits.ec2QueryName === 'string') return traits.ec2QueryName;
  const base = xmlName(member) ?? name;
  return base.charAt(0).toUpperCase() + base.slice(1);
}

export function xmlName(ns: NormalizedSchema): string | undefined {
  const name = ns.getMergedTraits().xmlName;
  return typeof name === 'string' ? name : undefined;
}

function invalid(path: string, value: string | undefined): never {
  const shown = value === undefined ? 'a nested parameter' : `'${value}'`;
  throw new ProtocolError(
    'InvalidParameterValue' as string,
    `Value ${shown} for parameter ${path} is invalid: it is not a value of the parameter's type.`,
  );
}
