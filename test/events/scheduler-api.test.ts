/**
 * EventBridge Scheduler's API through @aws-sdk/client-scheduler and the `aws` CLI against the
 * in-process control plane: schedules and groups, paging and filters, tags, idempotency, and the
 * errors Scheduler gives for bad input.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand,
  SchedulerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { awsCliEnv } from '../support/aws-cli.ts';
import { awsError, startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

const run = promisify(execFile);
const ROLE = 'arn:aws:iam::000000000000:role/scheduler';
const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:queue';

let plane: TestPlane;
let client: SchedulerClient;

const base = (name: string, extra: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput => ({
  Name: name,
  // Far in the future: nothing fires during these tests.
  ScheduleExpression: 'at(2099-01-01T00:00:00)',
  FlexibleTimeWindow: { Mode: 'OFF' },
  Target: { Arn: QUEUE, RoleArn: ROLE, Input: '{"hello":"world"}' },
  ...extra,
});

before(async () => {
  plane = await startTestPlane();
  client = new SchedulerClient({
    endpoint: plane.plane.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
});

after(async () => {
  client.destroy();
  await plane.stop();
});

describe('scheduler API: schedules', () => {
  it('creates, gets, updates and deletes a schedule', async () => {
    const created = await client.send(
      new CreateScheduleCommand(
        base('crud', {
          Description: 'nightly',
          ScheduleExpression: 'cron(0 9 ? * MON-FRI *)',
          ScheduleExpressionTimezone: 'Europe/Paris',
          FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
          EndDate: new Date('2099-01-01T00:00:00Z'),
        }),
      ),
    );
    assert.equal(created.ScheduleArn, 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/crud');
    const got = await client.send(new GetScheduleCommand({ Name: 'crud' }));
    assert.equal(got.Arn, created.ScheduleArn);
    assert.equal(got.GroupName, 'default');
    assert.equal(got.State, 'ENABLED');
    assert.equal(got.ActionAfterCompletion, 'NONE');
    assert.equal(got.ScheduleExpressionTimezone, 'Europe/Paris');
    assert.deepEqual(got.FlexibleTimeWindow, { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 });
    assert.deepEqual(got.Target?.RetryPolicy, { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 });
    assert.equal(got.EndDate?.toISOString(), '2099-01-01T00:00:00.000Z');
    assert.ok(got.CreationDate instanceof Date);

    await client.send(new UpdateScheduleCommand({ ...base('crud'), State: 'DISABLED' }));
    const updated = await client.send(new GetScheduleCommand({ Name: 'crud' }));
    assert.equal(updated.State, 'DISABLED');
    assert.equal(updated.Description, undefined, 'an update replaces every field');
    assert.equal(updated.ScheduleExpression, 'at(2099-01-01T00:00:00)');

    await client.send(new DeleteScheduleCommand({ Name: 'crud' }));
    const gone = await awsError(() => client.send(new GetScheduleCommand({ Name: 'crud' })));
    assert.deepEqual(gone, {
      name: 'ResourceNotFoundException',
      message: 'Schedule crud does not exist.',
      status: 404,
    });
  });

  it('answers ConflictException for a second schedule of the same name, and replays a ClientToken', async () => {
    const input = base('dup', { ClientToken: 'token-1' });
    const first = await client.send(new CreateScheduleCommand(input));
    const again = await client.send(new CreateScheduleCommand(input));
    assert.equal(again.ScheduleArn, first.ScheduleArn);
    const conflict = await awsError(() => client.send(new CreateScheduleCommand(base('dup'))));
    assert.deepEqual(conflict, {
      name: 'ConflictException',
      message: 'Schedule dup already exists.',
      status: 409,
    });
    const reused = await awsError(() =>
      client.send(new CreateScheduleCommand({ ...input, Description: 'another request' })),
    );
    assert.equal(reused.name, 'ConflictException');
  });

  it('lists schedules by group, prefix and state, page by page', async () => {
    await client.send(new CreateScheduleGroupCommand({ Name: 'paging' }));
    for (let i = 0; i < 5; i++) {
      await client.send(
        new CreateScheduleCommand(
          base(`page-${i}`, { GroupName: 'paging', State: i % 2 === 0 ? 'ENABLED' : 'DISABLED' }),
        ),
      );
    }
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListSchedulesCommand({ GroupName: 'paging', MaxResults: 2, NextToken: token }),
      );
      assert.ok((page.Schedules ?? []).length <= 2);
      names.push(...(page.Schedules ?? []).map((s) => s.Name!));
      token = page.NextToken;
    } while (token);
    assert.deepEqual(names, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    const disabled = await client.send(new ListSchedulesCommand({ GroupName: 'paging', State: 'DISABLED' }));
    assert.deepEqual(
      disabled.Schedules?.map((s) => s.Name),
      ['page-1', 'page-3'],
    );
    const prefixed = await client.send(new ListSchedulesCommand({ NamePrefix: 'page-4' }));
    assert.equal(prefixed.Schedules?.length, 1);
    assert.equal(prefixed.Schedules?.[0]?.Target?.Arn, QUEUE);
    assert.equal(prefixed.Schedules?.[0]?.GroupName, 'paging');
    const missing = await awsError(() => client.send(new ListSchedulesCommand({ GroupName: 'nope' })));
    assert.deepEqual(missing, {
      name: 'ResourceNotFoundException',
      message: 'Schedule group nope does not exist.',
      status: 404,
    });
  });

  const invalid: [string, Partial<CreateScheduleCommandInput>, string | RegExp][] = [
    [
      'rate(1 minutes)',
      { ScheduleExpression: 'rate(1 minutes)' },
      'Invalid Schedule Expression rate(1 minutes).',
    ],
    [
      'cron with both days',
      { ScheduleExpression: 'cron(0 9 * * * *)' },
      'Invalid Schedule Expression cron(0 9 * * * *).',
    ],
    [
      'five-field cron',
      { ScheduleExpression: 'cron(0 9 * * ?)' },
      'Invalid Schedule Expression cron(0 9 * * ?).',
    ],
    [
      'bad at()',
      { ScheduleExpression: 'at(2026-02-30T00:00:00)' },
      'Invalid Schedule Expression at(2026-02-30T00:00:00).',
    ],
    ['time zone', { ScheduleExpressionTimezone: 'Mars/Base' }, 'Invalid timezone Mars/Base.'],
    [
      'FLEXIBLE without a window',
      { FlexibleTimeWindow: { Mode: 'FLEXIBLE' } },
      /MaximumWindowInMinutes is required/,
    ],
    [
      'a window of 1441 minutes',
      { FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 1441 } },
      /less than or equal to 1440/,
    ],
    [
      'OFF with a window',
      { FlexibleTimeWindow: { Mode: 'OFF', MaximumWindowInMinutes: 5 } },
      /must not be set/,
    ],
    [
      'an EndDate in the past',
      { EndDate: new Date('2001-01-01T00:00:00Z') },
      'The EndDate must be in the future.',
    ],
    [
      'EndDate before StartDate',
      { StartDate: new Date('2098-01-02T00:00:00Z'), EndDate: new Date('2098-01-01T00:00:00Z') },
      'The StartDate must come before the EndDate.',
    ],
    ['a bad name', { Name: 'has space' }, /regular expression pattern/],
    ['a bad role', { Target: { Arn: QUEUE, RoleArn: 'role' } }, /target.roleArn/],
    [
      'ECS without EcsParameters',
      { Target: { Arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/c', RoleArn: ROLE } },
      'EcsParameters must be specified for an Amazon ECS target.',
    ],
    [
      'a retry age of 59 s',
      { Target: { Arn: QUEUE, RoleArn: ROLE, RetryPolicy: { MaximumEventAgeInSeconds: 59 } } },
      /greater than or equal to 60/,
    ],
    [
      'a DLQ that is not SQS',
      {
        Target: {
          Arn: QUEUE,
          RoleArn: ROLE,
          DeadLetterConfig: { Arn: 'arn:aws:sns:us-east-1:000000000000:t' },
        },
      },
      /deadLetterConfig.arn/,
    ],
    ['a bad ActionAfterCompletion', { ActionAfterCompletion: 'KEEP' as never }, /enum value set/],
  ];
  for (const [what, change, message] of invalid) {
    it(`answers ValidationException for ${what}`, async () => {
      const error = await awsError(() =>
        client.send(new CreateScheduleCommand({ ...base('invalid'), ...change })),
      );
      assert.equal(error.name, 'ValidationException');
      assert.equal(error.status, 400);
      if (typeof message === 'string') assert.equal(error.message, message);
      else assert.match(error.message, message);
    });
  }

  it('answers ResourceNotFoundException for a schedule in a group that does not exist', async () => {
    const error = await awsError(() =>
      client.send(new CreateScheduleCommand(base('orphan', { GroupName: 'ghost' }))),
    );
    assert.deepEqual(error, {
      name: 'ResourceNotFoundException',
      message: 'Schedule group ghost does not exist.',
      status: 404,
    });
    const del = await awsError(() => client.send(new DeleteScheduleCommand({ Name: 'never' })));
    assert.equal(del.name, 'ResourceNotFoundException');
  });
});

describe('scheduler API: groups and tags', () => {
  it('creates a group with tags, tags and untags it, and deletes it with its schedules', async () => {
    const created = await client.send(
      new CreateScheduleGroupCommand({ Name: 'team', Tags: [{ Key: 'env', Value: 'test' }] }),
    );
    assert.equal(created.ScheduleGroupArn, 'arn:aws:scheduler:us-east-1:000000000000:schedule-group/team');
    const dup = await awsError(() => client.send(new CreateScheduleGroupCommand({ Name: 'team' })));
    assert.deepEqual(dup, {
      name: 'ConflictException',
      message: 'Schedule group team already exists.',
      status: 409,
    });
    await client.send(
      new TagResourceCommand({
        ResourceArn: created.ScheduleGroupArn,
        Tags: [{ Key: 'owner', Value: 'me' }],
      }),
    );
    await client.send(new UntagResourceCommand({ ResourceArn: created.ScheduleGroupArn, TagKeys: ['env'] }));
    const tags = await client.send(new ListTagsForResourceCommand({ ResourceArn: created.ScheduleGroupArn }));
    assert.deepEqual(tags.Tags, [{ Key: 'owner', Value: 'me' }]);

    const group = await client.send(new GetScheduleGroupCommand({ Name: 'team' }));
    assert.equal(group.State, 'ACTIVE');
    assert.ok(group.CreationDate instanceof Date);
    const listed = await client.send(new ListScheduleGroupsCommand({}));
    assert.ok(listed.ScheduleGroups?.some((g) => g.Name === 'default'));
    assert.ok(listed.ScheduleGroups?.some((g) => g.Name === 'team'));

    await client.send(new CreateScheduleCommand(base('in-team', { GroupName: 'team' })));
    await client.send(new DeleteScheduleGroupCommand({ Name: 'team' }));
    // Deletion is asynchronous: DELETING (if the controller has not finished yet), then gone with its schedules.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const error = await awsError(() => client.send(new GetScheduleGroupCommand({ Name: 'team' }))).catch(
        () => undefined,
      );
      if (error) {
        assert.equal(error.name, 'ResourceNotFoundException');
        break;
      }
      assert.ok(Date.now() < deadline, 'the group is deleted within 10 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    const orphans = await client.send(new ListSchedulesCommand({ NamePrefix: 'in-team' }));
    assert.deepEqual(orphans.Schedules, []);
  });

  it('refuses to delete the default group', async () => {
    const error = await awsError(() => client.send(new DeleteScheduleGroupCommand({ Name: 'default' })));
    assert.deepEqual(error, {
      name: 'ValidationException',
      message: 'The default schedule group cannot be deleted.',
      status: 400,
    });
  });
});

describe('scheduler API: the aws CLI', () => {
  it('creates and reads a schedule with `aws scheduler`', async (t) => {
    const cli = (...args: string[]) =>
      run('aws', ['--endpoint-url', plane.plane.endpoint, '--output', 'json', 'scheduler', ...args], {
        env: awsCliEnv(),
      });
    try {
      await run('aws', ['--version']);
    } catch {
      t.skip('the aws CLI is not installed');
      return;
    }
    const created = await cli(
      'create-schedule',
      '--name',
      'from-cli',
      '--schedule-expression',
      'rate(5 minutes)',
      '--flexible-time-window',
      'Mode=OFF',
      '--state',
      'DISABLED',
      '--target',
      JSON.stringify({ Arn: QUEUE, RoleArn: ROLE }),
    );
    assert.equal(
      JSON.parse(created.stdout).ScheduleArn,
      'arn:aws:scheduler:us-east-1:000000000000:schedule/default/from-cli',
    );
    const got = JSON.parse((await cli('get-schedule', '--name', 'from-cli')).stdout);
    assert.equal(got.ScheduleExpression, 'rate(5 minutes)');
    assert.equal(got.State, 'DISABLED');
    const bad = await cli(
      'create-schedule',
      '--name',
      'bad-cli',
      '--schedule-expression',
      'rate(1 minutes)',
      '--flexible-time-window',
      'Mode=OFF',
      '--target',
      JSON.stringify({ Arn: QUEUE, RoleArn: ROLE }),
    ).then(
      () => assert.fail('expected a failure'),
      (error: { stderr: string }) => error.stderr,
    );
    assert.match(bad, /ValidationException.*Invalid Schedule Expression rate\(1 minutes\)\./);
  });
});
