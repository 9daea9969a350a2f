import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MountPoint, Volume } from '@aws-sdk/client-ecs';
import { EcsErrorCode } from '../../src/ecs/model/errors.ts';
import { build, container, rejects } from './helpers.ts';

const C = EcsErrorCode.Client;
const withVolumes = (volumes: Volume[], mountPoints: MountPoint[] = []) =>
  build({ volumes, containerDefinitions: [container({ mountPoints })] });

describe('volumes', () => {
  it('stores volumes as given, and [] when omitted', () => {
    assert.deepEqual(build().volumes, []);
    const volumes = [{ name: 'webdata', host: { sourcePath: '/ecs/webdata' } }];
    assert.deepEqual(withVolumes(volumes).volumes, volumes);
  });
  it('needs unique names with the name characters', () => {
    rejects(
      () => withVolumes([{ name: 'a' }, { name: 'a' }]),
      C,
      'Volume names must be unique within a Task Definition.',
    );
    rejects(() => withVolumes([{ name: 'web data' }]), C, /^Invalid volume name 'web data'/);
  });
  it('needs a name for EFS and configured-at-launch volumes', () => {
    rejects(
      () => withVolumes([{ efsVolumeConfiguration: { fileSystemId: 'fs-1' } }]),
      C,
      'Volume.name should not be null or empty.',
    );
    rejects(() => withVolumes([{ configuredAtLaunch: true }]), C, 'Volume.name should not be null or empty.');
  });
  it('allows one volume configured at launch and one kind of configuration per volume', () => {
    rejects(
      () =>
        withVolumes([
          { name: 'a', configuredAtLaunch: true },
          { name: 'b', configuredAtLaunch: true },
        ]),
      C,
      'Only one volume in a task definition can be configured at launch.',
    );
    rejects(
      () => withVolumes([{ name: 'a', host: {}, dockerVolumeConfiguration: { scope: 'task' } }]),
      C,
      /Specify only one kind of volume configuration/,
    );
  });
  it('rejects a blank host sourcePath', () => {
    rejects(
      () => withVolumes([{ name: 'a', host: { sourcePath: '' } }]),
      C,
      'host.sourcePath should not be blank.',
    );
    withVolumes([{ name: 'a', host: {} }]);
  });
  it('checks Docker volume scope and autoprovision', () => {
    rejects(
      () => withVolumes([{ name: 'a', dockerVolumeConfiguration: { scope: 'global' as 'task' } }]),
      EcsErrorCode.InvalidParameter,
      /at 'volumes\.1\.member\.dockerVolumeConfiguration\.scope'.*\[task, shared\]/,
    );
    rejects(
      () => withVolumes([{ name: 'a', dockerVolumeConfiguration: { scope: 'task', autoprovision: true } }]),
      C,
      /autoprovision can only be used when scope is shared/,
    );
    withVolumes([
      { name: 'a', dockerVolumeConfiguration: { scope: 'shared', autoprovision: true, driver: 'local' } },
    ]);
  });
  it('needs transit encryption for EFS IAM auth and access points', () => {
    const efs = (extra: object) =>
      withVolumes([{ name: 'e', efsVolumeConfiguration: { fileSystemId: 'fs-1', ...extra } }]);
    rejects(() => efs({ authorizationConfig: { iam: 'ENABLED' } }), C, /Transit encryption must be enabled/);
    rejects(
      () => efs({ authorizationConfig: { accessPointId: 'fsap-1' } }),
      C,
      /Transit encryption must be enabled/,
    );
    rejects(
      () =>
        efs({
          transitEncryption: 'ENABLED',
          rootDirectory: '/data',
          authorizationConfig: { accessPointId: 'fsap-1' },
        }),
      C,
      /root directory must be omitted or \//,
    );
    rejects(
      () => efs({ transitEncryptionPort: 70000 }),
      C,
      "Invalid 'transitEncryptionPort' setting for volume 'e'.",
    );
    efs({
      transitEncryption: 'ENABLED',
      rootDirectory: '/',
      authorizationConfig: { accessPointId: 'fsap-1', iam: 'ENABLED' },
    });
  });
});

describe('mount points', () => {
  const volumes = [{ name: 'webdata', host: { sourcePath: '/ecs/webdata' } }];
  it('must reference a volume of the task', () => {
    const td = withVolumes(volumes, [
      { sourceVolume: 'webdata', containerPath: '/usr/share/nginx/html', readOnly: true },
    ]);
    assert.deepEqual(td.containerDefinitions?.[0].mountPoints, [
      { sourceVolume: 'webdata', containerPath: '/usr/share/nginx/html', readOnly: true },
    ]);
    rejects(
      () => withVolumes(volumes, [{ sourceVolume: 'root-RO', containerPath: '/x' }]),
      C,
      "Unknown volume 'root-RO'.",
    );
    rejects(() => withVolumes(volumes, [{ containerPath: '/x' }]), C, "Unknown volume 'null'.");
  });
  it('needs a container path, mounted once', () => {
    rejects(
      () => withVolumes(volumes, [{ sourceVolume: 'webdata' }]),
      C,
      /containerPath should not be blank/,
    );
    rejects(
      () =>
        withVolumes(volumes, [
          { sourceVolume: 'webdata', containerPath: '/d' },
          { sourceVolume: 'webdata', containerPath: '/d' },
        ]),
      C,
      /'\/d' is mounted more than once/,
    );
  });
});
