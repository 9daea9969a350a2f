/**
 * EFS volumes end to end: file system, mount target and access point made through the EFS API,
 * tasks run through ECS on a real agent. A task writing through an access point creates files
 * with its POSIX user and cannot see above its root directory; another task mounting the file
 * system's rootDirectory reads what it wrote; unknown file systems and access points stop the task
 * with ECS's ResourceInitializationError; nothing stays mounted after cleanup.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateAccessPointCommand,
  CreateFileSystemCommand,
  CreateMountTargetCommand,
  EFSClient,
} from '@aws-sdk/client-efs';
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type Task,
  type Volume,
} from '@aws-sdk/client-ecs';
import { mountedUnder } from '../../src/agent/engine/access-point-mount.ts';
import { startTestAgent, type TestAgent, waitFor } from '../support/agents.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { defaultVpcLayout } from '../support/ec2-client.ts';

const IMAGE = 'longshore-test/busybox:latest';
const exec = promisify(execFile);

/** Whether cleanup already ran for every task that had an access-point mount (its directory gone). */
async function cleanedUp(agentDataDir: string): Promise<boolean> {
  const dir = join(agentDataDir, 'engine', 'efs-mounts');
  return (await readdir(dir).catch(() => [])).length === 0;
}

describe('EFS volumes in tasks (real agent)', () => {
  let t: TestPlane;
  let a: TestAgent | undefined;
  let efs: EFSClient;
  let fsId = '';
  let apId = '';
  before(async () => {
    t = await startTestPlane();
    efs = new EFSClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    await t.ecs.send(new CreateClusterCommand({ clusterName: 'efs' }));
    a = await startTestAgent(t, { cluster: 'efs', cpu: '2048', memory: '1024' });
    fsId = (await efs.send(new CreateFileSystemCommand({ CreationToken: 'e2e' }))).FileSystemId!;
    const { subnets } = await defaultVpcLayout(t.plane.endpoint);
    await efs.send(new CreateMountTargetCommand({ FileSystemId: fsId, SubnetId: subnets['us-east-1a'] }));
    apId = (
      await efs.send(
        new CreateAccessPointCommand({
          ClientToken: 'app',
          FileSystemId: fsId,
          PosixUser: { Uid: 2001, Gid: 2002 },
          RootDirectory: {
            Path: '/apps/one',
            CreationInfo: { OwnerUid: 2001, OwnerGid: 2002, Permissions: '755' },
          },
        }),
      )
    ).AccessPointId!;
  });
  after(async () => {
    // A mount still there would make the helper's recursive removal of the agent's data directory
    // walk into the file system: detach any (the test above checks that cleanup left none).
    for (const m of a ? await mountedUnder(a.dataDir) : []) await exec('umount', ['-l', m]);
    await a?.stop();
    efs.destroy();
    await t.stop();
  });

  const describeTask = async (arn: string): Promise<Task> =>
    (await t.ecs.send(new DescribeTasksCommand({ cluster: 'efs', tasks: [arn] }))).tasks![0];
  const stoppedTask = (arn: string) =>
    waitFor(
      'STOPPED',
      async () => {
        const d = await describeTask(arn);
        return d.lastStatus === 'STOPPED' ? d : undefined;
      },
      30_000,
    );

  async function run(family: string, volume: Volume, command: string): Promise<Task> {
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        volumes: [volume],
        containerDefinitions: [
          {
            name: 'app',
            image: IMAGE,
            memory: 32,
            command: ['sh', '-c', command],
            mountPoints: [{ sourceVolume: volume.name!, containerPath: '/mnt/efs' }],
          },
        ],
      }),
    );
    const out = await t.ecs.send(new RunTaskCommand({ cluster: 'efs', taskDefinition: family }));
    assert.deepEqual(out.failures, []);
    return stoppedTask(out.tasks![0].taskArn!);
  }

  it('an access point enforces its user and root; another task reads the data through rootDirectory', async () => {
    const fsPath = join(t.dataDir, 'efs', fsId);
    // Something at the file system's root that the access point must not show.
    await writeFile(join(fsPath, 'outside'), 'not for the access point\n');
    const writer = await run(
      'efs-writer',
      {
        name: 'data',
        efsVolumeConfiguration: {
          fileSystemId: fsId,
          transitEncryption: 'ENABLED',
          authorizationConfig: { accessPointId: apId, iam: 'DISABLED' },
        },
      },
      // The container runs as root; the file must still belong to the access point's user.
      'echo written-by-writer > /mnt/efs/shared.txt && ls /mnt/efs > /mnt/efs/listing && test ! -e /mnt/efs/outside',
    );
    assert.equal(writer.containers?.[0].exitCode, 0, writer.stoppedReason);
    const root = await stat(join(fsPath, 'apps', 'one'));
    assert.deepEqual([root.uid, root.gid, root.mode & 0o777], [2001, 2002, 0o755]);
    const file = await stat(join(fsPath, 'apps', 'one', 'shared.txt'));
    assert.deepEqual([file.uid, file.gid], [2001, 2002]);

    const reader = await run(
      'efs-reader',
      { name: 'data', efsVolumeConfiguration: { fileSystemId: fsId, rootDirectory: '/apps/one' } },
      'grep -qx written-by-writer /mnt/efs/shared.txt',
    );
    assert.equal(reader.containers?.[0].exitCode, 0, reader.stoppedReason);
    // The access-point mount lives under the agent's data directory while the task exists...
    assert.equal((await mountedUnder(a!.dataDir)).length > 0 || (await cleanedUp(a!.dataDir)), true);
    // ...and cleanup (2 s after STOPPED) removes it.
    await waitFor(
      'access-point mounts removed',
      async () => ((await mountedUnder(a!.dataDir)).length === 0 ? true : undefined),
      15_000,
    );
  });

  it('unknown file systems and access points stop the task with ResourceInitializationError', async () => {
    const unknownFs = await run(
      'efs-nofs',
      { name: 'data', efsVolumeConfiguration: { fileSystemId: 'fs-0000000000000000f' } },
      'true',
    );
    assert.equal(unknownFs.stopCode, 'TaskFailedToStart');
    assert.match(
      unknownFs.stoppedReason ?? '',
      /^ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to resolve "fs-0000000000000000f\.efs\.us-east-1\.amazonaws\.com"/,
    );
    const unknownAp = await run(
      'efs-noap',
      {
        name: 'data',
        efsVolumeConfiguration: {
          fileSystemId: fsId,
          transitEncryption: 'ENABLED',
          authorizationConfig: { accessPointId: 'fsap-0000000000000000f' },
        },
      },
      'true',
    );
    assert.equal(
      unknownAp.stoppedReason,
      "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: access denied by server while mounting 127.0.0.1:/' : unsuccessful EFS utils command execution; code: 32",
    );
    const missingRoot = await run(
      'efs-noroot',
      { name: 'data', efsVolumeConfiguration: { fileSystemId: fsId, rootDirectory: '/does/not/exist' } },
      'true',
    );
    assert.match(missingRoot.stoppedReason ?? '', /No such file or directory/);
    assert.equal(missingRoot.containers?.[0].exitCode, undefined);
  });
});
