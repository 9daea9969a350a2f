import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { DescribeServicesCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { startTestAgent, type TestAgent, waitFor } from '../support/agents.ts';
import { awsCliEnv } from '../support/aws-cli.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';

/** The README's walkthrough block, with the placeholder credentials line left out. */
function walkthrough(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /<!-- walkthrough:start -->\n```sh\n([\s\S]*?)```\n<!-- walkthrough:end -->/.exec(readme);
  assert.ok(block, 'README.md has no walkthrough block');
  return block[1]
    .split('\n')
    .filter((line) => !line.startsWith('export AWS_ACCESS_KEY_ID=') && !line.startsWith('export LONGSHORE='))
    .join('\n');
}

describe('the README walkthrough, run with the aws CLI', () => {
  let t: TestPlane;
  let a: TestAgent;
  before(async () => {
    t = await startTestPlane();
    a = await startTestAgent(t, { cluster: 'default' });
  });
  after(async () => {
    await a.stop();
    await t.stop();
  });

  it('runs every command in the block successfully', async () => {
    // Async: the control plane runs in this process, so a synchronous spawn would deadlock it.
    const { stdout: out } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', walkthrough()], {
      env: awsCliEnv({ LONGSHORE: t.plane.endpoint }),
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.match(out, /arn:aws:ecs:us-east-1:000000000000:cluster\/demo/);
    assert.match(out, /"containerPort": 80/);
    const services = await t.ecs.send(new DescribeServicesCommand({ services: ['web'] }));
    assert.equal(services.services?.[0].status, 'ACTIVE');
    assert.equal(services.services?.[0].desiredCount, 2);
    const stopped = await waitFor('the stopped task', async () => {
      const list = await t.ecs.send(new ListTasksCommand({ desiredStatus: 'STOPPED' }));
      return list.taskArns?.length ? list.taskArns : undefined;
    });
    assert.equal(stopped.length, 1);
  });
});
