/**
 * The requests the fuzz sends to one operation, chosen with a seeded random source: some for every
 * operation (nulls in every member and list item, bodies that are not JSON objects) and `count`
 * drawn from every mutation of every place in the input shape.
 */
import type { Operation } from '../../../src/aws/service.ts';
import type { Payload } from './encode.ts';
import { MALFORMED_BODIES, mutationsFor, UNTYPED_VALUES } from './mutations.ts';
import type { Rng } from './rng.ts';
import { type Hints, rootShape, type Site, sites, validValue, withValueAt } from './shapes.ts';

export type Case = { label: string } & Payload;

/** Member names tried on operations without a schema, besides `fuzz`. */
const UNTYPED_MEMBERS = ['cluster', 'taskDefinition', 'count', 'group', 'overrides', 'requestId'];

/** Built one at a time: a few of them are megabytes of JSON. */
export function* casesFor(operation: Operation, rng: Rng, count: number, hints: Hints): Generator<Case> {
  yield* MALFORMED_BODIES.map((b) => ({ label: b.label, raw: b.body }));
  if (operation.input) yield* schemaCases(operation, rng, count, hints);
  else yield* untypedCases(rng, count);
}

function* schemaCases(operation: Operation, rng: Rng, count: number, hints: Hints): Generator<Case> {
  const root = rootShape(operation.input!);
  const base = validValue(root, '', hints) as Record<string, unknown>;
  const all = sites(root);
  const at = (site: Site, label: string, value: unknown): Case => ({
    label: `${pathLabel(site)}: ${label}`,
    input: withValueAt(root, base, site.path, value, hints),
  });
  const valid = (site: Site) => validValue(site.shape, site.member, hints);
  yield { label: 'valid', input: base };
  // Every member and list item null; one wrong value for every top-level member.
  for (const site of all) {
    yield at(site, 'null', null);
    if (site.type === 'list') yield at(site, '[valid, null]', [...(valid(site) as unknown[]), null]);
    if (site.type === 'map') yield at(site, '{k: null}', { k: null });
    if (site.path.length === 1) {
      const mutation = rng.pick(mutationsFor(site));
      yield at(site, mutation.label, mutation.value(valid(site)));
    }
  }
  // `count` more, drawn from every mutation of every site.
  const pairs = all.flatMap((site) => mutationsFor(site).map((mutation) => ({ site, mutation })));
  for (const { site, mutation } of rng.sample(pairs, count)) {
    yield at(site, mutation.label, mutation.value(valid(site)));
  }
}

function* untypedCases(rng: Rng, count: number): Generator<Case> {
  yield { label: 'empty object', input: {} };
  for (let i = 0; i < count; i++) {
    const body: Record<string, unknown> = {};
    const labels: string[] = [];
    for (let n = 1 + rng.int(3); n > 0; n--) {
      const member = rng.pick([...UNTYPED_MEMBERS, 'fuzz']);
      const mutation = rng.pick(UNTYPED_VALUES);
      body[member] = mutation.value('fuzz');
      labels.push(`${member}: ${mutation.label}`);
    }
    yield { label: labels.join(', '), input: body };
  }
}

function pathLabel(site: Site): string {
  return site.path.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.');
}
