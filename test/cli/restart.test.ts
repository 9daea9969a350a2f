import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CreateClusterCommand, DescribeClustersCommand, ListClustersCommand } from '@aws-sdk/client-ecs';
import { ecsClient } from '../support/control-plane.ts';
import { freePort, startCli, stopCli } from '../support/spawn-cli.ts';

describe('longshore server restarts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'longshore-restart-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every record across kill -9 and across a clean SIGTERM shutdown', async () => {
    const port = String(await freePort());
    const first = await startCli(['server', '--port', port, '--data-dir', dataDir]);
    const ecs = ecsClient(first.endpoint);
    for (let i = 0; i < 20; i++)
      await ecs.send(
        new CreateClusterCommand({ clusterName: `c${i}`, tags: [{ key: 'i', value: String(i) }] }),
      );
    await stopCli(first, 'SIGKILL');

    const second = await startCli(['server', '--port', port, '--data-dir', dataDir]);
    const listed = await ecs.send(new ListClustersCommand({}));
    assert.equal(listed.clusterArns?.length, 20);
    const described = await ecs.send(new DescribeClustersCommand({ clusters: ['c7'], include: ['TAGS'] }));
    assert.deepEqual(described.clusters?.[0].tags, [{ key: 'i', value: '7' }]);
    assert.equal(await stopCli(second, 'SIGTERM'), 0);

    const third = await startCli(['server', '--port', port, '--data-dir', dataDir]);
    assert.equal((await ecs.send(new ListClustersCommand({}))).clusterArns?.length, 20);
    await stopCli(third);
    ecs.destroy();
  });

  it('generates credentials once per data directory and prints them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'longshore-creds-'));
    try {
      const env = { LONGSHORE_ACCESS_KEY_ID: '', LONGSHORE_SECRET_ACCESS_KEY: '' };
      const a = await startCli(['server', '--port', '0', '--data-dir', dir], env);
      const keyA = /access key: (\S+)/.exec(a.output())?.[1];
      await stopCli(a);
      const b = await startCli(['server', '--port', '0', '--data-dir', dir], env);
      const keyB = /access key: (\S+)/.exec(b.output())?.[1];
      await stopCli(b);
      assert.ok(keyA?.startsWith('AKLS'));
      assert.equal(keyA, keyB);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
