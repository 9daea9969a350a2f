/** Log groups, streams, retention and tags through @aws-sdk/client-cloudwatch-logs. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  TagLogGroupCommand,
  TagResourceCommand,
  UntagResourceCommand,
  DescribeSubscriptionFiltersCommand,
  PutSubscriptionFilterCommand,
  DeleteSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { awsError, type TestPlane } from '../support/control-plane.ts';
import { startLogsPlane } from './logs-plane.ts';

const ARN = (name: string) => `arn:aws:logs:us-east-1:000000000000:log-group:${name}`;

describe('CloudWatch Logs groups and streams API', () => {
  let t: TestPlane;
  let logs: CloudWatchLogsClient;
  before(async () => {
    ({ t, logs } = await startLogsPlane());
  });
  after(async () => {
    logs.destroy();
    await t.stop();
  });

  it('creates a log group with its KMS key, class and tags, and describes it', async () => {
    await logs.send(
      new CreateLogGroupCommand({
        logGroupName: '/app/web',
        kmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/1234',
        tags: { team: 'web' },
        logGroupClass: 'INFREQUENT_ACCESS',
      }),
    );
    const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/web' }));
    assert.equal(out.logGroups?.length, 1);
    const g = out.logGroups![0]!;
    assert.equal(g.logGroupName, '/app/web');
    assert.equal(g.arn, `${ARN('/app/web')}:*`);
    assert.equal(g.logGroupArn, ARN('/app/web'));
    assert.equal(g.kmsKeyId, 'arn:aws:kms:us-east-1:000000000000:key/1234');
    assert.equal(g.logGroupClass, 'INFREQUENT_ACCESS');
    assert.equal(g.storedBytes, 0);
    assert.equal(g.metricFilterCount, 0);
    assert.equal(typeof g.creationTime, 'number');
    const tags = await logs.send(new ListTagsForResourceCommand({ resourceArn: ARN('/app/web') }));
    assert.deepEqual(tags.tags, { team: 'web' });
  });

  it('refuses a duplicate, a bad name and a bad class with CloudWatch errors', async () => {
    let e = await awsError(() => logs.send(new CreateLogGroupCommand({ logGroupName: '/app/web' })));
    assert.equal(e.name, 'ResourceAlreadyExistsException');
    assert.equal(e.message, 'The specified log group already exists');
    e = await awsError(() => logs.send(new CreateLogGroupCommand({ logGroupName: 'bad name!' })));
    assert.equal(e.name, 'InvalidParameterException');
    assert.match(e.message, /failed to satisfy constraint: Member must satisfy regular expression pattern/);
    e = await awsError(() =>
      logs.send(new CreateLogGroupCommand({ logGroupName: 'x', logGroupClass: 'COLD' as never })),
    );
    assert.equal(e.name, 'InvalidParameterException');
    e = await awsError(() => logs.send(new CreateLogGroupCommand({ logGroupName: '' })));
    assert.equal(e.name, 'InvalidParameterException');
  });

  it('describes groups by prefix or pattern (not both), a page at a time', async () => {
    for (const n of ['pg/a', 'pg/b', 'pg/c', 'other/PG-d'])
      await logs.send(new CreateLogGroupCommand({ logGroupName: n }));
    const first = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'pg/', limit: 2 }));
    assert.deepEqual(
      first.logGroups?.map((g) => g.logGroupName),
      ['pg/a', 'pg/b'],
    );
    assert.ok(first.nextToken);
    const second = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: 'pg/', limit: 2, nextToken: first.nextToken }),
    );
    assert.deepEqual(
      second.logGroups?.map((g) => g.logGroupName),
      ['pg/c'],
    );
    assert.equal(second.nextToken, undefined);
    const pattern = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'pg' }));
    assert.deepEqual(
      pattern.logGroups?.map((g) => g.logGroupName),
      ['other/PG-d', 'pg/a', 'pg/b', 'pg/c'],
    );
    const e = await awsError(() =>
      logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'pg', logGroupNamePrefix: 'pg' })),
    );
    assert.equal(e.name, 'InvalidParameterException');
    assert.equal(
      e.message,
      'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
    );
  });

  it('creates, orders, pages and deletes streams', async () => {
    const group = 'streams/g';
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    for (const s of ['c', 'a', 'b'])
      await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: s }));
    const now = Date.now();
    // Last event times: a newest, then c, then b.
    for (const [s, dt] of [
      ['b', 3000],
      ['c', 2000],
      ['a', 1000],
    ] as const) {
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: group,
          logStreamName: s,
          logEvents: [{ timestamp: now - dt, message: s }],
        }),
      );
    }
    const byName = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
    assert.deepEqual(
      byName.logStreams?.map((s) => s.logStreamName),
      ['a', 'b', 'c'],
    );
    const stream = byName.logStreams![0]!;
    assert.equal(stream.arn, `${ARN(group)}:log-stream:a`);
    assert.equal(stream.lastEventTimestamp, now - 1000);
    assert.equal(stream.firstEventTimestamp, now - 1000);
    assert.equal(stream.storedBytes, 27);
    const byTime = await logs.send(
      new DescribeLogStreamsCommand({
        logGroupName: group,
        orderBy: 'LastEventTime',
        descending: true,
        limit: 2,
      }),
    );
    assert.deepEqual(
      byTime.logStreams?.map((s) => s.logStreamName),
      ['a', 'c'],
    );
    const rest = await logs.send(
      new DescribeLogStreamsCommand({
        logGroupName: group,
        orderBy: 'LastEventTime',
        descending: true,
        limit: 2,
        nextToken: byTime.nextToken,
      }),
    );
    assert.deepEqual(
      rest.logStreams?.map((s) => s.logStreamName),
      ['b'],
    );
    const prefixed = await logs.send(
      new DescribeLogStreamsCommand({ logGroupIdentifier: ARN(group), logStreamNamePrefix: 'b' }),
    );
    assert.deepEqual(
      prefixed.logStreams?.map((s) => s.logStreamName),
      ['b'],
    );
    let e = await awsError(() =>
      logs.send(
        new DescribeLogStreamsCommand({
          logGroupName: group,
          orderBy: 'LastEventTime',
          logStreamNamePrefix: 'a',
        }),
      ),
    );
    assert.equal(e.name, 'InvalidParameterException');
    assert.equal(e.message, 'Cannot order by LastEventTime with a logStreamNamePrefix.');
    e = await awsError(() =>
      logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'a' })),
    );
    assert.equal(e.name, 'ResourceAlreadyExistsException');
    e = await awsError(() =>
      logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'x:y' })),
    );
    assert.equal(e.name, 'InvalidParameterException');
    e = await awsError(() =>
      logs.send(new CreateLogStreamCommand({ logGroupName: 'missing', logStreamName: 'a' })),
    );
    assert.equal(e.name, 'ResourceNotFoundException');
    assert.equal(e.message, 'The specified log group does not exist.');
    await logs.send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: 'a' }));
    e = await awsError(() =>
      logs.send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: 'a' })),
    );
    assert.equal(e.name, 'ResourceNotFoundException');
    assert.equal(e.message, 'The specified log stream does not exist.');
    const left = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
    assert.equal(left.logGroups![0]!.storedBytes, 54);
  });

  it('sets and removes a retention policy of an allowed day value', async () => {
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/app/web', retentionInDays: 14 }));
    let g = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/web' })))
      .logGroups![0]!;
    assert.equal(g.retentionInDays, 14);
    const e = await awsError(() =>
      logs.send(new PutRetentionPolicyCommand({ logGroupName: '/app/web', retentionInDays: 4 })),
    );
    assert.equal(e.name, 'InvalidParameterException');
    assert.match(e.message, /Member must satisfy enum value set: \[1, 3, 5, 7, 14, 30, 60, 90/);
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: '/app/web' }));
    g = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/web' }))).logGroups![0]!;
    assert.equal(g.retentionInDays, undefined);
    const missing = await awsError(() =>
      logs.send(new PutRetentionPolicyCommand({ logGroupName: 'nope', retentionInDays: 1 })),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
  });

  it('tags by ARN and by name', async () => {
    await logs.send(new TagResourceCommand({ resourceArn: ARN('/app/web'), tags: { env: 'prod' } }));
    await logs.send(new TagLogGroupCommand({ logGroupName: '/app/web', tags: { tier: '1' } }));
    await logs.send(new UntagResourceCommand({ resourceArn: ARN('/app/web'), tagKeys: ['team'] }));
    const byName = await logs.send(new ListTagsLogGroupCommand({ logGroupName: '/app/web' }));
    assert.deepEqual(byName.tags, { env: 'prod', tier: '1' });
    const tooMany = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    const e = await awsError(() =>
      logs.send(new TagResourceCommand({ resourceArn: ARN('/app/web'), tags: tooMany })),
    );
    assert.equal(e.name, 'TooManyTagsException');
    const missing = await awsError(() =>
      logs.send(new ListTagsForResourceCommand({ resourceArn: ARN('nope') })),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
  });

  it('refuses subscription filters: no destination exists in Longshore', async () => {
    let e = await awsError(() =>
      logs.send(
        new PutSubscriptionFilterCommand({
          logGroupName: '/app/web',
          filterName: 'to-kinesis',
          filterPattern: 'ERROR',
          destinationArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
        }),
      ),
    );
    assert.equal(e.name, 'InvalidParameterException');
    assert.match(e.message, /Could not deliver test message to specified Kinesis stream/);
    e = await awsError(() =>
      logs.send(
        new PutSubscriptionFilterCommand({
          logGroupName: '/app/web',
          filterName: 'to-lambda',
          filterPattern: '{ bad',
          destinationArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
        }),
      ),
    );
    assert.equal(e.message, 'Invalid subscription filter pattern');
    const d = await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: '/app/web' }));
    assert.deepEqual(d.subscriptionFilters, []);
    e = await awsError(() =>
      logs.send(new DeleteSubscriptionFilterCommand({ logGroupName: '/app/web', filterName: 'x' })),
    );
    assert.equal(e.name, 'ResourceNotFoundException');
  });

  it('deletes a group with its streams and events', async () => {
    await logs.send(new DeleteLogGroupCommand({ logGroupName: 'streams/g' }));
    const e = await awsError(() => logs.send(new DescribeLogStreamsCommand({ logGroupName: 'streams/g' })));
    assert.equal(e.name, 'ResourceNotFoundException');
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'streams/g' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'streams/g', logStreamName: 'b' }));
    const s = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'streams/g' }));
    assert.equal(s.logStreams![0]!.storedBytes, 0);
    assert.equal(s.logStreams![0]!.lastEventTimestamp, undefined);
  });
});
