import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EcsErrorCode } from '../../src/ecs/model/errors.ts';
import { build, container, rejects, withContainer } from './helpers.ts';

const C = EcsErrorCode.Client;
const P = EcsErrorCode.InvalidParameter;

describe('image', () => {
  it('is required', () => {
    rejects(() => withContainer({ image: undefined }), C, 'Container.image should not be null or empty.');
    rejects(() => withContainer({ image: '' }), C, 'Container.image should not be null or empty.');
  });
  it('accepts tags, registries and sha256 digests', () => {
    withContainer({ image: 'quay.io/assemblyline/ubuntu:22.04' });
    withContainer({ image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:${'a'.repeat(64)}` });
  });
  it('rejects bad characters, over-long names and bad digests', () => {
    rejects(
      () => withContainer({ image: 'nginx latest' }),
      C,
      'Container.image contains invalid characters.',
    );
    rejects(() => withContainer({ image: `r/${'x'.repeat(254)}` }), C, /Container\.image is too long/);
    rejects(() => withContainer({ image: 'nginx@sha256:abc' }), C, /invalid digest/);
    rejects(() => withContainer({ image: `nginx@md5:${'a'.repeat(64)}` }), C, /invalid digest/);
  });
});

describe('log configuration', () => {
  it('checks the driver against the model enum', () => {
    rejects(
      () => withContainer({ logConfiguration: { logDriver: 'loki' as 'awslogs' } }),
      P,
      /at 'containerDefinitions\.1\.member\.logConfiguration\.logDriver'.*\[json-file, syslog, journald, gelf, fluentd, awslogs, splunk, awsfirelens\]/,
    );
  });
  it('needs awslogs-region and awslogs-group for awslogs', () => {
    rejects(
      () => withContainer({ logConfiguration: { logDriver: 'awslogs' } }),
      C,
      'Log driver awslogs requires options: awslogs-region, awslogs-group',
    );
    rejects(
      () =>
        withContainer({
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-region': 'us-east-1' } },
        }),
      C,
      'Log driver awslogs requires options: awslogs-group',
    );
  });
  it('needs a FireLens container for the awsfirelens driver', () => {
    rejects(
      () => withContainer({ logConfiguration: { logDriver: 'awsfirelens' } }),
      C,
      /requires a container with a firelensConfiguration/,
    );
    build({
      containerDefinitions: [
        container({ logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'cloudwatch' } } }),
        container({ name: 'log_router', firelensConfiguration: { type: 'fluentbit' } }),
      ],
    });
  });
  it('needs secretOptions with a name and valueFrom', () => {
    rejects(
      () =>
        withContainer({
          logConfiguration: { logDriver: 'splunk', secretOptions: [{ name: 'splunk-token' }] } as never,
        }),
      C,
      /secretOptions' setting for container 'app'/,
    );
  });
});

describe('environment, secrets and environment files', () => {
  it('needs variable names, and secret names with a valueFrom', () => {
    rejects(
      () => withContainer({ environment: [{ value: 'x' }] }),
      C,
      /Environment variable names should not be blank/,
    );
    rejects(
      () => withContainer({ secrets: [{ name: 'DB', valueFrom: '' }] }),
      C,
      /name and valueFrom should not be blank/,
    );
    withContainer({
      environment: [{ name: 'A', value: '' }],
      secrets: [{ name: 'DB', valueFrom: 'db-password' }],
    });
  });
  it('takes at most 10 S3 .env files', () => {
    const file = (i: number) => ({ type: 's3' as const, value: `arn:aws:s3:::bucket/env/${i}.env` });
    withContainer({ environmentFiles: Array.from({ length: 10 }, (_, i) => file(i)) });
    rejects(
      () => withContainer({ environmentFiles: Array.from({ length: 11 }, (_, i) => file(i)) }),
      C,
      /up to 10 environment files/,
    );
    rejects(
      () => withContainer({ environmentFiles: [{ type: 's3', value: 'arn:aws:s3:::bucket/app.txt' }] }),
      C,
      /\.env file extension/,
    );
  });
});

describe('network-mode dependent container settings', () => {
  it('rejects hostname and extraHosts in awsvpc mode', () => {
    rejects(
      () => withContainer({ hostname: 'web' }, { networkMode: 'awsvpc' }),
      C,
      'hostname is not supported on container when networkMode=awsvpc.',
    );
    rejects(
      () =>
        withContainer({ extraHosts: [{ hostname: 'db', ipAddress: '10.0.0.1' }] }, { networkMode: 'awsvpc' }),
      C,
      'extraHosts is not supported on container when networkMode=awsvpc.',
    );
    withContainer({ hostname: 'web', extraHosts: [{ hostname: 'db', ipAddress: '10.0.0.1' }] });
  });
});

describe('ulimits and linuxParameters', () => {
  it('checks ulimit names and limits', () => {
    rejects(
      () => withContainer({ ulimits: [{ name: 'files' as 'nofile', softLimit: 1, hardLimit: 1 }] }),
      P,
      /ulimits\.1\.member\.name/,
    );
    rejects(
      () => withContainer({ ulimits: [{ name: 'nofile', softLimit: 10, hardLimit: 5 }] }),
      C,
      /softLimit of 'nofile' is greater/,
    );
    rejects(
      () =>
        withContainer({
          ulimits: [
            { name: 'nofile', softLimit: 1, hardLimit: 1 },
            { name: 'nofile', softLimit: 2, hardLimit: 2 },
          ],
        }),
      C,
      /'nofile' is set more than once/,
    );
    withContainer({ ulimits: [{ name: 'nofile', softLimit: 65535, hardLimit: 65535 }] });
  });
  it('checks capabilities, devices, tmpfs, shared memory and swap', () => {
    rejects(
      () => withContainer({ linuxParameters: { capabilities: { add: ['SYS_FOO'] } } }),
      C,
      /Unknown capability 'SYS_FOO'/,
    );
    rejects(
      () =>
        withContainer({
          linuxParameters: { devices: [{ hostPath: '/dev/fuse', permissions: ['exec' as 'read'] }] },
        }),
      P,
      /devices\.1\.member\.permissions\.1\.member.*\[read, write, mknod\]/,
    );
    rejects(
      () => withContainer({ linuxParameters: { tmpfs: [{ containerPath: '/tmp', size: 0 }] } }),
      C,
      /size must be a positive/,
    );
    rejects(
      () =>
        withContainer({
          linuxParameters: { tmpfs: [{ containerPath: '/tmp', size: 64, mountOptions: ['fast'] }] },
        }),
      C,
      /Unknown mount option 'fast'/,
    );
    rejects(() => withContainer({ linuxParameters: { sharedMemorySize: 0 } }), C, /sharedMemorySize/);
    rejects(() => withContainer({ linuxParameters: { maxSwap: -1 } }), C, /maxSwap/);
    rejects(() => withContainer({ linuxParameters: { swappiness: 101 } }), C, /between 0 and 100/);
    withContainer({
      linuxParameters: {
        capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
        devices: [{ hostPath: '/dev/fuse', permissions: ['read', 'write'] }],
        tmpfs: [{ containerPath: '/tmp', size: 64, mountOptions: ['rw', 'mode=1777'] }],
        initProcessEnabled: true,
        sharedMemorySize: 128,
        maxSwap: 0,
        swappiness: 60,
      },
    });
  });
});

describe('other container settings', () => {
  it('checks timeouts, restart policy, resource requirements, credential specs and security options', () => {
    rejects(
      () => withContainer({ stopTimeout: -1 }),
      C,
      "Invalid 'stopTimeout' setting for container 'app'.",
    );
    withContainer({ stopTimeout: 300, startTimeout: 600 });
    rejects(
      () => withContainer({ restartPolicy: { enabled: true, restartAttemptPeriod: 59 } }),
      C,
      /between 60 and 1800/,
    );
    rejects(
      () =>
        withContainer({
          restartPolicy: { enabled: true, ignoredExitCodes: Array.from({ length: 51 }, (_, i) => i) },
        }),
      C,
      /maximum of 50 exit codes/,
    );
    rejects(
      () => withContainer({ resourceRequirements: [{ type: 'GPU', value: 'two' }] }),
      C,
      /GPU value must be a positive whole number/,
    );
    rejects(
      () => withContainer({ credentialSpecs: ['credentialspec:a', 'credentialspec:b'] }),
      C,
      /maximum number of ARNs is 1/,
    );
    rejects(
      () => withContainer({ dockerSecurityOptions: ['seccomp=unconfined'] }),
      C,
      /'seccomp=unconfined' is not a supported option/,
    );
    rejects(() => withContainer({ versionConsistency: 'on' as 'enabled' }), P, /versionConsistency/);
    const c = withContainer({
      resourceRequirements: [{ type: 'GPU', value: '1' }],
      dockerSecurityOptions: ['no-new-privileges'],
    });
    assert.deepEqual(c.containerDefinitions?.[0].resourceRequirements, [{ type: 'GPU', value: '1' }]);
  });
});
