/**
 * The gateway's table of non-Integer number members (src/aws/input/number-kinds.ts) against the
 * official models: for every service the gateway serves, the botocore model that holds its input
 * shapes must name exactly the Long, Double, Float, Short and Byte members the table names for the
 * service's namespace. The models live in the shared reference folder (LONGSHORE_AWS_MODELS
 * overrides where); without them the test is skipped.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { NormalizedSchema } from '@smithy/core/schema';
import { nonIntegerMembers } from '../../src/aws/input/number-kinds.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';

const MODELS =
  process.env.LONGSHORE_AWS_MODELS ??
  fileURLToPath(new URL('../../../shared/reference/aws-models/', import.meta.url));

interface BotocoreShape {
  type: string;
  members?: Record<string, { shape: string }>;
  member?: { shape: string };
  value?: { shape: string };
}
type BotocoreShapes = Record<string, BotocoreShape>;

const NOT_INTEGER = new Set(['long', 'double', 'float', 'short', 'byte']);

let t: TestPlane;
before(async () => {
  t = await startTestPlane({ controllers: false });
});
after(() => t.stop());

it('names every non-Integer number member of the models of the services served', {
  skip: existsSync(MODELS) ? false : `no models at ${MODELS}`,
}, async () => {
  const models = readdirSync(MODELS)
    .filter((f) => f.endsWith('.service-2.json.gz'))
    .map(
      (f) =>
        (JSON.parse(gunzipSync(readFileSync(join(MODELS, f))).toString('utf8')) as { shapes: BotocoreShapes })
          .shapes,
    );
  const table = nonIntegerMembers();
  const missing: string[] = [];
  for (const service of await t.plane.services.loadAll()) {
    const inputs = [...service.operations.values()].flatMap((o) =>
      o.input ? [NormalizedSchema.of(o.input).getName(true) ?? ''] : [],
    );
    const namespace = inputs[0]?.split('#')[0];
    if (!namespace || namespace === 'com.longshore') continue;
    // The model that holds most of the service's input shapes is the service's.
    const names = inputs.map((n) => n.split('#')[1]);
    const overlap = (shapes: BotocoreShapes) => names.filter((n) => n in shapes).length;
    const shapes = models.reduce((best, m) => (overlap(m) > overlap(best) ? m : best));
    if (overlap(shapes) < names.length / 2) continue;
    const expected = new Map<string, string>();
    for (const [name, shape] of Object.entries(shapes)) {
      for (const [member, ref] of Object.entries(shape.members ?? {})) {
        const kind = numberType(shapes, ref.shape);
        if (kind && NOT_INTEGER.has(kind)) expected.set(`${name}$${member}`, kind);
      }
    }
    const entries = [...expected].map(([k, v]) => `['${k}', NumberKind.${v[0].toUpperCase()}${v.slice(1)}],`);
    if (!isDeepStrictEqual(table.get(namespace), expected))
      missing.push(
        `${service.name}: src/aws/input/number-kinds.ts needs '${namespace}' with:\n${entries.join('\n')}`,
      );
  }
  assert.deepEqual(missing, []);
});

/** The number type of a shape, or of the items of a list or map of numbers. */
function numberType(shapes: BotocoreShapes, name: string): string | undefined {
  const shape = shapes[name];
  const item = shape.type === 'list' ? shape.member : shape.type === 'map' ? shape.value : undefined;
  return item ? shapes[item.shape]?.type : shape.type;
}
