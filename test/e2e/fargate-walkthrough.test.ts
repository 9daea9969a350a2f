import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import {
  DeleteServiceCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { startTestAgent, type TestAgent, waitFor } from '../support/agents.ts';
import { awsCliEnv } from '../support/aws-cli.ts';
import { ec2Client } from '../support/ec2-client.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';

const CLUSTER = 'my-ecs-cluster';

/** The README's Fargate block, after the `ecs` function the first block defines. */
function walkthrough(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block =
    /<!-- fargate-walkthrough:start -->\n```sh\n([\s\S]*?)```\n<!-- fargate-walkthrough:end -->/.exec(readme);
  assert.ok(block, 'README.md has no fargate-walkthrough block');
  return `ecs() { aws --endpoint-url "$LONGSHORE" ecs "$@"; }\n${block[1]}`;
}

describe("the README's Fargate walkthrough (the seed flow), aws CLI and real Docker", () => {
  let t: TestPlane;
  let a: TestAgent;
  let taskIps: string[] = [];
  before(async () => {
    t = await startTestPlane();
    a = await startTestAgent(t, { cluster: 'default' });
  });
  after(async () => {
    // Stop the service's tasks first, so the agent tears their namespaces down before it goes.
    await t.ecs
      .send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'my-app-service', desiredCount: 0 }))
      .catch(() => undefined);
    await t.ecs
      .send(new DeleteServiceCommand({ cluster: CLUSTER, service: 'my-app-service', force: true }))
      .catch(() => undefined);
    await waitFor(
      'the tasks to stop',
      async () => {
        const running = await t.ecs.send(
          new ListTasksCommand({ cluster: CLUSTER, desiredStatus: 'RUNNING' }),
        );
        if (running.taskArns?.length) return undefined;
        const stopped = await t.ecs.send(
          new ListTasksCommand({ cluster: CLUSTER, desiredStatus: 'STOPPED' }),
        );
        if (!stopped.taskArns?.length) return true;
        const tasks = await t.ecs.send(
          new DescribeTasksCommand({ cluster: CLUSTER, tasks: stopped.taskArns }),
        );
        return tasks.tasks?.every((x) => x.lastStatus === 'STOPPED') ? true : undefined;
      },
      30_000,
    ).catch(() => undefined);
    await a?.stop();
    await t?.stop();
  });

  it('gives two RUNNING tasks their own IPs, each answering on port 80, and services-stable returns', async () => {
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', walkthrough()], {
      env: awsCliEnv({ LONGSHORE: t.plane.endpoint }),
      encoding: 'utf8',
      timeout: 180_000,
    });
    const answers = stdout.split('\n').filter((l) => l === 'hello from longshore-test busybox');
    assert.equal(answers.length, 2, `both tasks answered at their IPs; output:\n${stdout}`);
    const arns =
      (await t.ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'my-app-service' })))
        .taskArns ?? [];
    const tasks = (await t.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks ?? [];
    assert.equal(tasks.length, 2);
    const ips = tasks.map((x) => x.containers?.[0].networkInterfaces?.[0].privateIpv4Address);
    assert.equal(new Set(ips).size, 2, `distinct private IPs: ${ips.join(', ')}`);
    for (const task of tasks) {
      assert.equal(task.lastStatus, 'RUNNING');
      assert.equal(task.launchType, 'FARGATE');
      assert.equal(task.containerInstanceArn, undefined);
      assert.match(task.availabilityZone ?? '', /^us-east-1[a-f]$/);
    }
    taskIps = ips.map(String);
  });

  it('applies a security group change to the running tasks: revoked, the port times out; authorized again, it answers', async () => {
    assert.equal(taskIps.length, 2, 'the walkthrough ran');
    const ec2 = ec2Client(t.plane.endpoint);
    try {
      const groups = await ec2.send(
        new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['my-app'] }] }),
      );
      const groupId = groups.SecurityGroups?.[0]?.GroupId ?? '';
      const rule = {
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      };
      await ec2.send(new RevokeSecurityGroupIngressCommand(rule));
      for (const ip of taskIps)
        await waitFor(
          `${ip} to stop answering`,
          async () => ((await answers(ip)) ? undefined : true),
          10_000,
        );
      await ec2.send(new AuthorizeSecurityGroupIngressCommand(rule));
      for (const ip of taskIps)
        await waitFor(`${ip} to answer again`, async () => ((await answers(ip)) ? true : undefined), 10_000);
    } finally {
      ec2.destroy();
    }
  });
});

/** True when the task's httpd answers on port 80 within a second (a dropped SYN just times out). */
async function answers(ip: string): Promise<boolean> {
  try {
    const res = await fetch(`http://${ip}/`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}
