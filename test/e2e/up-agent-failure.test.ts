/**
 * When `longshore up` cannot start its agent (here: the --metadata-port it was given is taken), the
 * container instance it registered does not stay ACTIVE in `default`: it is deregistered, and the
 * next start registers anew.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DescribeContainerInstancesCommand, ListContainerInstancesCommand } from '@aws-sdk/client-ecs';
import { removeAgentContainers } from '../support/agents.ts';
import { ecsClient } from '../support/control-plane.ts';
import { type CliProcess, startCli, stopCli } from '../support/spawn-cli.ts';

async function agentLine(p: CliProcess, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = /^Local agent.*$/m.exec(p.output())?.[0];
    if (line) return line;
    if (p.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`no agent line (exit ${p.child.exitCode}):\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('longshore up whose agent cannot start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'longshore-up-fail-'));
  let blocker: Server;
  after(() => {
    blocker?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves no ACTIVE instance behind, and registers anew once the port is free', async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = String((blocker.address() as { port: number }).port);
    const args = ['up', '--port', '0', '--data-dir', dataDir];

    const failed = await startCli([...args, '--metadata-port', taken]);
    const ecs = ecsClient(failed.endpoint);
    try {
      assert.match(
        await agentLine(failed),
        new RegExp(`Local agent not started: .*metadata port ${taken} is in use`),
      );
      assert.match(failed.output(), /--metadata-port/);
      const active = await ecs.send(
        new ListContainerInstancesCommand({ cluster: 'default', status: 'ACTIVE' }),
      );
      assert.deepEqual(active.containerInstanceArns, []);
      const listed = await ecs.send(new ListContainerInstancesCommand({ cluster: 'default' }));
      assert.deepEqual(listed.containerInstanceArns, [], 'deregistered (INACTIVE instances are not listed)');
      assert.equal(existsSync(join(dataDir, 'agent', 'agent-identity.json')), false, 'and forgotten');
    } finally {
      ecs.destroy();
      assert.equal(await stopCli(failed), 0);
    }

    blocker.close();
    const ok = await startCli([...args, '--metadata-port', taken]);
    const ecs2 = ecsClient(ok.endpoint);
    try {
      assert.match(await agentLine(ok), /Local agent: container instance (\S+)/);
      const arn = /Local agent: container instance (\S+)/.exec(ok.output())![1];
      const active = await ecs2.send(
        new ListContainerInstancesCommand({ cluster: 'default', status: 'ACTIVE' }),
      );
      assert.deepEqual(active.containerInstanceArns, [arn]);
      const d = await ecs2.send(
        new DescribeContainerInstancesCommand({ cluster: 'default', containerInstances: [arn] }),
      );
      assert.equal(d.containerInstances?.[0].agentConnected, true);
      await removeAgentContainers(arn);
    } finally {
      ecs2.destroy();
      assert.equal(await stopCli(ok), 0);
    }
  });
});
