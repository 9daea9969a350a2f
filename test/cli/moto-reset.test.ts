/**
 * `POST /moto-api/reset` forgets every record and takes no credentials, so it is served only when
 * asked for (`--moto-reset` or LONGSHORE_MOTO_RESET=1); otherwise the path is as unknown as any.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CreateClusterCommand, ListClustersCommand } from '@aws-sdk/client-ecs';
import { ecsClient } from '../support/control-plane.ts';
import { startCli, stopCli } from '../support/spawn-cli.ts';

async function post(
  endpoint: string,
  path: string,
): Promise<{ status: number; type?: string; body: string }> {
  const res = await fetch(new URL(path, endpoint), { method: 'POST' });
  const body = await res.text();
  let type: string | undefined;
  try {
    type = (JSON.parse(body) as { __type?: string }).__type;
  } catch {
    type = undefined;
  }
  return { status: res.status, type, body };
}

async function clusterCount(endpoint: string): Promise<number> {
  const ecs = ecsClient(endpoint);
  try {
    return (await ecs.send(new ListClustersCommand({}))).clusterArns?.length ?? 0;
  } finally {
    ecs.destroy();
  }
}

describe('POST /moto-api/reset', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'longshore-moto-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  const up = (flags: string[] = [], env: Record<string, string> = {}) =>
    startCli(['up', '--no-agent', '--port', '0', '--data-dir', dataDir, ...flags], env);

  it('is an unknown path by default: no reset, the same answer as any unknown path', async () => {
    const p = await up();
    try {
      const ecs = ecsClient(p.endpoint);
      await ecs.send(new CreateClusterCommand({ clusterName: 'kept' }));
      ecs.destroy();
      const reset = await post(p.endpoint, '/moto-api/reset');
      const unknown = await post(p.endpoint, '/moto-api/no-such-path');
      assert.equal(reset.status, unknown.status);
      assert.equal(reset.type, unknown.type);
      assert.notEqual(reset.status, 200);
      assert.equal(await clusterCount(p.endpoint), 1, 'every record is still there');
      assert.doesNotMatch(p.output(), /moto-api/);
    } finally {
      assert.equal(await stopCli(p), 0);
    }
  });

  it('forgets every record with --moto-reset, and says it serves the path', async () => {
    const p = await up(['--moto-reset']);
    try {
      assert.equal(await clusterCount(p.endpoint), 1);
      const reset = await post(p.endpoint, '/moto-api/reset');
      assert.equal(reset.status, 200);
      assert.deepEqual(JSON.parse(reset.body), { status: 'ok' });
      assert.equal(await clusterCount(p.endpoint), 0);
      assert.match(p.output(), /POST \S+\/moto-api\/reset forgets every record/);
    } finally {
      assert.equal(await stopCli(p), 0);
    }
  });

  it('is served with LONGSHORE_MOTO_RESET=1', async () => {
    const p = await up([], { LONGSHORE_MOTO_RESET: '1' });
    try {
      const ecs = ecsClient(p.endpoint);
      await ecs.send(new CreateClusterCommand({ clusterName: 'gone' }));
      ecs.destroy();
      assert.equal((await post(p.endpoint, '/moto-api/reset')).status, 200);
      assert.equal(await clusterCount(p.endpoint), 0);
    } finally {
      assert.equal(await stopCli(p), 0);
    }
  });
});
