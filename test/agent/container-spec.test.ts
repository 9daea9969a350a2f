/** Container definition -> Docker create options, validation reasons, limits. Pure, no Docker. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ContainerDefinition, LogDriver, TaskDefinition } from '@aws-sdk/client-ecs';
import { containerSpec, type SpecInput } from '../../src/agent/engine/container-spec.ts';
import { normalizeImageRef } from '../../src/agent/engine/image-manager.ts';
import { parseCpuUnits, parseMemoryMiB, taskLimits } from '../../src/agent/engine/task-limits.ts';
import type { TaskResources } from '../../src/agent/engine/task-state.ts';
import { validateAssignment } from '../../src/agent/engine/task-validation.ts';
import { assignment } from './docker-helpers.ts';

const MIB = 1024 * 1024;

function spec(
  def: Partial<ContainerDefinition>,
  taskDef: Partial<TaskDefinition> = {},
  resources?: Partial<TaskResources>,
) {
  const a = assignment('spec', [{ name: 'app', ...def }, { name: 'db' }], taskDef);
  const input: SpecInput = {
    assignment: a,
    container: {
      name: 'app',
      dockerName: 'ecs-spec-1-app-00',
      metadataId: 'm',
      known: 'PULLED',
      desired: 'RUNNING',
      health: 'UNKNOWN',
      networkBindings: [],
    },
    definition: a.containers[0].definition,
    resources: { hostPorts: [], volumes: [], ...resources },
    dockerNames: { app: 'ecs-spec-1-app-00', db: 'ecs-spec-1-db-11' },
    instanceArn: 'arn:ci',
    agentEnv: { ECS_CONTAINER_METADATA_URI_V4: 'http://gw/v4/m' },
    fileEnv: { FROM_FILE: 'f', SHARED: 'file' },
    limits: taskLimits(a),
  };
  return containerSpec(input);
}

describe('container spec', () => {
  test('command, entryPoint, env precedence, labels, user, workdir, hostname', () => {
    const s = spec({
      command: ['echo', 'hi'],
      entryPoint: ['sh', '-c'],
      environment: [
        { name: 'SHARED', value: 'env' },
        { name: 'ECS_CONTAINER_METADATA_URI_V4', value: 'spoofed' },
      ],
      user: '65534',
      workingDirectory: '/tmp',
      hostname: 'box',
      dockerLabels: { team: 'blue', 'com.amazonaws.ecs.task-arn': 'spoofed' },
    });
    assert.deepEqual(s.Cmd, ['echo', 'hi']);
    assert.deepEqual(s.Entrypoint, ['sh', '-c']);
    assert.ok(s.Env?.includes('SHARED=env'), 'environment wins over env files');
    assert.ok(s.Env?.includes('FROM_FILE=f'));
    assert.ok(s.Env?.includes('ECS_CONTAINER_METADATA_URI_V4=http://gw/v4/m'), 'agent variables win');
    assert.equal(s.User, '65534');
    assert.equal(s.WorkingDir, '/tmp');
    assert.equal(s.Hostname, 'box');
    assert.equal(s.Labels?.team, 'blue');
    assert.match(s.Labels?.['com.amazonaws.ecs.task-arn'] ?? '', /^arn:aws:ecs:.*:task\//);
    assert.equal(s.Labels?.['longshore.instance'], 'arn:ci');
    assert.equal(s.name, 'ecs-spec-1-app-00');
  });

  test('cpu shares, memory, reservation, swap', () => {
    const s = spec({
      cpu: 0,
      memory: 4,
      memoryReservation: 2,
      linuxParameters: { maxSwap: 10, swappiness: 0 },
    });
    assert.equal(s.HostConfig?.CpuShares, 2, 'ECS sends 0 as 2 shares');
    assert.equal(s.HostConfig?.Memory, 6 * MIB, 'raised to Docker minimum');
    assert.equal(s.HostConfig?.MemoryReservation, 2 * MIB);
    assert.equal(s.HostConfig?.MemorySwap, 16 * MIB);
    assert.equal(s.HostConfig?.MemorySwappiness, 0);
    assert.equal(spec({ cpu: 512 }).HostConfig?.CpuShares, 512);
  });

  test('task-level limits: a parent cgroup, or each container capped at the task budget', () => {
    const withParent = spec({}, { cpu: '512', memory: '1GB' }, { cgroupParent: '/longshore/t' });
    assert.equal(withParent.HostConfig?.CgroupParent, '/longshore/t');
    assert.equal(withParent.HostConfig?.Memory, undefined);
    const fallback = spec({}, { cpu: '512', memory: '1GB' });
    assert.equal(fallback.HostConfig?.Memory, 1024 * MIB);
    assert.equal(fallback.HostConfig?.NanoCpus, 500_000_000);
  });

  test('ports: agent-allocated host port in bridge mode, none published in host mode', () => {
    const bridge = spec(
      { portMappings: [{ containerPort: 80 }, { containerPort: 53, hostPort: 5353, protocol: 'udp' }] },
      {},
      { hostPorts: [{ container: 'app', containerPort: 80, protocol: 'tcp', hostPort: 40000 }] },
    );
    assert.deepEqual(bridge.HostConfig?.PortBindings, {
      '80/tcp': [{ HostPort: '40000' }],
      '53/udp': [{ HostPort: '5353' }],
    });
    assert.deepEqual(Object.keys(bridge.ExposedPorts ?? {}), ['80/tcp', '53/udp']);
    const host = spec({ portMappings: [{ containerPort: 80 }] }, { networkMode: 'host' });
    assert.equal(host.HostConfig?.NetworkMode, 'host');
    assert.equal(host.HostConfig?.PortBindings, undefined);
  });

  test('volumes, volumesFrom, links', () => {
    const s = spec(
      {
        mountPoints: [
          { sourceVolume: 'data', containerPath: '/data', readOnly: true },
          { sourceVolume: 'scratch', containerPath: '/scratch' },
        ],
        volumesFrom: [{ sourceContainer: 'db', readOnly: true }],
        links: ['db:database'],
      },
      {},
      {
        volumes: [
          { name: 'data', type: 'bind', hostPath: '/srv/data' },
          { name: 'scratch', type: 'docker', dockerName: 'ecs-spec-1-scratch-t', scope: 'task' },
        ],
      },
    );
    assert.deepEqual(s.HostConfig?.Binds, ['/srv/data:/data:ro', 'ecs-spec-1-scratch-t:/scratch']);
    assert.deepEqual(s.HostConfig?.VolumesFrom, ['ecs-spec-1-db-11:ro']);
    assert.deepEqual(s.HostConfig?.Links, ['ecs-spec-1-db-11:database']);
  });

  test('linuxParameters, ulimits, security, dns, hosts, health check, log config', () => {
    const s = spec({
      linuxParameters: {
        initProcessEnabled: true,
        capabilities: { add: ['NET_ADMIN'], drop: ['MKNOD'] },
        sharedMemorySize: 64,
        tmpfs: [{ containerPath: '/run', size: 16, mountOptions: ['noexec'] }],
        devices: [{ hostPath: '/dev/fuse', permissions: ['read', 'write'] }],
      },
      ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 4096 }],
      readonlyRootFilesystem: true,
      privileged: true,
      extraHosts: [{ hostname: 'db.local', ipAddress: '10.0.0.5' }],
      dnsServers: ['10.0.0.2'],
      dnsSearchDomains: ['corp'],
      healthCheck: { command: ['CMD-SHELL', 'true'], interval: 5, retries: 2 },
      logConfiguration: { logDriver: 'json-file', options: { 'max-size': '1m' } },
      systemControls: [{ namespace: 'net.core.somaxconn', value: '1024' }],
    });
    const hc = s.HostConfig!;
    assert.equal(hc.Init, true);
    assert.deepEqual(hc.CapAdd, ['NET_ADMIN']);
    assert.deepEqual(hc.CapDrop, ['MKNOD']);
    assert.equal(hc.ShmSize, 64 * MIB);
    assert.deepEqual(hc.Tmpfs, { '/run': 'size=16m,noexec' });
    assert.deepEqual(hc.Devices, [
      { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rw' },
    ]);
    assert.deepEqual(hc.Ulimits, [{ Name: 'nofile', Soft: 1024, Hard: 4096 }]);
    assert.equal(hc.ReadonlyRootfs, true);
    assert.equal(hc.Privileged, true);
    assert.deepEqual(hc.ExtraHosts, ['db.local:10.0.0.5']);
    assert.deepEqual(hc.Dns, ['10.0.0.2']);
    assert.deepEqual(hc.DnsSearch, ['corp']);
    assert.deepEqual(hc.Sysctls, { 'net.core.somaxconn': '1024' });
    assert.deepEqual(hc.LogConfig, { Type: 'json-file', Config: { 'max-size': '1m' } });
    assert.deepEqual(s.Healthcheck, {
      Test: ['CMD-SHELL', 'true'],
      Interval: 5e9,
      Timeout: 5e9,
      Retries: 2,
      StartPeriod: 0,
    });
  });
});

describe('validation reasons', () => {
  test('unsupported network modes and fields are named', () => {
    const reason = (
      containers: (Partial<ContainerDefinition> & { name: string })[],
      taskDef: Partial<TaskDefinition> = {},
    ) => validateAssignment(assignment('v', containers, taskDef))?.reason;
    assert.match(
      reason([{ name: 'a' }], { networkMode: 'awsvpc' }) ?? '',
      /^ResourceInitializationError: the task uses network mode awsvpc but its assignment carries no network interface/,
    );
    assert.match(
      reason([{ name: 'a', firelensConfiguration: { type: 'fluentbit' } }]) ?? '',
      /firelensConfiguration/,
    );
    assert.match(
      reason([{ name: 'a', repositoryCredentials: { credentialsParameter: 'x' } }]) ?? '',
      /repositoryCredentials/,
    );
    assert.match(
      reason([{ name: 'a', logConfiguration: { logDriver: 'splunk' } }]) ?? '',
      /log driver splunk is not supported yet \(supported: json-file, none, awslogs\)/,
    );
    assert.equal(reason([{ name: 'a', logConfiguration: { logDriver: 'awslogs' } }]), undefined);
    assert.match(
      reason([{ name: 'a', links: ['b'] }], { networkMode: 'host' }) ?? '',
      /links need network mode bridge/,
    );
    // 'none' is not in the API's LogDriver enum, but the agent accepts it (ECS_AVAILABLE_LOGGING_DRIVERS).
    assert.equal(reason([{ name: 'a', logConfiguration: { logDriver: 'none' as LogDriver } }]), undefined);
    assert.equal(reason([{ name: 'a' }], { networkMode: 'host' }), undefined);
  });
});

describe('limits, image refs', () => {
  test('cpu and memory strings', () => {
    assert.equal(parseCpuUnits('1024'), 1024);
    assert.equal(parseCpuUnits('0.5 vCPU'), 512);
    assert.equal(parseMemoryMiB('2GB'), 2048);
    assert.equal(parseMemoryMiB('512'), 512);
    assert.equal(parseMemoryMiB(undefined), undefined);
  });

  test('image references get :latest only when they name no tag or digest', () => {
    assert.equal(normalizeImageRef('busybox'), 'busybox:latest');
    assert.equal(normalizeImageRef('localhost:5000/app'), 'localhost:5000/app:latest');
    assert.equal(normalizeImageRef('repo/app:1.2'), 'repo/app:1.2');
    assert.equal(normalizeImageRef(`app@sha256:${'a'.repeat(64)}`), `app@sha256:${'a'.repeat(64)}`);
  });
});
