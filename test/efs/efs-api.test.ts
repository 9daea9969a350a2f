/**
 * The EFS API through @aws-sdk/client-efs: file systems (creation token idempotency, modes
 * recorded, creating -> available, FileSystemInUse), mount targets (subnets and addresses from the
 * EC2 API), access points (POSIX user, root directory, client token), policies, lifecycle, tags,
 * and the errors EFS returns.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  CreateAccessPointCommand,
  CreateFileSystemCommand,
  CreateMountTargetCommand,
  DeleteAccessPointCommand,
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  DescribeAccessPointsCommand,
  DescribeFileSystemPolicyCommand,
  DescribeFileSystemsCommand,
  DescribeLifecycleConfigurationCommand,
  DescribeMountTargetsCommand,
  EFSClient,
  ListTagsForResourceCommand,
  PutFileSystemPolicyCommand,
  PutLifecycleConfigurationCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-efs';
import { DescribeNetworkInterfacesCommand, DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { awsError, startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { defaultVpcLayout, ec2Client } from '../support/ec2-client.ts';

let t: TestPlane;
let efs: EFSClient;
before(async () => {
  t = await startTestPlane({ controllers: false });
  efs = new EFSClient({
    endpoint: t.plane.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
});
after(async () => {
  efs.destroy();
  await t.stop();
});

describe('EFS API', () => {
  it('file systems: create (creating), describe (available), token idempotency, modes recorded, delete', async () => {
    const created = await efs.send(
      new CreateFileSystemCommand({
        CreationToken: 'tok-1',
        PerformanceMode: 'generalPurpose',
        ThroughputMode: 'provisioned',
        ProvisionedThroughputInMibps: 12.5,
        Encrypted: true,
        Tags: [{ Key: 'Name', Value: 'shared-data' }],
      }),
    );
    const id = created.FileSystemId!;
    assert.match(id, /^fs-[0-9a-f]{17}$/);
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.LifeCycleState, 'creating');
    assert.equal(created.Name, 'shared-data');
    assert.equal(created.FileSystemArn, `arn:aws:elasticfilesystem:us-east-1:000000000000:file-system/${id}`);
    assert.equal(created.OwnerId, '000000000000');
    assert.equal(created.NumberOfMountTargets, 0);
    assert.ok(created.CreationTime instanceof Date);
    // The backend made the file system's directory under the data directory.
    assert.ok(existsSync(`${t.dataDir}/efs/${id}`));

    const again = await awsError(() => efs.send(new CreateFileSystemCommand({ CreationToken: 'tok-1' })));
    assert.deepEqual(again, {
      name: 'FileSystemAlreadyExists',
      message: `File system '${id}' already exists with creation token 'tok-1'`,
      status: 409,
    });

    const [fs] = (await efs.send(new DescribeFileSystemsCommand({ FileSystemId: id }))).FileSystems!;
    assert.equal(fs.LifeCycleState, 'available');
    assert.equal(fs.ThroughputMode, 'provisioned');
    assert.equal(fs.ProvisionedThroughputInMibps, 12.5);
    assert.equal(fs.PerformanceMode, 'generalPurpose');
    assert.equal(fs.Encrypted, true);
    assert.match(fs.KmsKeyId!, /alias\/aws\/elasticfilesystem$/);
    assert.equal(fs.SizeInBytes?.Value, 6144);
    const byToken = await efs.send(new DescribeFileSystemsCommand({ CreationToken: 'tok-1' }));
    assert.deepEqual(
      byToken.FileSystems?.map((f) => f.FileSystemId),
      [id],
    );

    const other = await efs.send(new CreateFileSystemCommand({ CreationToken: 'tok-2' }));
    assert.equal(other.ThroughputMode, 'elastic');
    assert.equal(other.Encrypted, false);
    const first = await efs.send(new DescribeFileSystemsCommand({ MaxItems: 1 }));
    assert.equal(first.FileSystems?.length, 1);
    const second = await efs.send(new DescribeFileSystemsCommand({ MaxItems: 1, Marker: first.NextMarker }));
    assert.deepEqual(
      [first.FileSystems![0].FileSystemId, second.FileSystems![0].FileSystemId].sort(),
      [id, other.FileSystemId].sort(),
    );
    assert.equal(second.NextMarker, undefined);

    await efs.send(new DeleteFileSystemCommand({ FileSystemId: other.FileSystemId }));
    assert.equal(existsSync(`${t.dataDir}/efs/${other.FileSystemId}`), false);
    assert.deepEqual(
      await awsError(() => efs.send(new DescribeFileSystemsCommand({ FileSystemId: other.FileSystemId }))),
      {
        name: 'FileSystemNotFound',
        message: `File system '${other.FileSystemId}' does not exist.`,
        status: 404,
      },
    );
    const bad = await awsError(() =>
      efs.send(new CreateFileSystemCommand({ CreationToken: 'x', ThroughputMode: 'provisioned' })),
    );
    assert.equal(bad.name, 'BadRequest');
    assert.equal(bad.status, 400);
    assert.equal(
      (await awsError(() => efs.send(new DeleteFileSystemCommand({ FileSystemId: 'not-an-id' })))).name,
      'BadRequest',
    );
    await efs.send(new DeleteFileSystemCommand({ FileSystemId: id }));
  });

  it('mount targets: an address of an EC2 subnet, one per zone, FileSystemInUse until deleted', async () => {
    const { subnets } = await defaultVpcLayout(t.plane.endpoint);
    const { FileSystemId: id } = await efs.send(new CreateFileSystemCommand({ CreationToken: 'mt' }));
    const mt = await efs.send(
      new CreateMountTargetCommand({ FileSystemId: id, SubnetId: subnets['us-east-1a'] }),
    );
    assert.match(mt.MountTargetId!, /^fsmt-[0-9a-f]{17}$/);
    assert.equal(mt.LifeCycleState, 'creating');
    assert.equal(mt.AvailabilityZoneName, 'us-east-1a');
    assert.match(mt.IpAddress!, /^\d+\.\d+\.\d+\.\d+$/);
    const ec2 = ec2Client(t.plane.endpoint);
    try {
      const { NetworkInterfaces } = await ec2.send(
        new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [mt.NetworkInterfaceId!] }),
      );
      assert.equal(NetworkInterfaces?.[0].PrivateIpAddress, mt.IpAddress);
      assert.equal(NetworkInterfaces?.[0].Description, `EFS mount target for ${id} (${mt.MountTargetId})`);
    } finally {
      ec2.destroy();
    }
    // An address asked for: taken when free and in the subnet, IpAddressInUse when held.
    const ec2b = ec2Client(t.plane.endpoint);
    const { Subnets } = await ec2b.send(new DescribeSubnetsCommand({ SubnetIds: [subnets['us-east-1b']] }));
    ec2b.destroy();
    const [a, b, c] = Subnets![0].CidrBlock!.split('/')[0].split('.');
    const wanted = `${a}.${b}.${c}.200`;
    const chosen = await efs.send(
      new CreateMountTargetCommand({ FileSystemId: id, SubnetId: subnets['us-east-1b'], IpAddress: wanted }),
    );
    assert.equal(chosen.IpAddress, wanted);
    const { FileSystemId: id2 } = await efs.send(new CreateFileSystemCommand({ CreationToken: 'mt-2' }));
    const inUse = await awsError(() =>
      efs.send(
        new CreateMountTargetCommand({
          FileSystemId: id2,
          SubnetId: subnets['us-east-1b'],
          IpAddress: wanted,
        }),
      ),
    );
    assert.deepEqual(inUse, { name: 'IpAddressInUse', message: `Address ${wanted} is in use.`, status: 409 });
    const outside = await awsError(() =>
      efs.send(
        new CreateMountTargetCommand({
          FileSystemId: id2,
          SubnetId: subnets['us-east-1b'],
          IpAddress: '10.255.255.200',
        }),
      ),
    );
    assert.equal(outside.name, 'BadRequest');
    await efs.send(new DeleteFileSystemCommand({ FileSystemId: id2 }));
    const conflict = await awsError(() =>
      efs.send(new CreateMountTargetCommand({ FileSystemId: id, SubnetId: subnets['us-east-1a'] })),
    );
    assert.deepEqual(conflict, {
      name: 'MountTargetConflict',
      message: 'mount target already exists in this AZ',
      status: 409,
    });
    assert.equal(
      (
        await awsError(() =>
          efs.send(new CreateMountTargetCommand({ FileSystemId: id, SubnetId: 'subnet-0000000000000000f' })),
        )
      ).name,
      'SubnetNotFound',
    );
    const listed = await efs.send(new DescribeMountTargetsCommand({ FileSystemId: id }));
    assert.ok(listed.MountTargets?.every((m) => m.LifeCycleState === 'available'));
    assert.equal(
      (await efs.send(new DescribeFileSystemsCommand({ FileSystemId: id }))).FileSystems?.[0]
        .NumberOfMountTargets,
      listed.MountTargets?.length,
    );
    assert.equal((await awsError(() => efs.send(new DescribeMountTargetsCommand({})))).name, 'BadRequest');

    assert.deepEqual(await awsError(() => efs.send(new DeleteFileSystemCommand({ FileSystemId: id }))), {
      name: 'FileSystemInUse',
      message: `File system '${id}' has mount targets created in it`,
      status: 409,
    });
    for (const m of listed.MountTargets ?? [])
      await efs.send(new DeleteMountTargetCommand({ MountTargetId: m.MountTargetId }));
    assert.deepEqual(
      await awsError(() => efs.send(new DeleteMountTargetCommand({ MountTargetId: mt.MountTargetId }))),
      {
        name: 'MountTargetNotFound',
        message: `Mount target '${mt.MountTargetId}' does not exist.`,
        status: 404,
      },
    );
    await efs.send(new DeleteFileSystemCommand({ FileSystemId: id }));
  });

  it('access points: POSIX user, root directory with CreationInfo, client token, errors', async () => {
    const { FileSystemId: id } = await efs.send(new CreateFileSystemCommand({ CreationToken: 'ap' }));
    const input = {
      ClientToken: 'ap-token',
      FileSystemId: id,
      PosixUser: { Uid: 1001, Gid: 1002, SecondaryGids: [1003] },
      RootDirectory: {
        Path: '/app/data',
        CreationInfo: { OwnerUid: 1001, OwnerGid: 1002, Permissions: '0750' },
      },
      Tags: [{ Key: 'Name', Value: 'app' }],
    };
    const ap = await efs.send(new CreateAccessPointCommand(input));
    assert.match(ap.AccessPointId!, /^fsap-[0-9a-f]{17}$/);
    assert.equal(
      ap.AccessPointArn,
      `arn:aws:elasticfilesystem:us-east-1:000000000000:access-point/${ap.AccessPointId}`,
    );
    assert.equal(ap.LifeCycleState, 'creating');
    assert.equal(ap.Name, 'app');
    assert.deepEqual(ap.PosixUser, { Uid: 1001, Gid: 1002, SecondaryGids: [1003] });
    assert.deepEqual(ap.RootDirectory, input.RootDirectory);
    // The same token and request: the same access point.
    assert.equal((await efs.send(new CreateAccessPointCommand(input))).AccessPointId, ap.AccessPointId);
    const clash = await awsError(() =>
      efs.send(new CreateAccessPointCommand({ ...input, PosixUser: { Uid: 1, Gid: 1 } })),
    );
    assert.equal(clash.name, 'AccessPointAlreadyExists');
    assert.equal(clash.status, 409);
    const plain = await efs.send(new CreateAccessPointCommand({ ClientToken: 'plain', FileSystemId: id }));
    assert.deepEqual(plain.RootDirectory, { Path: '/' });
    assert.equal(plain.PosixUser, undefined);

    const byFs = await efs.send(new DescribeAccessPointsCommand({ FileSystemId: id }));
    assert.equal(byFs.AccessPoints?.length, 2);
    assert.ok(byFs.AccessPoints?.every((a) => a.LifeCycleState === 'available'));
    const one = await efs.send(new DescribeAccessPointsCommand({ AccessPointId: ap.AccessPointArn }));
    assert.equal(one.AccessPoints?.[0].AccessPointId, ap.AccessPointId);

    for (const bad of [
      { RootDirectory: { Path: 'relative' } },
      { RootDirectory: { Path: '/x', CreationInfo: { OwnerUid: 1, OwnerGid: 1, Permissions: '999' } } },
      { PosixUser: { Uid: -1, Gid: 0 } },
    ]) {
      const e = await awsError(() =>
        efs.send(
          new CreateAccessPointCommand({
            ClientToken: `bad-${JSON.stringify(bad).length}`,
            FileSystemId: id,
            ...bad,
          }),
        ),
      );
      assert.equal(e.name, 'BadRequest', JSON.stringify(bad));
    }
    assert.equal(
      (
        await awsError(() =>
          efs.send(
            new CreateAccessPointCommand({ ClientToken: 'nofs', FileSystemId: 'fs-0000000000000000f' }),
          ),
        )
      ).name,
      'FileSystemNotFound',
    );
    await efs.send(new DeleteAccessPointCommand({ AccessPointId: plain.AccessPointId }));
    assert.deepEqual(
      await awsError(() => efs.send(new DeleteAccessPointCommand({ AccessPointId: plain.AccessPointId }))),
      {
        name: 'AccessPointNotFound',
        message: `Access point '${plain.AccessPointId}' does not exist.`,
        status: 404,
      },
    );
    // Deleting the file system takes its access points along.
    await efs.send(new DeleteFileSystemCommand({ FileSystemId: id }));
    assert.equal(
      (await awsError(() => efs.send(new DescribeAccessPointsCommand({ AccessPointId: ap.AccessPointId }))))
        .name,
      'AccessPointNotFound',
    );
  });

  it('policy, lifecycle configuration and tags are recorded', async () => {
    const { FileSystemId: id } = await efs.send(new CreateFileSystemCommand({ CreationToken: 'pol' }));
    assert.deepEqual(
      await awsError(() => efs.send(new DescribeFileSystemPolicyCommand({ FileSystemId: id }))),
      {
        name: 'PolicyNotFound',
        message: `File System Policy for ${id} does not exist.`,
        status: 404,
      },
    );
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'elasticfilesystem:ClientMount', Resource: '*' },
      ],
    });
    assert.equal(
      (await efs.send(new PutFileSystemPolicyCommand({ FileSystemId: id, Policy: policy }))).Policy,
      policy,
    );
    assert.equal((await efs.send(new DescribeFileSystemPolicyCommand({ FileSystemId: id }))).Policy, policy);
    assert.equal(
      (
        await awsError(() =>
          efs.send(new PutFileSystemPolicyCommand({ FileSystemId: id, Policy: '{not json' })),
        )
      ).name,
      'InvalidPolicyException',
    );

    assert.deepEqual(
      (await efs.send(new DescribeLifecycleConfigurationCommand({ FileSystemId: id }))).LifecyclePolicies,
      [],
    );
    const lifecycle = [
      { TransitionToIA: 'AFTER_30_DAYS' as const },
      { TransitionToPrimaryStorageClass: 'AFTER_1_ACCESS' as const },
    ];
    await efs.send(new PutLifecycleConfigurationCommand({ FileSystemId: id, LifecyclePolicies: lifecycle }));
    assert.deepEqual(
      (await efs.send(new DescribeLifecycleConfigurationCommand({ FileSystemId: id }))).LifecyclePolicies,
      lifecycle,
    );
    assert.equal(
      (
        await awsError(() =>
          efs.send(
            new PutLifecycleConfigurationCommand({
              FileSystemId: id,
              LifecyclePolicies: [{ TransitionToIA: 'AFTER_30_DAYS', TransitionToArchive: 'AFTER_90_DAYS' }],
            }),
          ),
        )
      ).name,
      'BadRequest',
    );

    await efs.send(
      new TagResourceCommand({
        ResourceId: id,
        Tags: [
          { Key: 'team', Value: 'a' },
          { Key: 'Name', Value: 'n' },
        ],
      }),
    );
    await efs.send(new UntagResourceCommand({ ResourceId: id, TagKeys: ['team'] }));
    assert.deepEqual((await efs.send(new ListTagsForResourceCommand({ ResourceId: id }))).Tags, [
      { Key: 'Name', Value: 'n' },
    ]);
    assert.equal(
      (await efs.send(new DescribeFileSystemsCommand({ FileSystemId: id }))).FileSystems?.[0].Name,
      'n',
    );
    assert.equal(
      (await awsError(() => efs.send(new ListTagsForResourceCommand({ ResourceId: 'fs-0000000000000000f' }))))
        .name,
      'FileSystemNotFound',
    );
    await efs.send(new DeleteFileSystemCommand({ FileSystemId: id }));
  });
});
