/**
 * Services end to end: real Docker containers, driven through the `aws` CLI. A 3-task BusyBox
 * httpd service is created and updated to a new revision with `aws ecs wait services-stable`;
 * then an update to an image command that crashes is failed by the circuit breaker and rolled back.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startTestAgent, type TestAgent, waitFor } from '../support/agents.ts';
import { awsCliEnv } from '../support/aws-cli.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';

const IMAGE = 'longshore-test/busybox:latest';
const CLUSTER = 'svc-e2e';

describe('services on a real agent, through the aws CLI', () => {
  let t: TestPlane;
  let a: TestAgent;
  /** `aws ecs <args>` against the test plane; parses JSON output when there is any. */
  // biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON output; the assertions check its shape.
  const ecs = async (...args: string[]): Promise<any> => {
    const { stdout } = await promisify(execFile)(
      'aws',
      ['--endpoint-url', t.plane.endpoint, 'ecs', ...args],
      {
        env: awsCliEnv(),
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    return stdout.trim() ? JSON.parse(stdout) : undefined;
  };
  const web = (version: string) =>
    JSON.stringify([
      {
        name: 'web',
        image: IMAGE,
        memory: 32,
        essential: true,
        command: ['httpd', '-f', '-p', '80', '-h', '/www'],
        environment: [{ name: 'VERSION', value: version }],
        portMappings: [{ containerPort: 80, hostPort: 0 }],
        healthCheck: {
          command: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1/ || exit 1'],
          interval: 5,
          timeout: 2,
          retries: 2,
        },
        stopTimeout: 2,
      },
    ]);
  const describeWeb = async () =>
    (await ecs('describe-services', '--cluster', CLUSTER, '--services', 'web')).services[0];

  before(async () => {
    // Tasks without a health check (the crashing revision) would count as healthy after 2 s RUNNING.
    t = await startTestPlane({ controllers: { service: { uncheckedHealthyAfterMs: 2_000 } } });
    await ecs('create-cluster', '--cluster-name', CLUSTER);
    a = await startTestAgent(t, { cluster: CLUSTER, cpu: '2048', memory: '1024' });
  });
  after(async () => {
    await a?.stop();
    await t?.stop();
  });

  it('creates a 3-task httpd service and waits for it to be stable', async () => {
    await ecs('register-task-definition', '--family', 'web', '--container-definitions', web('1'));
    await ecs('register-task-definition', '--family', 'web', '--container-definitions', web('2'));
    const breaker =
      'deploymentCircuitBreaker={enable=true,rollback=true},maximumPercent=200,minimumHealthyPercent=100';
    await ecs(
      'create-service',
      '--cluster',
      CLUSTER,
      '--service-name',
      'web',
      '--task-definition',
      'web:1',
      '--desired-count',
      '3',
      '--deployment-configuration',
      breaker,
    );
    await ecs('wait', 'services-stable', '--cluster', CLUSTER, '--services', 'web');
    const stable = await describeWeb();
    assert.equal(stable.runningCount, 3);
    assert.equal(stable.deployments.length, 1);
    // The waiter looks at counts only (as on ECS); the rollout completes once health checks pass.
    await waitFor(
      'COMPLETED',
      async () => ((await describeWeb()).deployments[0].rolloutState === 'COMPLETED' ? true : undefined),
      30_000,
      500,
    );
    const tasks = await ecs(
      'describe-tasks',
      '--cluster',
      CLUSTER,
      '--tasks',
      ...(await ecs('list-tasks', '--cluster', CLUSTER, '--service-name', 'web')).taskArns,
    );
    for (const task of tasks.tasks) {
      assert.equal(task.healthStatus, 'HEALTHY');
      const port = task.containers[0].networkBindings[0].hostPort;
      const res = await fetch(`http://127.0.0.1:${port}/`);
      assert.match(await res.text(), /hello from longshore-test busybox/);
    }
  });

  it('rolls to a new revision: aws ecs wait services-stable returns once only it runs', async () => {
    await ecs('update-service', '--cluster', CLUSTER, '--service', 'web', '--task-definition', 'web:2');
    await ecs('wait', 'services-stable', '--cluster', CLUSTER, '--services', 'web');
    const service = await describeWeb();
    assert.match(service.taskDefinition, /web:2$/);
    assert.equal(service.deployments.length, 1);
    const arns = (await ecs('list-tasks', '--cluster', CLUSTER, '--service-name', 'web')).taskArns;
    const tasks = (await ecs('describe-tasks', '--cluster', CLUSTER, '--tasks', ...arns)).tasks;
    assert.equal(tasks.length, 3);
    assert.ok(tasks.every((x: { taskDefinitionArn: string }) => x.taskDefinitionArn.endsWith('web:2')));
    const stopped = (
      await ecs('list-tasks', '--cluster', CLUSTER, '--service-name', 'web', '--desired-status', 'STOPPED')
    ).taskArns;
    const old = (await ecs('describe-tasks', '--cluster', CLUSTER, '--tasks', ...stopped)).tasks;
    assert.ok(
      old.some(
        (x: { stopCode: string; stoppedReason: string }) =>
          x.stopCode === 'ServiceSchedulerInitiated' &&
          x.stoppedReason.startsWith('Scaling activity initiated by (deployment ecs-svc/'),
      ),
    );
  });

  it('rolls back an update whose containers crash (circuit breaker)', async () => {
    const crash = JSON.stringify([
      { name: 'web', image: IMAGE, memory: 32, essential: true, command: ['sh', '-c', 'echo boom; exit 3'] },
    ]);
    await ecs('register-task-definition', '--family', 'web', '--container-definitions', crash);
    const updated = await ecs(
      'update-service',
      '--cluster',
      CLUSTER,
      '--service',
      'web',
      '--task-definition',
      'web:3',
    );
    const failedId = updated.service.deployments[0].id;
    await ecs('wait', 'services-stable', '--cluster', CLUSTER, '--services', 'web');
    const service = await describeWeb();
    assert.match(service.taskDefinition, /web:2$/);
    assert.equal(service.deployments.length, 1);
    assert.equal(service.deployments[0].rolloutState, 'COMPLETED');
    const messages: string[] = service.events.map((e: { message: string }) => e.message);
    assert.ok(
      messages.includes(`(service web) (deployment ${failedId}) deployment failed: tasks failed to start.`),
      messages.join('\n'),
    );
    const deployments = await ecs('list-service-deployments', '--cluster', CLUSTER, '--service', 'web');
    assert.equal(deployments.serviceDeployments[0].status, 'ROLLBACK_SUCCESSFUL');
  });

  it('deletes the service: aws ecs wait services-inactive returns once its tasks have stopped', async () => {
    const deleted = await ecs('delete-service', '--cluster', CLUSTER, '--service', 'web', '--force');
    assert.equal(deleted.service.status, 'DRAINING');
    await ecs('wait', 'services-inactive', '--cluster', CLUSTER, '--services', 'web');
    const left = await ecs('list-tasks', '--cluster', CLUSTER, '--service-name', 'web');
    assert.deepEqual(left.taskArns, []);
  });
});
