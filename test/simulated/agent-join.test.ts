/**
 * End to end: an administrator makes a join token with `longshore join-token create`; a SIMULATED
 * agent started with only that token (no key pair in its environment) trades it for its own key,
 * registers, connects and runs a task, and on restart reuses the saved key without the token.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateClusterCommand } from '@aws-sdk/client-ecs';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';
import { spawnCli } from '../support/spawn-cli.ts';
import { registerFamily, runOnceConnected, waitRunning } from './support.ts';

/** `longshore ARGS` with no key pair in its environment (only what `env` adds). */
const KEYLESS = {
  LONGSHORE_ACCESS_KEY_ID: '',
  LONGSHORE_SECRET_ACCESS_KEY: '',
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
  LONGSHORE_JOIN_TOKEN: '',
};
const start = (args: string[], env: Record<string, string> = KEYLESS) => spawnCli(args, env);

async function run(
  args: string[],
  env: Record<string, string> = KEYLESS,
): Promise<{ status: number | null; out: string }> {
  const { child, output } = start(args, env);
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, out: output() };
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('an agent that joins with a join token', () => {
  let t: TestPlane;
  let dataDir: string;
  const children: ChildProcess[] = [];
  // spawnCli's own environment carries the root key pair.
  const rootEnv = {};
  before(async () => {
    t = await startTestPlane();
    dataDir = mkdtempSync(join(tmpdir(), 'longshore-join-'));
    await t.ecs.send(new CreateClusterCommand({ clusterName: 'joined' }));
  });
  after(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    }
    await t?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const agentArgs = (endpoint: string) => [
    ...'agent --runtime simulated --cluster joined --cpu 1024 --memory 1024 --sim-start-ms 20'.split(' '),
    ...['--log-level', 'warn', '--endpoint', endpoint, '--data-dir', dataDir],
  ];

  it('registers, connects and runs a task with its own key', async () => {
    const created = await run(
      ['join-token', 'create', '--cluster', 'joined', '--max-uses', '1', '--endpoint', t.plane.endpoint],
      rootEnv,
    );
    assert.equal(created.status, 0, created.out);
    const token = /\n {2}(lsjt-\S+)\n/.exec(created.out)?.[1];
    assert.ok(token, created.out);
    assert.ok(
      created.out.includes(
        `longshore agent --endpoint ${t.plane.endpoint} --cluster joined --join-token ${token}`,
      ),
      created.out,
    );
    const listed = await run(['join-token', 'list', '--endpoint', t.plane.endpoint], rootEnv);
    assert.match(listed.out, /cluster joined {2}0\/1 uses {2}expires/);
    assert.ok(!listed.out.includes(token.split('.')[1]!), 'list never shows a secret');

    // The first endpoint is down: the join and the agent's calls move on to the next.
    const agent = start([...agentArgs(`http://127.0.0.1:1,${t.plane.endpoint}`), '--join-token', token]);
    children.push(agent.child);
    await until('the agent to register', () => /registered as .*SIMULATED/.test(agent.output()));
    assert.ok(!agent.output().includes(token), 'the token is not printed');
    const file = join(dataDir, 'agent-credentials.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { accessKeyId: string; roleArn: string };
    assert.match(saved.accessKeyId, /^AKLA/);
    assert.equal(saved.roleArn, 'arn:aws:iam::000000000000:role/ecsInstanceRole');

    await registerFamily(t.ecs, 'job', { memory: 128 });
    const placed = await runOnceConnected(t.ecs, 'joined', 'job');
    await waitRunning(t.ecs, 'joined', [placed]);

    // Restarted without the token (used up by now): the saved key signs, the instance is the same.
    const arn = /registered as (\S+)/.exec(agent.output())?.[1];
    agent.child.kill('SIGTERM');
    await once(agent.child, 'exit');
    const again = start(agentArgs(t.plane.endpoint));
    children.push(again.child);
    await until('the agent to register again', () => /registered as .*SIMULATED/.test(again.output()));
    assert.equal(/registered as (\S+)/.exec(again.output())?.[1], arn);
  });

  it('explains a refused token and a missing one', async () => {
    const other = mkdtempSync(join(tmpdir(), 'longshore-join-refused-'));
    try {
      const refused = await run([
        ...agentArgs(t.plane.endpoint),
        '--data-dir',
        other,
        '--join-token',
        'lsjt-0123456789abcdef.xxxxxxxxxxxxxxxxxxxxxx',
      ]);
      assert.equal(refused.status, 1);
      assert.match(refused.out, /refused the join token: .*longshore join-token create/);
      const none = await run([...agentArgs(t.plane.endpoint), '--data-dir', other]);
      assert.equal(none.status, 1);
      assert.match(none.out, /give the agent a join token \(--join-token or LONGSHORE_JOIN_TOKEN/);
      const down = await run([
        ...agentArgs('http://127.0.0.1:1'),
        '--data-dir',
        other,
        '--join-token',
        'lsjt-0123456789abcdef.xxxxxxxxxxxxxxxxxxxxxx',
      ]);
      assert.equal(down.status, 1);
      assert.match(down.out, /cannot reach the control plane to join \(http:\/\/127\.0\.0\.1:1\)/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
