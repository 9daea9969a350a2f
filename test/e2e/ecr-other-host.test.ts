/**
 * An image pushed to Longshore runs as a task on another host's agent. The other host is a network
 * namespace joined to this one by a veth pair, with a Docker Engine of its own (nsenter'd into the
 * namespace, its own data root, `--insecure-registry` for the control plane's address there) and a
 * `longshore agent` child process that reaches the control plane through a forwarder on the veth
 * address. The repository URI names loopback (`127.0.0.1:<port>/name`), which that host cannot
 * reach: the agent pulls from the control plane's address it connects to and tags the image with
 * the URI, so the task's image is the name the user gave.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { CreateRepositoryCommand, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import {
  CreateClusterCommand,
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { waitFor } from '../support/agents.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';
import { spawnCli } from '../support/spawn-cli.ts';
import { ecrClient } from '../ecr/ecr-plane.ts';
import { dockerWith } from '../ecr/registry-client.ts';

const run = promisify(execFile);
const TEST_IMAGE = 'longshore-test/busybox:latest';
const haveDocker = spawnSync('docker', ['image', 'inspect', TEST_IMAGE]).status === 0;
const canNetns =
  process.getuid?.() === 0 &&
  spawnSync('nsenter', ['--version']).status === 0 &&
  spawnSync('ip', ['-V']).status === 0;

/** Names short enough for interfaces (15 characters), apart from any other run's. */
const tag = `lso${process.pid % 100_000}`;
const NS = tag;
const HOST_IF = `${tag}a`;
const NS_IF = `${tag}b`;
/** A /30 of its own per run (10.254.<n>.0/30). */
const octet = (process.pid % 250) + 1;
const HOST_IP = `10.254.${octet}.1`;
const NS_IP = `10.254.${octet}.2`;

async function sh(cmd: string, args: string[]): Promise<void> {
  await run(cmd, args, { timeout: 30_000 });
}

describe('an image pushed to Longshore runs on another host', {
  skip: (!haveDocker && 'docker or the test image is missing') || (!canNetns && 'needs root, ip and nsenter'),
}, () => {
  let t: TestPlane;
  let work: string;
  let forwarder: Server;
  let forwardPort = 0;
  let dockerd: ChildProcess | undefined;
  let agent: ReturnType<typeof spawnCli> | undefined;
  let dockerConfig: string;
  const dockerHost = () => `unix://${join(work, 'docker.sock')}`;
  /** docker against the other host's engine. */
  const docker2 = (args: string[]) =>
    run('docker', ['-H', dockerHost(), ...args], { timeout: 60_000 }).then(
      (r) => r.stdout,
      (e: { stdout?: string; stderr?: string }) => `${e.stdout ?? ''}${e.stderr ?? ''}`,
    );

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'longshore-other-host-'));
    dockerConfig = join(work, 'docker-config');
    t = await startTestPlane();
    // The other host and its link.
    await sh('ip', ['netns', 'add', NS]);
    await sh('ip', ['link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF]);
    await sh('ip', ['link', 'set', NS_IF, 'netns', NS]);
    await sh('ip', ['addr', 'add', `${HOST_IP}/30`, 'dev', HOST_IF]);
    await sh('ip', ['link', 'set', HOST_IF, 'up']);
    await sh('ip', ['netns', 'exec', NS, 'ip', 'addr', 'add', `${NS_IP}/30`, 'dev', NS_IF]);
    await sh('ip', ['netns', 'exec', NS, 'ip', 'link', 'set', NS_IF, 'up']);
    await sh('ip', ['netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up']);
    // The control plane stays on loopback; the other host reaches it through this forwarder.
    const port = Number(new URL(t.plane.endpoint).port);
    forwarder = createServer((client) => {
      const upstream = connect(port, '127.0.0.1');
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => forwarder.listen(0, HOST_IP, resolve));
    forwardPort = (forwarder.address() as { port: number }).port;
    // Its Docker Engine: only the network namespace is the other host's (ip netns exec would hide
    // the cgroup mounts dockerd needs).
    dockerd = spawn(
      'nsenter',
      [
        `--net=/var/run/netns/${NS}`,
        'dockerd',
        '--data-root',
        join(work, 'data'),
        '--exec-root',
        join(work, 'exec'),
        '--pidfile',
        join(work, 'dockerd.pid'),
        '--host',
        dockerHost(),
        '--bridge',
        'none',
        '--iptables=false',
        '--ip-masq=false',
        '--containerd-namespace',
        tag,
        '--containerd-plugins-namespace',
        `${tag}p`,
        '--insecure-registry',
        `${HOST_IP}:${forwardPort}`,
      ],
      { stdio: 'ignore' },
    );
    await waitFor(
      "the other host's Docker Engine",
      async () =>
        (await docker2(['version', '--format', '{{.Server.Version}}'])).match(/^\d+\./) ? true : undefined,
      30_000,
      250,
    );
  });

  after(async () => {
    if (agent?.child.exitCode === null) {
      agent.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      agent.child.kill('SIGKILL');
    }
    if (dockerd && dockerd.exitCode === null) {
      const ids = (await docker2(['ps', '-aq'])).split('\n').filter(Boolean);
      if (ids.length > 0) await docker2(['rm', '-f', ...ids]);
      dockerd.kill('SIGTERM');
      await waitFor(
        'dockerd to stop',
        async () => (dockerd?.exitCode !== null ? true : undefined),
        20_000,
      ).catch(() => dockerd?.kill('SIGKILL'));
    }
    forwarder?.close();
    spawnSync('ip', ['netns', 'del', NS]);
    spawnSync('ip', ['link', 'del', HOST_IF]);
    spawnSync('docker', ['image', 'rm', '-f', `${new URL(t.plane.endpoint).host}/far/app:v1`]);
    // Overlay mounts under the data root go with the daemon; anything left is unmounted before removal.
    const mounts =
      spawnSync('sh', ['-c', `grep -o '${work}[^ ]*' /proc/mounts | sort -r`]).stdout?.toString() ?? '';
    for (const m of mounts.split('\n').filter(Boolean)) spawnSync('umount', ['-l', m]);
    if (existsSync(work)) rmSync(work, { recursive: true, force: true });
    await t.stop();
  });

  it('pushes from this host, runs on the other one with the URI as its image', async () => {
    const ecr = ecrClient(t.plane.endpoint);
    const repo = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'far/app' }));
    const uri = `${repo.repository?.repositoryUri}:v1`;
    assert.match(uri, /^127\.0\.0\.1:\d+\/far\/app:v1$/);
    // docker login / tag / push on this host, as the README has it.
    const token = await ecr.send(new GetAuthorizationTokenCommand({}));
    const password = Buffer.from(token.authorizationData?.[0].authorizationToken ?? '', 'base64')
      .toString()
      .slice('AWS:'.length);
    const registryHost = new URL(t.plane.endpoint).host;
    assert.equal(
      (await dockerWith(dockerConfig, ['login', '-u', 'AWS', '--password-stdin', registryHost], password))
        .code,
      0,
    );
    assert.equal((await dockerWith(dockerConfig, ['tag', TEST_IMAGE, uri])).code, 0);
    const push = await dockerWith(dockerConfig, ['push', uri]);
    assert.equal(push.code, 0, push.out);
    ecr.destroy();

    // The agent on the other host, pointed at the control plane's address there.
    await t.ecs.send(new CreateClusterCommand({ clusterName: 'far' }));
    agent = spawnCli(
      [
        'agent',
        '--endpoint',
        `http://${HOST_IP}:${forwardPort}`,
        '--cluster',
        'far',
        '--data-dir',
        join(work, 'agent'),
        '--metadata-port',
        '0',
      ],
      { DOCKER_HOST: dockerHost() },
      ['nsenter', `--net=/var/run/netns/${NS}`],
    );
    await waitFor(
      "the other host's container instance",
      async () => {
        const listed = await t.ecs.send(new ListContainerInstancesCommand({ cluster: 'far' }));
        const arn = listed.containerInstanceArns?.[0];
        if (!arn) return undefined;
        const got = await t.ecs.send(
          new DescribeContainerInstancesCommand({ cluster: 'far', containerInstances: [arn] }),
        );
        return got.containerInstances?.[0].agentConnected ? arn : undefined;
      },
      30_000,
      200,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${agent?.output()}`);
    });

    const def = await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'far-app',
        networkMode: 'none',
        containerDefinitions: [
          {
            name: 'app',
            image: uri,
            memory: 32,
            essential: true,
            command: ['echo', 'ran on the other host'],
          },
        ],
      }),
    );
    const started = await t.ecs.send(
      new RunTaskCommand({ cluster: 'far', taskDefinition: def.taskDefinition?.taskDefinitionArn }),
    );
    assert.deepEqual(started.failures, []);
    const taskArn = started.tasks?.[0].taskArn ?? '';
    const stopped = await waitFor(
      'the task to stop',
      async () => {
        const got = await t.ecs.send(new DescribeTasksCommand({ cluster: 'far', tasks: [taskArn] }));
        const task = got.tasks?.[0];
        return task?.lastStatus === 'STOPPED' ? task : undefined;
      },
      90_000,
      250,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${agent?.output()}`);
    });
    assert.equal(
      stopped.containers?.[0].exitCode,
      0,
      `${stopped.stoppedReason} ${stopped.containers?.[0].reason}`,
    );
    assert.ok(stopped.pullStartedAt && stopped.pullStoppedAt, 'pull times are reported');
    // The other host's engine has the image under the URI the task named (pulled from the forwarder's address).
    const images = await docker2(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
    assert.match(images, new RegExp(`^${uri.replace(/[.]/g, '\\.')}$`, 'm'));
    assert.match(images, new RegExp(`^${HOST_IP.replace(/[.]/g, '\\.')}:${forwardPort}/far/app:v1$`, 'm'));
  });
});
