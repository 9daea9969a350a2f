/**
 * The seed's ECR flow with the real Docker CLI, then a task running the pushed image: `aws ecr
 * get-login-password | docker login --password-stdin`, `docker push`, `docker pull`, and RunTask
 * with the repository URI as the image (the agent pulls it with its own ECR password).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { DescribeTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { startTestAgent, type TestAgent, waitFor } from '../support/agents.ts';
import { awsCliEnv } from '../support/aws-cli.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';

const run = promisify(execFile);

/** The README's ECR block, after the `ecs` function the first block defines. */
function readmeBlock(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /<!-- ecr-walkthrough:start -->\n```sh\n([\s\S]*?)```\n<!-- ecr-walkthrough:end -->/.exec(
    readme,
  );
  assert.ok(block, 'README.md has no ecr-walkthrough block');
  return `ecs() { aws --endpoint-url "$LONGSHORE" ecs "$@"; }\n${block[1]}`;
}

describe("the seed's ECR flow: docker login, push, pull, and a task running the pushed image", () => {
  let t: TestPlane;
  let a: TestAgent;
  let dockerConfig: string;
  let uri = '';
  before(async () => {
    t = await startTestPlane();
    a = await startTestAgent(t, { cluster: 'default' });
    // The CLI's login goes to a throwaway config, not the machine's ~/.docker.
    dockerConfig = mkdtempSync(join(tmpdir(), 'longshore-docker-config-'));
  });
  after(async () => {
    if (uri) await run('docker', ['rmi', '-f', `${uri}:latest`]).catch(() => undefined);
    await a?.stop();
    await t?.stop();
    rmSync(dockerConfig, { recursive: true, force: true });
  });

  /** Waits for the task to be RUNNING; fails as soon as it stops, with its reasons. */
  const running = (arn: string, what: string) =>
    waitFor(
      what,
      async () => {
        const [x] = (await t.ecs.send(new DescribeTasksCommand({ tasks: [arn] }))).tasks ?? [];
        if (x?.lastStatus === 'STOPPED')
          throw new Error(`stopped: ${x.stoppedReason} ${x.containers?.[0]?.reason}`);
        return x?.lastStatus === 'RUNNING' ? x : undefined;
      },
      60_000,
    );

  it("runs the README's ECR block: create-repository, login, push, pull, run-task", async () => {
    const env = awsCliEnv({ LONGSHORE: t.plane.endpoint, DOCKER_CONFIG: dockerConfig });
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', `${readmeBlock()}\necho "URI=$URI"`], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    uri = /^URI=(.*)$/m.exec(stdout)?.[1] ?? '';
    assert.match(uri, /^127\.0\.0\.1:\d+\/demo$/);
    const described = await run(
      'aws',
      [
        '--endpoint-url',
        t.plane.endpoint,
        'ecr',
        'describe-images',
        '--repository-name',
        'demo',
        '--query',
        'imageDetails[0].imageTags',
        '--output',
        'text',
      ],
      { env, encoding: 'utf8' },
    );
    assert.equal(described.stdout.trim(), 'latest');
    const arn = /arn:aws:ecs:[^\s]+:task\/[^\s]+/.exec(stdout)?.[0] ?? '';
    await running(arn, 'the README task to run');
  });

  it('runs a task whose image is the repository URI', async () => {
    assert.ok(uri, 'the push ran');
    await run('docker', ['rmi', `${uri}:latest`]).catch(() => undefined);
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'from-ecr',
        containerDefinitions: [
          { name: 'app', image: `${uri}:latest`, memory: 32, command: ['sleep', '300'], stopTimeout: 1 },
        ],
      }),
    );
    const out = await t.ecs.send(new RunTaskCommand({ taskDefinition: 'from-ecr' }));
    const arn = out.tasks?.[0]?.taskArn ?? '';
    const task = await running(arn, 'the task to run');
    assert.ok(task.pullStartedAt && task.pullStoppedAt, 'pull timing is shown');
    assert.match(task.containers?.[0]?.imageDigest ?? '', /^sha256:[0-9a-f]{64}$/);
  });

  it("reports ECS's CannotPullContainerError for a tag that does not exist", async () => {
    assert.ok(uri, 'the push ran');
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'missing-tag',
        containerDefinitions: [{ name: 'app', image: `${uri}:no-such-tag`, memory: 32 }],
      }),
    );
    const out = await t.ecs.send(new RunTaskCommand({ taskDefinition: 'missing-tag' }));
    const arn = out.tasks?.[0]?.taskArn ?? '';
    const stopped = await waitFor(
      'the task to stop',
      async () => {
        const [x] = (await t.ecs.send(new DescribeTasksCommand({ tasks: [arn] }))).tasks ?? [];
        return x?.lastStatus === 'STOPPED' ? x : undefined;
      },
      60_000,
    );
    assert.equal(stopped.stopCode, 'TaskFailedToStart');
    assert.match(stopped.containers?.[0]?.reason ?? '', /^CannotPullContainerError: /);
  });
});
