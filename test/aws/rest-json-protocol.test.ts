/** REST-JSON through EventBridge Scheduler: the real `@aws-sdk/client-scheduler`, the `aws` CLI, and REST errors. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  GetScheduleCommand,
  ListScheduleGroupsCommand,
  paginateListScheduleGroups,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { EFSClient, UpdateFileSystemCommand } from '@aws-sdk/client-efs';
import { awsCliEnv } from '../support/aws-cli.ts';
import { awsError, startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { rawAws } from '../support/raw-aws.ts';

const run = promisify(execFile);
const DEFAULT_GROUP = {
  Name: 'default',
  Arn: 'arn:aws:scheduler:us-east-1:000000000000:schedule-group/default',
  State: 'ACTIVE',
};

describe('REST-JSON (EventBridge Scheduler)', () => {
  let t: TestPlane;
  let scheduler: SchedulerClient;
  before(async () => {
    t = await startTestPlane({ controllers: false });
    scheduler = new SchedulerClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
  });
  after(async () => {
    scheduler.destroy();
    await t.stop();
  });

  const expectRestError = (
    res: { status: number; headers: Headers; text: string },
    type: string,
    status: number,
  ) => {
    assert.equal(res.status, status, res.text);
    assert.equal(res.headers.get('x-amzn-errortype'), type);
    assert.match(res.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(typeof JSON.parse(res.text).message, 'string');
  };

  it('lists the default schedule group every account has (SDK)', async () => {
    const out = await scheduler.send(new ListScheduleGroupsCommand({}));
    assert.deepEqual(out.ScheduleGroups, [DEFAULT_GROUP]);
    assert.equal(out.NextToken, undefined);
    const filtered = await scheduler.send(new ListScheduleGroupsCommand({ NamePrefix: 'team-' }));
    assert.deepEqual(filtered.ScheduleGroups, []);
    const pages = [];
    for await (const page of paginateListScheduleGroups({ client: scheduler }, { MaxResults: 1 }))
      pages.push(page);
    assert.deepEqual(
      pages.flatMap((p) => p.ScheduleGroups),
      [DEFAULT_GROUP],
    );
  });

  it('answers `aws scheduler list-schedule-groups`', async () => {
    const { stdout } = await run(
      'aws',
      ['--endpoint-url', t.plane.endpoint, 'scheduler', 'list-schedule-groups'],
      {
        env: awsCliEnv(),
      },
    );
    assert.deepEqual(JSON.parse(stdout), { ScheduleGroups: [DEFAULT_GROUP] });
  });

  it('answers a MaxResults out of range with ValidationException', async () => {
    const e = await awsError(() => scheduler.send(new ListScheduleGroupsCommand({ MaxResults: 500 })));
    assert.deepEqual([e.name, e.status], ['ValidationException', 400]);
    const raw = await rawAws(t.plane.endpoint, {
      service: 'scheduler',
      method: 'GET',
      path: '/schedule-groups',
      query: { MaxResults: 'ten' },
    });
    expectRestError(raw, 'SerializationException', 400);
  });

  it('answers a missing resource with its REST error, and model operations Longshore lacks with UnsupportedFeatureException', async () => {
    const missing = await awsError(() => scheduler.send(new GetScheduleCommand({ Name: 'nightly' })));
    assert.deepEqual([missing.name, missing.status], ['ResourceNotFoundException', 404]);
    // EFS is REST-JSON too; UpdateFileSystem is one of its operations not built yet.
    const efs = new EFSClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      const e = await awsError(() => efs.send(new UpdateFileSystemCommand({ FileSystemId: 'fs-12345678' })));
      assert.deepEqual([e.name, e.status], ['UnsupportedFeatureException', 400]);
      assert.match(e.message, /UpdateFileSystem .*docs\/api-coverage-efs\.md/);
    } finally {
      efs.destroy();
    }
  });

  it('answers paths no operation has with a REST 404', async () => {
    expectRestError(
      await rawAws(t.plane.endpoint, { service: 'scheduler', method: 'GET', path: '/no-such-resource' }),
      'UnknownOperationException',
      404,
    );
    expectRestError(
      await rawAws(t.plane.endpoint, { service: 'scheduler', method: 'PATCH', path: '/schedule-groups' }),
      'UnknownOperationException',
      404,
    );
  });

  it('answers SigV4 failures with 403, REST-shaped', async () => {
    const get = { service: 'scheduler', method: 'GET', path: '/schedule-groups' };
    expectRestError(
      await rawAws(t.plane.endpoint, { ...get, unsigned: true }),
      'MissingAuthenticationTokenException',
      403,
    );
    expectRestError(
      await rawAws(t.plane.endpoint, {
        ...get,
        credentials: { ...TEST_CREDENTIALS, secretAccessKey: 'wrong' },
      }),
      'InvalidSignatureException',
      403,
    );
  });
});
