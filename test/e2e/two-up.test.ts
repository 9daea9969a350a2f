/**
 * Two `longshore up` on one host, each with its own data directory and neither given a port: the
 * second finds the API port (4590) and the metadata port (51679) taken, picks free ones and says
 * so, and both run a task whose container reads its own metadata from inside.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  DescribeTasksCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { removeAgentContainers, waitFor } from '../support/agents.ts';
import { ecsClient } from '../support/control-plane.ts';
import { type CliProcess, startCli, stopCli } from '../support/spawn-cli.ts';
import { taskLogs, TEST_IMAGE } from '../agent/docker-helpers.ts';

/** Reads $ECS_CONTAINER_METADATA_URI_V4 from inside with BusyBox nc; exits 0 when it answered. */
const PROBE = [
  'u=$ECS_CONTAINER_METADATA_URI_V4; hp=$(echo $u | sed -e "s,^http://,," -e "s,/.*,,");',
  'path=$(echo $u | sed "s,^http://[^/]*,,"); host=$(echo $hp | sed "s/:.*//");',
  'port=$(echo $hp | sed -n "s/.*://p"); test -n "$port" || port=80; echo "uri $u";',
  'for i in $(seq 1 50); do',
  '  body=$(printf "GET $path/task HTTP/1.0\\r\\nHost: $hp\\r\\n\\r\\n" | timeout 3 nc $host $port | grep "^{");',
  '  test -n "$body" && break; sleep 0.2;',
  'done; echo "$body"; test -n "$body"',
].join(' ');

async function waitForLine(p: CliProcess, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = pattern.exec(p.output());
    if (m) return m;
    if (p.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`no ${pattern} (exit ${p.child.exitCode}):\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs the probe as a task and returns its container's exit code and output. */
async function runProbe(ecs: ECSClient): Promise<{ taskArn: string; exitCode?: number; lines: string[] }> {
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'probe',
      containerDefinitions: [
        { name: 'probe', image: TEST_IMAGE, memory: 32, essential: true, command: ['sh', '-c', PROBE] },
      ],
    }),
  );
  const run = await ecs.send(new RunTaskCommand({ taskDefinition: 'probe' }));
  const taskArn = run.tasks?.[0]?.taskArn;
  assert.ok(taskArn, `RunTask placed the task: ${JSON.stringify(run.failures)}`);
  const stopped = await waitFor(
    'the probe task to stop',
    async () => {
      const d = await ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }));
      return d.tasks?.[0]?.lastStatus === 'STOPPED' ? d.tasks[0] : undefined;
    },
    60_000,
  );
  const lines = await taskLogs(taskArn, (l) => l.some((x) => x.startsWith('probe: {')));
  return { taskArn, exitCode: stopped.containers?.[0]?.exitCode, lines };
}

describe('two longshore up on one host', { timeout: 180_000 }, () => {
  const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'longshore-two-up-')));
  const processes: CliProcess[] = [];
  const instances: string[] = [];
  after(async () => {
    for (const p of processes) await stopCli(p).catch(() => undefined);
    await Promise.all(instances.map(removeAgentContainers));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('the second picks free ports and says so; both run a task that reads its metadata', async () => {
    // No --port, no LONGSHORE_PORT: both want 4590 (an empty variable counts as unset).
    const env = { LONGSHORE_PORT: '' };
    const started: { p: CliProcess; ecs: ECSClient; metadataPort: number }[] = [];
    for (const dir of dirs) {
      const p = await startCli(['up', '--data-dir', dir], env);
      processes.push(p);
      const [, arn] = await waitForLine(p, /Local agent: container instance (\S+)/);
      instances.push(arn);
      const [, listening] = await waitForLine(p, /Task metadata endpoint: .*listening on 127\.0\.0\.1:(\d+)/);
      started.push({ p, ecs: ecsClient(p.endpoint), metadataPort: Number(listening) });
    }
    const [first, second] = started;
    assert.notEqual(first.p.endpoint, second.p.endpoint);
    assert.notEqual(first.metadataPort, second.metadataPort);
    // Something else on this host may hold 4590: then the first moved too.
    if (first.p.endpoint.endsWith(':4590'))
      assert.match(second.p.output(), /Port 4590 is taken .*so the API listens on \d+/);
    else assert.match(first.p.output(), /Port 4590 is taken/);
    if (first.metadataPort === 51679)
      assert.match(second.p.output(), /port 51679 was taken, so \d+ was picked/);
    for (const { p } of started) assert.doesNotMatch(p.output(), /Local agent not started/);

    const results = await Promise.all(started.map(({ ecs }) => runProbe(ecs)));
    for (const [i, r] of results.entries()) {
      assert.equal(r.exitCode, 0, `task of up #${i + 1} read no metadata:\n${r.lines.join('\n')}`);
      const body = r.lines.find((l) => l.startsWith('probe: {'))!;
      assert.equal(JSON.parse(body.slice('probe: '.length)).TaskARN, r.taskArn);
    }
    for (const { ecs } of started) ecs.destroy();
  });
});
