/**
 * The first EC2 request on a fresh control plane does not stall its event loop: EC2's model
 * comes from the extracted cache (src/aws/sdk-model-cache.ts), built by a child process when cold,
 * never by importing `@aws-sdk/client-ec2` (a 2 MB bundle: 0.35 s of blocked loop on an idle
 * machine, over 1 s under load, ~100 MiB) into the serving process. Measured with a cold cache,
 * then on a second fresh control plane with the warm one. This file must not import the EC2 SDK.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, it } from 'node:test';
import { SDK_MODEL_CACHE_ENV } from '../../src/aws/sdk-model-cache.ts';
import { startTestPlane } from '../support/control-plane.ts';
import { form, rawAws } from '../support/raw-aws.ts';

/** Far below the watchdog's 1 s, and below the SDK import's 0.35 s on an idle machine. */
const MAX_DELAY_MS = 150;

let cacheDir: string;
const savedEnv = process.env[SDK_MODEL_CACHE_ENV];
before(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'longshore-ec2-model-'));
  process.env[SDK_MODEL_CACHE_ENV] = cacheDir;
});
after(() => {
  if (savedEnv === undefined) delete process.env[SDK_MODEL_CACHE_ENV];
  else process.env[SDK_MODEL_CACHE_ENV] = savedEnv;
  rmSync(cacheDir, { recursive: true, force: true });
});

/** The first EC2 request on a fresh control plane: its answer, the loop's longest delay meanwhile, the RSS it added. */
async function firstEc2Request() {
  const t = await startTestPlane({ controllers: false });
  try {
    // Warm what any first request pays for (signing, the Query protocol) with another sibling.
    const sts = await rawAws(t.plane.endpoint, {
      service: 'sts',
      ...form({ Action: 'GetCallerIdentity', Version: '2011-06-15' }),
    });
    assert.equal(sts.status, 200);
    await sleep(50);
    const rss = process.memoryUsage().rss;
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    // The histogram records from its first tick: a stall before it would go unseen.
    await sleep(20);
    const started = performance.now();
    const res = await rawAws(t.plane.endpoint, {
      service: 'ec2',
      ...form({ Action: 'DescribeAvailabilityZones', Version: '2016-11-15' }),
    });
    const ms = performance.now() - started;
    await sleep(20);
    delay.disable();
    assert.equal(res.status, 200, res.text);
    assert.match(res.text, /<zoneName>us-east-1a<\/zoneName>/);
    return {
      maxDelayMs: Math.round(delay.max / 1e6),
      requestMs: Math.round(ms),
      rssMiB: Math.round((process.memoryUsage().rss - rss) / 2 ** 20),
    };
  } finally {
    await t.stop();
  }
}

it('serves the first EC2 request without stalling the loop, cold cache then warm, never loading the SDK', async (ctx) => {
  const cold = await firstEc2Request();
  const warm = await firstEc2Request();
  ctx.diagnostic(
    `first EC2 request, cold cache: loop max delay ${cold.maxDelayMs} ms, answered in ${cold.requestMs} ms, RSS +${cold.rssMiB} MiB; ` +
      `warm cache: ${warm.maxDelayMs} ms, ${warm.requestMs} ms, RSS +${warm.rssMiB} MiB`,
  );
  assert.ok(cold.maxDelayMs < MAX_DELAY_MS, `cold: the loop stalled ${cold.maxDelayMs} ms`);
  assert.ok(warm.maxDelayMs < MAX_DELAY_MS, `warm: the loop stalled ${warm.maxDelayMs} ms`);
  const loaded = Object.keys(createRequire(import.meta.url).cache);
  assert.deepEqual(
    loaded.filter((path) => path.includes('client-ec2')),
    [],
    'the EC2 SDK must not be loaded in the serving process',
  );
});
