/**
 * SDK models read from the extracted JSON (src/aws/sdk-model-cache.ts) are what readSdkModel
 * reads from the SDK itself: the same tagged-array schemas and thunks, traits, errors and
 * operation names; the cache is built by a child process on a cold start, read on a warm one,
 * survives two processes building it at once, a corrupt file and directories it cannot write.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import * as cloudwatch from '@aws-sdk/client-cloudwatch';
import * as ec2 from '@aws-sdk/client-ec2';
import * as ecs from '@aws-sdk/client-ecs';
import * as scheduler from '@aws-sdk/client-scheduler';
import * as sts from '@aws-sdk/client-sts';
import { readSdkModel } from '../../src/aws/sdk-model.ts';
import { cacheFileName, loadSdkModelCached, rebuildSdkModel } from '../../src/aws/sdk-model-cache.ts';
import { extractSdkModel } from '../../src/aws/sdk-model-extract.ts';
import type { ServiceModel } from '../../src/aws/service.ts';
import { handlers as ec2Handlers } from '../../src/ec2/handlers.ts';

const EC2 = '@aws-sdk/client-ec2';
const ec2Implemented = Object.keys(ec2Handlers);
const ec2Version = (createRequire(import.meta.url)(`${EC2}/package.json`) as { version: string }).version;
const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'longshore-sdk-models-test-'));
  dirs.push(dir);
  return dir;
};
// The loader falls back to importing the SDK in-process (with a warning) when the extractor fails.
const fallbacks: string[] = [];
const onWarning = (warning: Error & { code?: string }) => {
  if (warning.code === 'LONGSHORE_SDK_MODEL') fallbacks.push(warning.message);
};
process.on('warning', onWarning);
after(() => {
  process.off('warning', onWarning);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * Walks two schema graphs side by side: the same tags, names, traits and member lists, a thunk
 * where the SDK has a thunk, and the same sharing (a schema reached twice is one array in both).
 */
function assertSameSchema(
  actual: unknown,
  expected: unknown,
  path: string,
  seen: Map<unknown, unknown>,
): void {
  if (typeof expected === 'function') {
    assert.equal(typeof actual, 'function', `${path}: a thunk`);
    assertSameSchema((actual as () => unknown)(), (expected as () => unknown)(), `${path}()`, seen);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: an array`);
    if (seen.has(expected)) {
      assert.equal(seen.get(expected), actual, `${path}: the same shared schema`);
      return;
    }
    seen.set(expected, actual);
    assert.equal(actual.length, expected.length, `${path}: length`);
    expected.forEach((item, i) => {
      const name = typeof expected[2] === 'string' && i === 0 ? `${path}<${expected[2]}>` : path;
      assertSameSchema(actual[i], item, `${name}[${i}]`, seen);
    });
    return;
  }
  assert.deepEqual(actual, expected, path);
}

/** `actual` is `expected` for the implemented operations, and has every operation's name and binding. */
function assertSameModel(actual: ServiceModel, expected: ServiceModel, implemented: readonly string[]): void {
  assert.equal(actual.namespace, expected.namespace);
  assert.deepEqual([...actual.operations.keys()], [...expected.operations.keys()]);
  assert.deepEqual(actual.errors, expected.errors);
  const seen = new Map<unknown, unknown>();
  for (const [name, op] of expected.operations) {
    const got = actual.operations.get(name)!;
    assert.equal(got.name, name);
    assert.deepEqual(got.http, op.http, `${name} http`);
    if (implemented.includes(name)) {
      assertSameSchema(got.input, op.input, `${name}.input`, seen);
      assertSameSchema(got.output, op.output, `${name}.output`, seen);
    } else {
      assert.throws(() => (got.input as () => unknown)(), /not implement/, `${name}: no schema`);
    }
  }
}

describe('SDK model extraction', () => {
  const sdks: [string, object][] = [
    ['@aws-sdk/client-sts', sts],
    ['@aws-sdk/client-scheduler', scheduler],
    ['@aws-sdk/client-cloudwatch', cloudwatch],
    ['@aws-sdk/client-ecs', ecs],
    [EC2, ec2],
  ];
  for (const [pkg, sdk] of sdks) {
    it(`round-trips ${pkg} through JSON: every operation, error and schema graph`, () => {
      const expected = readSdkModel(sdk);
      const all = [...expected.operations.keys()];
      const file = JSON.parse(JSON.stringify(extractSdkModel(sdk, { pkg, version: '0', implemented: all })));
      assertSameModel(rebuildSdkModel(file), expected, all);
    });
  }

  it('keeps the schemas of the implemented operations only, and stays small', () => {
    const text = JSON.stringify(
      extractSdkModel(ec2, { pkg: EC2, version: '0', implemented: ec2Implemented }),
    );
    const started = performance.now();
    const model = rebuildSdkModel(JSON.parse(text));
    const ms = performance.now() - started;
    assertSameModel(model, readSdkModel(ec2), ec2Implemented);
    assert.ok(text.length < 1_000_000, `${text.length} bytes`);
    assert.ok(ms < 200, `${ms} ms to parse and rebuild`);
  });
});

describe('SDK model cache', () => {
  const expected = readSdkModel(ec2);
  afterEach(() => assert.deepEqual(fallbacks, [], 'the extractor must not fail'));
  const load = (cacheDirs: string[]) =>
    loadSdkModelCached({ pkg: EC2, implemented: ec2Implemented, cacheDirs });
  const files = (dir: string) => readdirSync(dir).sort();

  it('builds the cache in a child process when cold, then reads it without rebuilding', async () => {
    const dir = freshDir();
    assertSameModel(await load([dir]), expected, ec2Implemented);
    const name = await cacheFileName({
      pkg: EC2,
      version: ec2Version,
      implemented: [...ec2Implemented].sort(),
    });
    assert.deepEqual(files(dir), [name]);
    assert.match(name, /^@aws-sdk__client-ec2@\d+\.\d+\.\d+-[0-9a-f]{16}\.json$/);
    const built = statSync(join(dir, name));
    assertSameModel(await load([dir]), expected, ec2Implemented);
    const read = statSync(join(dir, name));
    assert.equal(read.ino, built.ino, 'the warm load must not rewrite the file');
    assert.equal(read.mtimeMs, built.mtimeMs);
  });

  it('two loads building a cold cache at once both get the model and leave one good file', async () => {
    const dir = freshDir();
    const [a, b] = await Promise.all([load([dir]), load([dir])]);
    assertSameModel(a, expected, ec2Implemented);
    assertSameModel(b, expected, ec2Implemented);
    const names = files(dir);
    assert.equal(names.length, 1, `no temporary file left: ${names.join(', ')}`);
    const before = statSync(join(dir, names[0]!)).ino;
    assertSameModel(await load([dir]), expected, ec2Implemented);
    assert.equal(statSync(join(dir, names[0]!)).ino, before);
  });

  it('rebuilds a corrupt file', async () => {
    const dir = freshDir();
    const name = await cacheFileName({
      pkg: EC2,
      version: ec2Version,
      implemented: [...ec2Implemented].sort(),
    });
    writeFileSync(join(dir, name), '{"format":1,"schem');
    assertSameModel(await load([dir]), expected, ec2Implemented);
    assert.ok(JSON.parse(readFileSync(join(dir, name), 'utf8')));
  });

  it('writes to the next directory when one cannot be written (a read-only install), and serves uncached when none can', async () => {
    const dir = freshDir();
    // A directory under a file can be neither made nor written, even by root.
    const unwritable = '/dev/null/longshore-sdk-models';
    assertSameModel(await load([unwritable, dir]), expected, ec2Implemented);
    assert.equal(files(dir).length, 1);
    assertSameModel(await load([unwritable]), expected, ec2Implemented);
  });
});
