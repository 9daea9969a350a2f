/**
 * Load balancing end to end on real Docker: the README's block (aws CLI) puts an ALB with a path
 * rule in front of two services with dynamic host ports and curls through the DNS name; then a
 * rolling deployment while a client keeps sending (zero failed requests, counted), a task whose
 * target starts failing its health checks (no request reaches it after the thresholds; ECS replaces
 * it), and an NLB in front of a TCP service.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import {
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startTestAgent, type TestAgent, waitFor } from '../support/agents.ts';
import { awsCliEnv } from '../support/aws-cli.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';
import { elbv2Client } from '../elbv2/elbv2-plane.ts';
import { defaultVpcLayout } from '../support/ec2-client.ts';

const run = promisify(execFile);
const IMAGE = 'longshore-test/busybox:latest';

/** The README's load balancing block, after the `ecs` function the first block defines. */
function readmeBlock(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /<!-- lb-walkthrough:start -->\n```sh\n([\s\S]*?)```\n<!-- lb-walkthrough:end -->/.exec(
    readme,
  );
  assert.ok(block, 'README.md has no lb-walkthrough block');
  return `ecs() { aws --endpoint-url "$LONGSHORE" ecs "$@"; }\n${block[1]}`;
}

/** A client that keeps sending GETs until stopped; counts answers by body and failures. */
function steadyClient(url: string, host: string, path = '/') {
  const bodies = new Map<string, number>();
  const failures: string[] = [];
  let sent = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      sent++;
      try {
        const res = await fetch(new URL(path, url), {
          headers: { host },
          signal: AbortSignal.timeout(5_000),
        });
        const body = (await res.text()).trim();
        if (res.status !== 200) failures.push(`${res.status} ${body.slice(0, 80)}`);
        else bodies.set(body, (bodies.get(body) ?? 0) + 1);
      } catch (error) {
        failures.push(String(error));
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    bodies,
    failures,
    sent: () => sent,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

describe('load balancing on real Docker', () => {
  let t: TestPlane;
  let a: TestAgent;
  let elb: ElasticLoadBalancingV2Client;
  let url = '';
  let host = '';

  before(async () => {
    t = await startTestPlane();
    a = await startTestAgent(t, { cluster: 'default', cpu: '4096', memory: '2048' });
    elb = elbv2Client(t.plane.endpoint);
  });
  after(async () => {
    for (const service of ['lb-web', 'lb-api', 'tcp']) {
      await t.ecs
        .send(new UpdateServiceCommand({ cluster: 'default', service, desiredCount: 0 }))
        .catch(() => undefined);
    }
    elb?.destroy();
    await a?.stop();
    await t?.stop();
  });

  const groupArn = async (name: string) =>
    (await elb.send(new DescribeTargetGroupsCommand({ Names: [name] }))).TargetGroups?.[0].TargetGroupArn ??
    '';
  const health = async (tgArn: string) =>
    (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))).TargetHealthDescriptions ??
    [];

  it("runs the README's block: the ALB's path rule sends / to web and /api/ to api", async () => {
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', readmeBlock()], {
      env: awsCliEnv({ LONGSHORE: t.plane.endpoint }),
      encoding: 'utf8',
      timeout: 240_000,
    });
    const lines = stdout.trim().split('\n');
    assert.deepEqual(lines.slice(-2), ['web', 'api'], stdout);
    const lb = (await elb.send(new DescribeLoadBalancersCommand({ Names: ['web-lb'] }))).LoadBalancers?.[0];
    host = lb?.DNSName ?? '';
    const where = t.plane.loadBalancers.listeners().find((l) => l.hostPort !== undefined);
    assert.ok(where, 'the listener reported where it listens');
    url = `http://${where.hostAddress}:${where.hostPort}/`;
    const groups = await elb.send(new DescribeTargetGroupsCommand({ Names: ['web-tg'] }));
    assert.deepEqual(groups.TargetGroups?.[0].LoadBalancerArns, [lb?.LoadBalancerArn]);
    assert.match(host, /^web-lb-[0-9a-z]+\.us-east-1\.elb\.localhost$/);
  });

  it('rolls lb-web to a new revision with zero failed requests while a client keeps sending', async () => {
    assert.ok(url, 'the README block ran');
    const webTg = await groupArn('web-tg');
    // Old tasks drain for 5 s at most (300 s by default).
    await elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: webTg,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }],
      }),
    );
    const td = await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'lb-web',
        containerDefinitions: [
          {
            name: 'web',
            image: IMAGE,
            memory: 32,
            stopTimeout: 2,
            command: [
              'sh',
              '-c',
              'mkdir -p /www; echo web-v2 > /www/index.html; exec httpd -f -p 80 -h /www',
            ],
            portMappings: [{ containerPort: 80, hostPort: 0 }],
          },
        ],
      }),
    );
    const client = steadyClient(url, host);
    try {
      await t.ecs.send(
        new UpdateServiceCommand({
          cluster: 'default',
          service: 'lb-web',
          taskDefinition: td.taskDefinition?.taskDefinitionArn,
        }),
      );
      await waitFor(
        'the rollout to complete with only v2 answering',
        async () => {
          const s = (
            await t.ecs.send(new DescribeServicesCommand({ cluster: 'default', services: ['lb-web'] }))
          ).services?.[0];
          const done = s?.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED';
          return done && s?.runningCount === 2 ? true : undefined;
        },
        120_000,
        500,
      );
      // A last stretch of requests after the old tasks are gone.
      const before = client.sent();
      await waitFor(
        'a few more requests',
        async () => (client.sent() > before + 20 ? true : undefined),
        20_000,
      );
    } finally {
      await client.stop();
    }
    assert.deepEqual(client.failures, [], `failed requests during the rollout (of ${client.sent()})`);
    assert.ok((client.bodies.get('web') ?? 0) > 0, 'v1 answered before');
    assert.ok((client.bodies.get('web-v2') ?? 0) > 0, 'v2 answers after');
  });

  it('a target failing its health checks gets no requests after the thresholds, and ECS replaces its task', async () => {
    assert.ok(url, 'the README block ran');
    const apiTg = await groupArn('api-tg');
    const arns =
      (await t.ecs.send(new ListTasksCommand({ cluster: 'default', serviceName: 'lb-api' }))).taskArns ?? [];
    const tasks =
      (await t.ecs.send(new DescribeTasksCommand({ cluster: 'default', tasks: arns }))).tasks ?? [];
    const sick = tasks[0];
    const container = sick.containers?.[0].runtimeId ?? '';
    // Its httpd answers 404 from now on: health checks fail with a response code mismatch.
    await run('docker', ['exec', container, 'rm', '-rf', '/www/index.html', '/www/api']);
    const client = steadyClient(url, host, '/api/');
    let failuresAtStop = -1;
    try {
      // Unhealthy after 2 failed checks 5 s apart; ECS then stops the task at once (it drains first).
      const stopped = await waitFor(
        'ECS to replace the task',
        async () => {
          const got = await t.ecs.send(
            new DescribeTasksCommand({ cluster: 'default', tasks: [sick.taskArn ?? ''] }),
          );
          return got.tasks?.[0].desiredStatus === 'STOPPED' ? got.tasks[0] : undefined;
        },
        40_000,
        100,
      );
      failuresAtStop = client.failures.length;
      assert.equal(stopped.stoppedReason, `Task failed ELB health checks in (target-group ${apiTg})`);
      const s = (await t.ecs.send(new DescribeServicesCommand({ cluster: 'default', services: ['lb-api'] })))
        .services?.[0];
      const id = sick.taskArn?.split('/').pop();
      assert.ok(
        s?.events?.some(
          (e) =>
            e.message?.startsWith(`(service lb-api) (task ${id}) (instance i-`) &&
            e.message.includes(
              `is unhealthy in (target-group ${apiTg}) due to (reason Health checks failed with these codes: [404])`,
            ),
        ),
        JSON.stringify(s?.events?.slice(0, 8).map((e) => e.message)),
      );
      await waitFor(
        'the service to be back at two',
        async () => {
          const svc = (
            await t.ecs.send(new DescribeServicesCommand({ cluster: 'default', services: ['lb-api'] }))
          ).services?.[0];
          return svc?.runningCount === 2 && svc.deployments?.[0].rolloutState === 'COMPLETED'
            ? true
            : undefined;
        },
        60_000,
        500,
      );
    } finally {
      await client.stop();
    }
    // Requests reached the sick target (404s) only until it was found unhealthy, never after.
    assert.ok(failuresAtStop >= 0);
    assert.equal(client.failures.length, failuresAtStop, client.failures.slice(failuresAtStop).join('\n'));
    assert.ok((client.bodies.get('api') ?? 0) > 0);
  });

  it('an NLB forwards TCP to a service', async () => {
    const { vpcId, subnetIds } = await defaultVpcLayout(t.plane.endpoint);
    const nlb = (
      await elb.send(
        new CreateLoadBalancerCommand({ Name: 'tcp-lb', Type: 'network', Subnets: subnetIds.slice(0, 2) }),
      )
    ).LoadBalancers?.[0];
    const tg = (
      await elb.send(
        new CreateTargetGroupCommand({
          Name: 'tcp-tg',
          Protocol: 'TCP',
          Port: 7000,
          VpcId: vpcId,
          HealthCheckIntervalSeconds: 5,
          HealthCheckTimeoutSeconds: 2,
          HealthyThresholdCount: 2,
        }),
      )
    ).TargetGroups?.[0];
    const listener = (
      await elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: nlb?.LoadBalancerArn,
          Protocol: 'TCP',
          Port: 7000,
          DefaultActions: [{ Type: 'forward', TargetGroupArn: tg?.TargetGroupArn }],
        }),
      )
    ).Listeners?.[0];
    const td = await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'tcp',
        containerDefinitions: [
          {
            name: 'tcp',
            image: IMAGE,
            memory: 32,
            stopTimeout: 2,
            command: ['nc', '-ll', '-p', '7000', '-e', 'echo', 'tcp-ok'],
            portMappings: [{ containerPort: 7000, hostPort: 0 }],
          },
        ],
      }),
    );
    await t.ecs.send(
      new CreateServiceCommand({
        cluster: 'default',
        serviceName: 'tcp',
        taskDefinition: td.taskDefinition?.taskDefinitionArn,
        desiredCount: 1,
        loadBalancers: [{ targetGroupArn: tg?.TargetGroupArn, containerName: 'tcp', containerPort: 7000 }],
      }),
    );
    await waitFor(
      'the TCP target to be healthy',
      async () =>
        (await health(tg?.TargetGroupArn ?? ''))[0]?.TargetHealth?.State === 'healthy' ? true : undefined,
      60_000,
      250,
    );
    const where = await waitFor('the NLB listener', async () =>
      t.plane.loadBalancers.listeners().find((l) => l.listenerArn === listener?.ListenerArn && l.hostPort),
    );
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(where.hostPort ?? 0, where.hostAddress ?? '127.0.0.1');
      let data = '';
      socket.setTimeout(5_000, () => socket.destroy(new Error('no answer in 5 s')));
      socket.on('data', (d) => {
        data += String(d);
      });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    assert.equal(answer.trim(), 'tcp-ok');
  });
});
