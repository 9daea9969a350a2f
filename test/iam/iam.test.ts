/** IAM through @aws-sdk/client-iam against the in-process control plane: life cycles, errors, keys as credentials. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import {
  AddUserToGroupCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  CreateUserCommand,
  AddRoleToInstanceProfileCommand,
  DeleteAccessKeyCommand,
  DeleteGroupCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetAccessKeyLastUsedCommand,
  GetGroupCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListUserTagsCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  SetDefaultPolicyVersionCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
  UpdateRoleCommand,
  UpdateUserCommand,
} from '@aws-sdk/client-iam';
import { awsError, startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

const ACCOUNT = '000000000000';
const TRUST_ECS_TASKS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
});
const ALLOW_ECS_READ = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['ecs:Describe*', 'ecs:List*'], Resource: '*' }],
});

describe('IAM', () => {
  let t: TestPlane;
  let iam: IAMClient;
  before(async () => {
    t = await startTestPlane({ controllers: false });
    // IAM is global: any region works (the SDK signs for us-east-1 by default).
    iam = new IAMClient({
      endpoint: t.plane.endpoint,
      region: 'eu-west-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
  });
  after(async () => {
    iam.destroy();
    await t.stop();
  });

  it('creates, reads, renames, lists and deletes users', async () => {
    const { User } = await iam.send(
      new CreateUserCommand({ UserName: 'alice', Path: '/team/', Tags: [{ Key: 'k', Value: 'v' }] }),
    );
    assert.equal(User?.Arn, `arn:aws:iam::${ACCOUNT}:user/team/alice`);
    assert.match(User?.UserId ?? '', /^AIDA[A-Z2-7]{17}$/);
    assert.ok(User?.CreateDate instanceof Date);
    assert.deepEqual(User?.Tags, [{ Key: 'k', Value: 'v' }]);

    const dup = await awsError(() => iam.send(new CreateUserCommand({ UserName: 'ALICE' })));
    assert.deepEqual(
      [dup.name, dup.status, dup.message],
      ['EntityAlreadyExistsException', 409, 'User with name ALICE already exists.'],
    );

    await iam.send(new UpdateUserCommand({ UserName: 'alice', NewUserName: 'alicia', NewPath: '/ops/' }));
    const got = await iam.send(new GetUserCommand({ UserName: 'alicia' }));
    assert.equal(got.User?.Arn, `arn:aws:iam::${ACCOUNT}:user/ops/alicia`);
    assert.equal(got.User?.UserId, User?.UserId);

    const missing = await awsError(() => iam.send(new GetUserCommand({ UserName: 'alice' })));
    assert.deepEqual(
      [missing.name, missing.status, missing.message],
      ['NoSuchEntityException', 404, 'The user with name alice cannot be found.'],
    );

    const listed = await iam.send(new ListUsersCommand({ PathPrefix: '/ops/' }));
    assert.deepEqual(
      listed.Users?.map((u) => u.UserName),
      ['alicia'],
    );
    assert.equal(listed.IsTruncated, false);

    await iam.send(new DeleteUserCommand({ UserName: 'alicia' }));
    assert.equal(
      (await awsError(() => iam.send(new DeleteUserCommand({ UserName: 'alicia' })))).name,
      'NoSuchEntityException',
    );
  });

  it('refuses bad names with ValidationError', async () => {
    const e = await awsError(() => iam.send(new CreateUserCommand({ UserName: 'bad name' })));
    assert.equal(e.name, 'ValidationError');
    assert.match(e.message, /Value 'bad name' at 'userName' failed to satisfy constraint/);
  });

  it('pages users with Marker and MaxItems', async () => {
    for (const n of ['p1', 'p2', 'p3'])
      await iam.send(new CreateUserCommand({ UserName: n, Path: '/paging/' }));
    const first = await iam.send(new ListUsersCommand({ PathPrefix: '/paging/', MaxItems: 2 }));
    assert.deepEqual(
      first.Users?.map((u) => u.UserName),
      ['p1', 'p2'],
    );
    assert.equal(first.IsTruncated, true);
    const second = await iam.send(
      new ListUsersCommand({ PathPrefix: '/paging/', MaxItems: 2, Marker: first.Marker }),
    );
    assert.deepEqual(
      second.Users?.map((u) => u.UserName),
      ['p3'],
    );
    assert.equal(second.IsTruncated, false);
  });

  it('keeps groups and their members, and refuses to delete a group with members', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'gina' }));
    const { Group } = await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
    assert.equal(Group?.Arn, `arn:aws:iam::${ACCOUNT}:group/devs`);
    await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'gina' }));
    const got = await iam.send(new GetGroupCommand({ GroupName: 'devs' }));
    assert.deepEqual(
      got.Users?.map((u) => u.UserName),
      ['gina'],
    );
    const forUser = await iam.send(new ListGroupsForUserCommand({ UserName: 'gina' }));
    assert.deepEqual(
      forUser.Groups?.map((g) => g.GroupName),
      ['devs'],
    );
    const conflict = await awsError(() => iam.send(new DeleteGroupCommand({ GroupName: 'devs' })));
    assert.deepEqual([conflict.name, conflict.status], ['DeleteConflictException', 409]);
    const userConflict = await awsError(() => iam.send(new DeleteUserCommand({ UserName: 'gina' })));
    assert.equal(userConflict.message, 'Cannot delete entity, must remove users from group first.');
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'devs', UserName: 'gina' }));
    await iam.send(new DeleteGroupCommand({ GroupName: 'devs' }));
    await iam.send(new DeleteUserCommand({ UserName: 'gina' }));
  });

  it('creates roles with validated trust policies, URL-encoded as IAM returns them', async () => {
    const { Role } = await iam.send(
      new CreateRoleCommand({
        RoleName: 'task-role',
        AssumeRolePolicyDocument: TRUST_ECS_TASKS,
        Description: 'd',
      }),
    );
    assert.equal(Role?.Arn, `arn:aws:iam::${ACCOUNT}:role/task-role`);
    assert.match(Role?.RoleId ?? '', /^AROA/);
    assert.equal(Role?.AssumeRolePolicyDocument, encodeURIComponent(TRUST_ECS_TASKS));
    assert.equal(Role?.MaxSessionDuration, 3600);
    await iam.send(new UpdateRoleCommand({ RoleName: 'task-role', MaxSessionDuration: 7200 }));
    const got = await iam.send(new GetRoleCommand({ RoleName: 'task-role' }));
    assert.equal(got.Role?.MaxSessionDuration, 7200);
    assert.deepEqual(
      JSON.parse(decodeURIComponent(got.Role?.AssumeRolePolicyDocument ?? '')),
      JSON.parse(TRUST_ECS_TASKS),
    );

    const cases: [string, string][] = [
      ['{not json', 'This policy contains invalid Json'],
      [
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Principal: { Service: 'x' }, Action: 'sts:AssumeRole' }],
        }),
        'Missing required field Effect',
      ],
      [
        JSON.stringify({
          Version: '2012-10-18',
          Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }],
        }),
        'The policy failed legacy parsing',
      ],
      [
        JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }),
        'Missing required field Principal',
      ],
      [
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/nobody` },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
        `Invalid principal in policy: "AWS":"arn:aws:iam::${ACCOUNT}:user/nobody"`,
      ],
    ];
    for (const [doc, message] of cases) {
      const e = await awsError(() =>
        iam.send(new CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: doc })),
      );
      assert.deepEqual(
        [e.name, e.status, e.message],
        ['MalformedPolicyDocumentException', 400, message],
        doc,
      );
    }
    const tooLong = await awsError(() =>
      iam.send(new UpdateRoleCommand({ RoleName: 'task-role', MaxSessionDuration: 50000 })),
    );
    assert.equal(tooLong.name, 'ValidationError');
    await iam.send(new DeleteRoleCommand({ RoleName: 'task-role' }));
  });

  it('keeps managed policies with up to five versions', async () => {
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'ecs-read', PolicyDocument: ALLOW_ECS_READ }),
    );
    const arn = `arn:aws:iam::${ACCOUNT}:policy/ecs-read`;
    assert.equal(Policy?.Arn, arn);
    assert.equal(Policy?.DefaultVersionId, 'v1');
    for (let i = 2; i <= 5; i++) {
      const v = await iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn: arn,
          PolicyDocument: ALLOW_ECS_READ,
          SetAsDefault: i === 3,
        }),
      );
      assert.equal(v.PolicyVersion?.VersionId, `v${i}`);
    }
    const limit = await awsError(() =>
      iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: ALLOW_ECS_READ })),
    );
    assert.deepEqual([limit.name, limit.status], ['LimitExceededException', 409]);
    const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    assert.deepEqual(
      versions.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion]),
      [
        ['v5', false],
        ['v4', false],
        ['v3', true],
        ['v2', false],
        ['v1', false],
      ],
    );
    const defaultConflict = await awsError(() =>
      iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' })),
    );
    assert.equal(defaultConflict.message, 'Cannot delete the default version of a policy.');
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    const got = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    assert.equal(decodeURIComponent(got.PolicyVersion?.Document ?? ''), ALLOW_ECS_READ);
    const notEmpty = await awsError(() => iam.send(new DeletePolicyCommand({ PolicyArn: arn })));
    assert.equal(notEmpty.name, 'DeleteConflictException');
    for (const v of ['v2', 'v3', 'v4', 'v5'])
      await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));

    const bad = await awsError(() =>
      iam.send(
        new CreatePolicyCommand({
          PolicyName: 'p',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'ecs:*' }],
          }),
        }),
      ),
    );
    assert.deepEqual(
      [bad.name, bad.message],
      ['MalformedPolicyDocumentException', 'Policy statement must contain resources.'],
    );
  });

  it('lists the AWS managed policies with their real documents', async () => {
    const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', MaxItems: 1000 }));
    const arns = aws.Policies?.map((p) => p.Arn) ?? [];
    for (const arn of [
      'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
      'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role',
      'arn:aws:iam::aws:policy/AmazonECS_FullAccess',
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      'arn:aws:iam::aws:policy/AdministratorAccess',
    ]) {
      assert.ok(arns.includes(arn), arn);
    }
    const exec = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: exec }));
    const version = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: exec, VersionId: Policy?.DefaultVersionId }),
    );
    const doc = JSON.parse(decodeURIComponent(version.PolicyVersion?.Document ?? ''));
    assert.deepEqual(doc.Statement[0].Action, [
      'ecr:GetAuthorizationToken',
      'ecr:BatchCheckLayerAvailability',
      'ecr:GetDownloadUrlForLayer',
      'ecr:BatchGetImage',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);

    await iam.send(new CreateUserCommand({ UserName: 'attacher' }));
    await iam.send(
      new AttachUserPolicyCommand({
        UserName: 'attacher',
        PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      }),
    );
    const attached = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', OnlyAttached: true }));
    assert.deepEqual(
      attached.Policies?.map((p) => [p.PolicyName, p.AttachmentCount]),
      [['ReadOnlyAccess', 1]],
    );
    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local', OnlyAttached: true }));
    assert.deepEqual(local.Policies, []);
    const listed = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'attacher' }));
    assert.deepEqual(listed.AttachedPolicies, [
      { PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    ]);
    const conflict = await awsError(() => iam.send(new DeleteUserCommand({ UserName: 'attacher' })));
    assert.equal(conflict.message, 'Cannot delete entity, must detach all policies first.');
    await iam.send(
      new DetachUserPolicyCommand({
        UserName: 'attacher',
        PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      }),
    );
    const gone = await awsError(() =>
      iam.send(
        new DetachUserPolicyCommand({
          UserName: 'attacher',
          PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
        }),
      ),
    );
    assert.equal(gone.name, 'NoSuchEntityException');
    await iam.send(new DeleteUserCommand({ UserName: 'attacher' }));
  });

  it('keeps inline policies', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'inline' }));
    await iam.send(
      new PutUserPolicyCommand({ UserName: 'inline', PolicyName: 'read', PolicyDocument: ALLOW_ECS_READ }),
    );
    const got = await iam.send(new GetUserPolicyCommand({ UserName: 'inline', PolicyName: 'read' }));
    assert.equal(got.PolicyDocument, encodeURIComponent(ALLOW_ECS_READ));
    const principal = await awsError(() =>
      iam.send(
        new PutUserPolicyCommand({
          UserName: 'inline',
          PolicyName: 'p',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ecs:*', Resource: '*' }],
          }),
        }),
      ),
    );
    assert.equal(principal.message, 'Policy document should not specify a principal.');
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'inline', PolicyName: 'read' }));
    const missing = await awsError(() =>
      iam.send(new GetUserPolicyCommand({ UserName: 'inline', PolicyName: 'read' })),
    );
    assert.equal(missing.message, 'The user policy with name read cannot be found.');
    await iam.send(new DeleteUserCommand({ UserName: 'inline' }));
  });

  it('issues access keys that sign requests to every service, two per user', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'keyed' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'keyed' }));
    assert.match(AccessKey?.AccessKeyId ?? '', /^AKIA[A-Z2-7]{16}$/);
    assert.equal(AccessKey?.SecretAccessKey?.length, 40);
    const never = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: AccessKey?.AccessKeyId }));
    assert.deepEqual(never.AccessKeyLastUsed, { ServiceName: 'N/A', Region: 'N/A' });

    // What the user may do: list ECS clusters and read itself.
    const allow = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['ecs:ListClusters', 'iam:GetUser'], Resource: '*' }],
    };
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'keyed',
        PolicyName: 'list',
        PolicyDocument: JSON.stringify(allow),
      }),
    );
    const credentials = {
      accessKeyId: AccessKey!.AccessKeyId!,
      secretAccessKey: AccessKey!.SecretAccessKey!,
    };
    const asUser = new ECSClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    const clusters = await asUser.send(new ListClustersCommand({}));
    assert.deepEqual(clusters.clusterArns, []);
    const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: credentials.accessKeyId }));
    assert.equal(used.UserName, 'keyed');
    assert.deepEqual(
      [used.AccessKeyLastUsed?.ServiceName, used.AccessKeyLastUsed?.Region],
      ['ecs', 'us-east-1'],
    );
    assert.ok(used.AccessKeyLastUsed?.LastUsedDate instanceof Date);

    // GetUser without a name answers the signing user.
    const asUserIam = new IAMClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    assert.equal((await asUserIam.send(new GetUserCommand({}))).User?.UserName, 'keyed');
    asUserIam.destroy();

    await iam.send(new CreateAccessKeyCommand({ UserName: 'keyed' }));
    const third = await awsError(() => iam.send(new CreateAccessKeyCommand({ UserName: 'keyed' })));
    assert.deepEqual(
      [third.name, third.message],
      ['LimitExceededException', 'Cannot exceed quota for AccessKeysPerUser: 2'],
    );
    const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'keyed' }));
    assert.equal(listed.AccessKeyMetadata?.length, 2);
    assert.ok(listed.AccessKeyMetadata?.every((k) => !('SecretAccessKey' in k)));

    await iam.send(
      new UpdateAccessKeyCommand({
        UserName: 'keyed',
        AccessKeyId: credentials.accessKeyId,
        Status: 'Inactive',
      }),
    );
    const inactive = await awsError(() => asUser.send(new ListClustersCommand({})));
    assert.equal(inactive.name, 'UnrecognizedClientException');

    const conflict = await awsError(() => iam.send(new DeleteUserCommand({ UserName: 'keyed' })));
    assert.equal(conflict.message, 'Cannot delete entity, must delete access keys first.');
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'keyed', PolicyName: 'list' }));
    for (const k of listed.AccessKeyMetadata ?? []) {
      await iam.send(new DeleteAccessKeyCommand({ UserName: 'keyed', AccessKeyId: k.AccessKeyId }));
    }
    await iam.send(new DeleteUserCommand({ UserName: 'keyed' }));
    asUser.destroy();
  });

  it('tags users', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'tagged' }));
    await iam.send(
      new TagUserCommand({
        UserName: 'tagged',
        Tags: [
          { Key: 'team', Value: 'a' },
          { Key: 'env', Value: 'dev' },
        ],
      }),
    );
    await iam.send(new TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'TEAM', Value: 'b' }] }));
    await iam.send(new UntagUserCommand({ UserName: 'tagged', TagKeys: ['env'] }));
    const { Tags } = await iam.send(new ListUserTagsCommand({ UserName: 'tagged' }));
    assert.deepEqual(Tags, [{ Key: 'TEAM', Value: 'b' }]);
  });

  it('keeps instance profiles with one role', async () => {
    await iam.send(
      new CreateRoleCommand({ RoleName: 'ecsInstanceRole', AssumeRolePolicyDocument: TRUST_ECS_TASKS }),
    );
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: 'ecsInstanceRole',
        PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role',
      }),
    );
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceProfile' }));
    await iam.send(
      new AddRoleToInstanceProfileCommand({
        InstanceProfileName: 'ecsInstanceProfile',
        RoleName: 'ecsInstanceRole',
      }),
    );
    const { InstanceProfile } = await iam.send(
      new GetInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceProfile' }),
    );
    assert.equal(InstanceProfile?.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/ecsInstanceProfile`);
    assert.deepEqual(
      InstanceProfile?.Roles?.map((r) => r.RoleName),
      ['ecsInstanceRole'],
    );
    const second = await awsError(() =>
      iam.send(
        new AddRoleToInstanceProfileCommand({
          InstanceProfileName: 'ecsInstanceProfile',
          RoleName: 'ecsInstanceRole',
        }),
      ),
    );
    assert.equal(second.name, 'LimitExceededException');
    const conflict = await awsError(() => iam.send(new DeleteRoleCommand({ RoleName: 'ecsInstanceRole' })));
    assert.equal(conflict.message, 'Cannot delete entity, must remove roles from instance profile first.');
  });

  it('creates ECS service-linked role with AmazonECSServiceRolePolicy', async () => {
    const { Role } = await iam.send(
      new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com' }),
    );
    assert.equal(
      Role?.Arn,
      `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
    );
    const again = await awsError(() =>
      iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com' })),
    );
    assert.equal(again.name, 'InvalidInputException');
    const locked = await awsError(() =>
      iam.send(new DeleteRoleCommand({ RoleName: 'AWSServiceRoleForECS' })),
    );
    assert.equal(locked.name, 'UnmodifiableEntityException');
    const { Policy } = await iam.send(
      new GetPolicyCommand({
        PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy',
      }),
    );
    assert.equal(Policy?.AttachmentCount, 1);
  });
});
