import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateClusterCommand } from '@aws-sdk/client-ecs';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { MAIN, NODE } from '../support/spawn-cli.ts';
import { registerFamily, waitRunning, describeAll, runOnceConnected } from './support.ts';

const ENV = {
  ...process.env,
  LONGSHORE_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
  LONGSHORE_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
};

/** Runs the CLI to completion without blocking the event loop (the in-process control plane keeps serving). */
async function cli(args: string[]): Promise<{ status: number | null; out: string }> {
  const child = spawn(NODE, ['--disable-warning=ExperimentalWarning', MAIN, ...args], { env: ENV });
  let out = '';
  child.stdout.on('data', (d) => {
    out += String(d);
  });
  child.stderr.on('data', (d) => {
    out += String(d);
  });
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, out };
}

describe('longshore agent --runtime simulated', () => {
  let t: TestPlane;
  let child: ChildProcess | undefined;
  let dataDir: string;
  before(async () => {
    t = await startTestPlane();
    dataDir = mkdtempSync(join(tmpdir(), 'longshore-sim-cli-'));
    await t.ecs.send(new CreateClusterCommand({ clusterName: 'cli' }));
  });
  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await t?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('documents the simulation in its usage text and refuses --sim-* flags without it', async () => {
    const help = await cli(['agent', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.out, /--runtime docker\|simulated/);
    assert.match(help.out, /SIMULATION/);
    const wrong = await cli(['agent', '--sim-run-ms', '5']);
    assert.equal(wrong.status, 1);
    assert.match(wrong.out, /--sim-run-ms needs --runtime simulated/);
    const health = await cli(['agent', '--runtime', 'simulated', '--sim-health', 'sick']);
    assert.match(health.out, /--sim-health must be healthy, unhealthy or none/);
  });

  it('registers without Docker and runs tasks by the --sim-* profile', async () => {
    child = spawn(
      NODE,
      [
        '--disable-warning=ExperimentalWarning',
        MAIN,
        'agent',
        '--runtime',
        'simulated',
        '--endpoint',
        t.plane.endpoint,
        '--cluster',
        'cli',
        '--data-dir',
        dataDir,
        '--cpu',
        '1024',
        '--memory',
        '1024',
        '--instance-type',
        'sim.small',
        '--sim-start-ms',
        '50',
        '--sim-run-ms',
        '300',
        '--sim-exit-code',
        '4',
        '--log-level',
        'warn',
      ],
      { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
    });
    child.stderr?.on('data', (d) => {
      out += String(d);
    });
    const deadline = Date.now() + 15_000;
    while (!/registered as .*SIMULATED/.test(out)) {
      assert.ok(Date.now() < deadline && child.exitCode === null, `agent did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await registerFamily(t.ecs, 'job', { memory: 128 });
    const placed = await runOnceConnected(t.ecs, 'cli', 'job', deadline - Date.now());
    await waitRunning(t.ecs, 'cli', [placed]);
    let stopped = (await describeAll(t.ecs, 'cli', [placed]))[0];
    while (stopped.lastStatus !== 'STOPPED') {
      assert.ok(Date.now() < deadline, `task is ${stopped.lastStatus}`);
      await new Promise((r) => setTimeout(r, 50));
      stopped = (await describeAll(t.ecs, 'cli', [placed]))[0];
    }
    assert.equal(stopped.stopCode, 'EssentialContainerExited');
    assert.equal(stopped.containers?.[0].exitCode, 4);
  });
});
