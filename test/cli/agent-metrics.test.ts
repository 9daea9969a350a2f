/** `longshore agent --metrics-port 0`: Prometheus metrics on 127.0.0.1 (a simulated agent: no Docker needed). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../support/agents.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';
import { spawnCli } from '../support/spawn-cli.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('agent metrics', () => {
  let t: TestPlane;
  let dir: string;
  let agent: ReturnType<typeof spawnCli> | undefined;
  before(async () => {
    t = await startTestPlane({ controllers: false });
    dir = mkdtempSync(join(tmpdir(), 'longshore-agent-metrics-'));
  });
  after(async () => {
    agent?.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the channel state, tasks by status and process metrics', async () => {
    agent = spawnCli([
      'agent',
      '--runtime',
      'simulated',
      '--endpoint',
      t.plane.endpoint,
      '--data-dir',
      dir,
      '--metadata-port',
      '0',
      '--metrics-port',
      '0',
    ]);
    const url = await waitFor(
      'the metrics address',
      async () => /Prometheus metrics: (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(agent?.output() ?? '')?.[1],
    );
    const text = await waitFor('a connected agent', async () => {
      const body = await (await fetch(url)).text();
      return /^longshore_agent_connected 1$/m.test(body) ? body : undefined;
    });
    assert.match(text, /^longshore_agent_process_resident_memory_bytes \d+/m);
    assert.equal((await fetch(url.replace('/metrics', '/other'))).status, 404);
  });
});
