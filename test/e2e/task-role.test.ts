/**
 * Task roles and execution roles on real Docker: a task reads its role's credentials from
 * 169.254.170.2 with the AWS SDK's own container provider (Node 24 and @aws-sdk from this checkout)
 * and calls Longshore at AWS_ENDPOINT_URL as the assumed role (GetCallerIdentity, an allowed call,
 * a denied one); a neighbour container is refused those credentials; a host-mode task gets its
 * own; a role that does not trust ecs-tasks.amazonaws.com stops the task with ECS's text; an
 * execution role without ecr:GetAuthorizationToken cannot pull a private image. Prints the
 * credentials endpoint's latency as a container sees it.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { CreateRepositoryCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import {
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type Task,
  type ContainerDefinition,
  type Volume,
} from '@aws-sdk/client-ecs';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { startTestAgent, type TestAgent, waitFor } from '../support/agents.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { ensureNodeImage, NODE_IMAGE, NODE_IN_TASK, NODE_MODULES_DIR } from './task-role-image.ts';

const run = promisify(execFile);
/** A command's exit status and output, failing or not. */
const exec = (file: string, args: string[]) =>
  run(file, args, { encoding: 'utf8' }).then(
    ({ stdout, stderr }) => ({ status: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      status: error.code ?? 1,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }),
  );
const haveDocker = spawnSync('docker', ['image', 'inspect', 'longshore-test/busybox:latest']).status === 0;
const ACCOUNT = '000000000000';
const ECS_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
});

/** Runs in the task: the SDK finds the credentials and the endpoint on its own. */
const SCRIPT = `
const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');
const { ECSClient, ListClustersCommand, CreateClusterCommand } = require('@aws-sdk/client-ecs');
(async () => {
  const out = {};
  try { out.arn = (await new STSClient({}).send(new GetCallerIdentityCommand({}))).Arn; }
  catch (e) { out.arn = 'ERROR ' + e.name + ': ' + e.message; }
  const ecs = new ECSClient({});
  try { await ecs.send(new ListClustersCommand({})); out.allowed = 'ok'; } catch (e) { out.allowed = e.name + ': ' + e.message; }
  try { await ecs.send(new CreateClusterCommand({ clusterName: 'not-allowed' })); out.denied = 'ok'; }
  catch (e) { out.denied = e.name + ': ' + e.message; }
  const url = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI || 'http://169.254.170.2' + process.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
  const times = [];
  for (let i = 0; i < 1000; i++) {
    const t = performance.now();
    const r = await fetch(url);
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error('credentials answered ' + r.status);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  out.p50 = times[499]; out.p99 = times[989];
  console.log('RESULT=' + JSON.stringify(out));
  setInterval(() => {}, 60000);
})();
`;

describe('task roles and execution roles', {
  skip: !haveDocker && 'docker or the test image is missing',
}, () => {
  let t: TestPlane;
  let a: TestAgent;
  let iam: IAMClient;
  let pushed = '';
  let dockerConfig = '';
  before(async () => {
    await ensureNodeImage();
    t = await startTestPlane();
    a = await startTestAgent(t, { cluster: 'default' });
    iam = new IAMClient({ endpoint: t.plane.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
    await iam.send(new CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: ECS_TRUST }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'app',
        PolicyName: 'list-only',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'ecs:ListClusters', Resource: '*' }],
        }),
      }),
    );
  });
  after(async () => {
    iam?.destroy();
    if (pushed) await run('docker', ['rmi', '-f', pushed]).catch(() => undefined);
    if (dockerConfig) rmSync(dockerConfig, { recursive: true, force: true });
    await a?.stop();
    await t?.stop();
  });

  const register = async (
    family: string,
    container: ContainerDefinition,
    extra: {
      taskRoleArn?: string;
      executionRoleArn?: string;
      networkMode?: 'host' | 'bridge' | 'awsvpc';
      volumes?: Volume[];
    } = {},
  ) => {
    const td = await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        containerDefinitions: [{ memory: 256, stopTimeout: 1, ...container }],
        ...extra,
      }),
    );
    return td.taskDefinition?.taskDefinitionArn ?? '';
  };
  const start = async (taskDefinition: string, subnet?: string) =>
    (
      await t.ecs.send(
        new RunTaskCommand({
          taskDefinition,
          ...(subnet ? { networkConfiguration: { awsvpcConfiguration: { subnets: [subnet] } } } : {}),
        }),
      )
    ).tasks?.[0]?.taskArn ?? '';
  const describeTask = async (arn: string): Promise<Task | undefined> =>
    (await t.ecs.send(new DescribeTasksCommand({ tasks: [arn] }))).tasks?.[0];
  const running = (arn: string) =>
    waitFor(
      'the task to run',
      async () => {
        const task = await describeTask(arn);
        if (task?.lastStatus === 'STOPPED')
          throw new Error(`stopped: ${task.stoppedReason} ${task.containers?.[0]?.reason ?? ''}`);
        return task?.lastStatus === 'RUNNING' ? task : undefined;
      },
      60_000,
      250,
    );
  const stopped = (arn: string) =>
    waitFor(
      'the task to stop',
      async () => {
        const task = await describeTask(arn);
        return task?.lastStatus === 'STOPPED' ? task : undefined;
      },
      60_000,
      250,
    );
  /** The Node task: this checkout's node_modules mounted read-only, the script above as its command. */
  const nodeTask = (family: string, networkMode: 'bridge' | 'host' | 'awsvpc') =>
    register(
      family,
      {
        name: 'app',
        image: NODE_IMAGE,
        command: [NODE_IN_TASK, '-e', SCRIPT],
        workingDirectory: '/app',
        environment: [{ name: 'AWS_REGION', value: 'us-east-1' }],
        mountPoints: [{ sourceVolume: 'modules', containerPath: '/app/node_modules', readOnly: true }],
      },
      {
        taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/app`,
        networkMode,
        volumes: [{ name: 'modules', host: { sourcePath: NODE_MODULES_DIR } }],
      },
    );
  const result = async (runtimeId: string) =>
    waitFor(
      "the task's result",
      async () => {
        const { stdout, stderr } = await run('docker', ['logs', runtimeId]);
        if (/Error/.test(stderr) && !stdout) throw new Error(stderr);
        const line = /^RESULT=(.*)$/m.exec(stdout)?.[1];
        return line ? (JSON.parse(line) as Record<string, string | number>) : undefined;
      },
      60_000,
      250,
    );
  const envOf = async (runtimeId: string, name: string) => {
    const { stdout } = await run('docker', ['inspect', '--format', '{{json .Config.Env}}', runtimeId]);
    const entry = (JSON.parse(stdout) as string[]).find((e) => e.startsWith(`${name}=`));
    return entry?.slice(name.length + 1);
  };

  let appContainer = '';

  it('a bridge task calls Longshore as its role session: allowed, denied, and the assumed-role ARN', async () => {
    const arn = await start(await nodeTask('role-bridge', 'bridge'));
    const task = await running(arn);
    appContainer = task.containers?.[0]?.runtimeId ?? '';
    const out = await result(appContainer);
    const taskId = arn.split('/').pop();
    assert.equal(out.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/app/${taskId}`);
    assert.equal(out.allowed, 'ok');
    assert.match(
      String(out.denied),
      /^AccessDeniedException: .*assumed-role\/app\/.* is not authorized to perform: ecs:CreateCluster/,
    );
    const uri =
      (await envOf(appContainer, 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI')) ??
      (await envOf(appContainer, 'AWS_CONTAINER_CREDENTIALS_FULL_URI'));
    assert.match(
      uri ?? '',
      /\/v2\/credentials\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    assert.match(
      (await envOf(appContainer, 'AWS_ENDPOINT_URL')) ?? '',
      /^http:\/\/\d+\.\d+\.\d+\.\d+(:\d+)?$/,
    );
    console.log(
      `credentials endpoint from inside a bridge container (keep-alive, 1,000 GETs): p50 ${Number(out.p50).toFixed(3)} ms, p99 ${Number(out.p99).toFixed(3)} ms`,
    );
  });

  it("a neighbour container is refused another task's credentials", async () => {
    assert.ok(appContainer, 'needs the first test');
    const relative = await envOf(appContainer, 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI');
    const full =
      (await envOf(appContainer, 'AWS_CONTAINER_CREDENTIALS_FULL_URI')) ?? `http://169.254.170.2${relative}`;
    const arn = await start(
      await register('role-neighbour', {
        name: 'n',
        image: 'longshore-test/busybox:latest',
        memory: 32,
        command: ['sleep', '120'],
      }),
    );
    const neighbour = (await running(arn)).containers?.[0]?.runtimeId ?? '';
    // The neighbour has no role: no credentials URI of its own.
    assert.equal(await envOf(neighbour, 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'), undefined);
    // Asynchronously: the agent answering runs in this process.
    const asked = await exec('docker', ['exec', neighbour, 'wget', '-S', '-q', '-O-', full]);
    assert.notEqual(asked.status, 0, 'the neighbour read the credentials');
    assert.match(asked.stderr, /403 Forbidden/);
    assert.doesNotMatch(asked.stdout + asked.stderr, /SecretAccessKey|ASIA/);
    // The owner still reads them.
    const own = await exec('docker', ['exec', appContainer, 'wget', '-q', '-O-', full]);
    assert.equal(own.status, 0, own.stderr);
    assert.match(own.stdout, /"AccessKeyId":"ASIA/);
  });

  it('a host-mode task gets its role session too', async () => {
    const arn = await start(await nodeTask('role-host', 'host'));
    const task = await running(arn);
    const out = await result(task.containers?.[0]?.runtimeId ?? '');
    assert.equal(out.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/app/${arn.split('/').pop()}`);
    assert.equal(out.allowed, 'ok');
  });

  it('an awsvpc task reaches the agent through its VPC bridge and gets its role session', async () => {
    // A VPC of its own: the default VPC's range may be another installation's bridge on this host.
    const { ec2Client } = await import('../support/ec2-client.ts');
    const { CreateSubnetCommand, CreateVpcCommand } = await import('@aws-sdk/client-ec2');
    const ec2 = ec2Client(t.plane.endpoint);
    const cidr = `10.${100 + Math.floor(Math.random() * 150)}.${Math.floor(Math.random() * 250)}.0/24`;
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
    const subnet = await ec2.send(
      new CreateSubnetCommand({ VpcId: vpc.Vpc?.VpcId, CidrBlock: cidr, AvailabilityZone: 'us-east-1a' }),
    );
    ec2.destroy();
    const arn = await start(await nodeTask('role-awsvpc', 'awsvpc'), subnet.Subnet?.SubnetId);
    const task = await running(arn);
    const out = await result(task.containers?.[0]?.runtimeId ?? '');
    assert.equal(out.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/app/${arn.split('/').pop()}`);
    assert.equal(out.allowed, 'ok');
  });

  it('a role that does not trust ecs-tasks.amazonaws.com stops the task with ECS’s text', async () => {
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'ec2-only',
        AssumeRolePolicyDocument: ECS_TRUST.replace('ecs-tasks.amazonaws.com', 'ec2.amazonaws.com'),
      }),
    );
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/ec2-only`;
    const arn = await start(
      await register(
        'role-untrusted',
        { name: 'x', image: 'longshore-test/busybox:latest', memory: 32, command: ['sleep', '60'] },
        { taskRoleArn: roleArn },
      ),
    );
    const task = await stopped(arn);
    assert.equal(task.stopCode, 'TaskFailedToStart');
    assert.equal(
      task.stoppedReason,
      `ECS was unable to assume the role '${roleArn}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.`,
    );
  });

  it('an execution role without ecr:GetAuthorizationToken cannot pull a private Longshore image', async () => {
    const ecr = new ECRClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
    });
    const repo = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'private' }));
    const token =
      (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0]?.authorizationToken ?? '';
    ecr.destroy();
    const uri = repo.repository?.repositoryUri ?? '';
    pushed = `${uri}:latest`;
    dockerConfig = mkdtempSync(join(tmpdir(), 'longshore-docker-config-'));
    const env = { ...process.env, DOCKER_CONFIG: dockerConfig };
    const [user, password] = Buffer.from(token, 'base64').toString('utf8').split(':');
    // Asynchronously: the registry answering runs in this process.
    const login = run('docker', ['login', '-u', user ?? '', '--password-stdin', uri.split('/')[0] ?? ''], {
      env,
    });
    login.child.stdin?.end(password);
    await login;
    await run('docker', ['tag', 'longshore-test/busybox:latest', pushed]);
    await run('docker', ['push', pushed], { env });
    await iam.send(
      new CreateRoleCommand({ RoleName: 'exec-logs-only', AssumeRolePolicyDocument: ECS_TRUST }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'exec-logs-only',
        PolicyName: 'logs',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' },
          ],
        }),
      }),
    );
    const arn = await start(
      await register(
        'exec-no-ecr',
        { name: 'p', image: pushed, memory: 32, command: ['sleep', '60'] },
        { executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/exec-logs-only` },
      ),
    );
    const task = await stopped(arn);
    const reason = `${task.stoppedReason} ${task.containers?.[0]?.reason ?? ''}`;
    assert.match(
      reason,
      /ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 1 time\(s\): AccessDeniedException: User: arn:aws:sts::000000000000:assumed-role\/exec-logs-only\/[0-9a-f]+ is not authorized to perform: ecr:GetAuthorizationToken/,
    );
    assert.equal(task.stopCode, 'TaskFailedToStart');
  });
});
