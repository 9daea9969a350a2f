/**
 * The EventBridge API through @aws-sdk/client-eventbridge (and the aws CLI once): buses and their
 * policies, rules (patterns, schedules, states, paging), targets (limits, per-entry failures),
 * PutEvents' limits and per-entry errors, TestEventPattern, tags, connections (no secret ever
 * answered) and API destinations, and an unimplemented operation's error.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import {
  CreateApiDestinationCommand,
  CreateArchiveCommand,
  CreateConnectionCommand,
  CreateEventBusCommand,
  DeleteConnectionCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeApiDestinationCommand,
  DescribeConnectionCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListApiDestinationsCommand,
  ListConnectionsCommand,
  ListEventBusesCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemovePermissionCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
  TestEventPatternCommand,
  UntagResourceCommand,
  UpdateApiDestinationCommand,
  UpdateConnectionCommand,
} from '@aws-sdk/client-eventbridge';
import { Kind } from '../../src/store/store.ts';
import { awsCliEnv } from '../support/aws-cli.ts';
import { TEST_CREDENTIALS, type TestPlane, awsError, startTestPlane } from '../support/control-plane.ts';

const ACCOUNT = '000000000000';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/events`;

describe('EventBridge API', () => {
  let t: TestPlane;
  let eb: EventBridgeClient;
  before(async () => {
    t = await startTestPlane({ controllers: false });
    eb = new EventBridgeClient({
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
  });
  after(async () => {
    eb.destroy();
    await t.stop();
  });

  it('has the default bus, creates, describes, lists and deletes custom buses', async () => {
    const def = await eb.send(new DescribeEventBusCommand({}));
    assert.equal(def.Name, 'default');
    assert.equal(def.Arn, `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`);
    const created = await eb.send(
      new CreateEventBusCommand({
        Name: 'orders',
        Description: 'order events',
        Tags: [{ Key: 'team', Value: 'a' }],
      }),
    );
    assert.equal(created.EventBusArn, `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/orders`);
    assert.equal(created.Description, 'order events');
    const dup = await awsError(() => eb.send(new CreateEventBusCommand({ Name: 'orders' })));
    assert.equal(dup.name, 'ResourceAlreadyExistsException');
    assert.equal(
      (await awsError(() => eb.send(new CreateEventBusCommand({ Name: 'default' })))).name,
      'ResourceAlreadyExistsException',
    );
    const bad = await awsError(() => eb.send(new CreateEventBusCommand({ Name: 'bad name!' })));
    assert.equal(bad.name, 'ValidationException');
    assert.match(bad.message, /failed to satisfy constraint: Member must satisfy regular expression pattern/);
    const list = await eb.send(new ListEventBusesCommand({}));
    assert.deepEqual(
      list.EventBuses?.map((b) => b.Name),
      ['default', 'orders'],
    );
    const page1 = await eb.send(new ListEventBusesCommand({ Limit: 1 }));
    assert.equal(page1.EventBuses?.length, 1);
    const page2 = await eb.send(new ListEventBusesCommand({ Limit: 1, NextToken: page1.NextToken }));
    assert.equal(page2.EventBuses?.[0]?.Name, 'orders');
    const tags = await eb.send(new ListTagsForResourceCommand({ ResourceARN: created.EventBusArn }));
    assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'a' }]);
    assert.equal(
      (await awsError(() => eb.send(new DeleteEventBusCommand({ Name: 'default' })))).name,
      'ValidationException',
    );
    await eb.send(new DeleteEventBusCommand({ Name: 'orders' }));
    const gone = await awsError(() => eb.send(new DescribeEventBusCommand({ Name: 'orders' })));
    assert.equal(gone.name, 'ResourceNotFoundException');
    assert.equal(gone.message, 'Event bus orders does not exist.');
  });

  it('stores and shows a bus policy with PutPermission and RemovePermission', async () => {
    await eb.send(
      new PutPermissionCommand({
        Action: 'events:PutEvents',
        Principal: '111122223333',
        StatementId: 'allow-1',
      }),
    );
    const policy = JSON.parse((await eb.send(new DescribeEventBusCommand({}))).Policy ?? '{}');
    assert.equal(policy.Statement[0].Sid, 'allow-1');
    assert.deepEqual(policy.Statement[0].Principal, { AWS: 'arn:aws:iam::111122223333:root' });
    assert.equal(policy.Statement[0].Resource, `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`);
    const dup = await awsError(() =>
      eb.send(
        new PutPermissionCommand({
          Action: 'events:PutEvents',
          Principal: '111122223333',
          StatementId: 'allow-1',
        }),
      ),
    );
    assert.equal(dup.name, 'ResourceAlreadyExistsException');
    const wrong = await awsError(() =>
      eb.send(new PutPermissionCommand({ Action: 'events:PutRule', Principal: '*', StatementId: 'x' })),
    );
    assert.equal(wrong.name, 'ValidationException');
    const missing = await awsError(() => eb.send(new RemovePermissionCommand({ StatementId: 'nope' })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    await eb.send(new RemovePermissionCommand({ StatementId: 'allow-1' }));
    assert.equal((await eb.send(new DescribeEventBusCommand({}))).Policy, undefined);
    const none = await awsError(() => eb.send(new RemovePermissionCommand({ StatementId: 'allow-1' })));
    assert.equal(none.message, 'EventBus does not have a policy.');
  });

  it('validates rules: patterns with EventBridge wording, schedule expressions, states', async () => {
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      [
        'no pattern or schedule',
        {},
        'ValidationException',
        /EventPattern or ScheduleExpression must be specified/,
      ],
      [
        'pattern not JSON',
        { EventPattern: '{"source":' },
        'InvalidEventPatternException',
        /^Event pattern is not valid\. Reason: Filter is not valid JSON/,
      ],
      [
        'leaf not an array',
        { EventPattern: '{"source":"aws.ec2"}' },
        'InvalidEventPatternException',
        /must be an object or an array/,
      ],
      [
        'unknown operator',
        { EventPattern: '{"source":[{"bogus":1}]}' },
        'InvalidEventPatternException',
        /Unrecognized match type bogus/,
      ],
      [
        'numeric wrong',
        { EventPattern: '{"x":[{"numeric":[">"]}]}' },
        'InvalidEventPatternException',
        /numeric/,
      ],
      [
        'bad rate unit',
        { ScheduleExpression: 'rate(1 minutes)' },
        'ValidationException',
        /^Parameter ScheduleExpression is not valid\.$/,
      ],
      [
        'five-field cron',
        { ScheduleExpression: 'cron(0 12 * * ?)' },
        'ValidationException',
        /^Parameter ScheduleExpression is not valid\.$/,
      ],
      [
        'at() on a rule',
        { ScheduleExpression: 'at(2030-01-01T00:00:00)' },
        'ValidationException',
        /ScheduleExpression is not valid/,
      ],
      [
        'bad state',
        { EventPattern: '{"source":["a"]}', State: 'ON' },
        'ValidationException',
        /enum value set/,
      ],
      [
        'bad name',
        { Name: 'a b', EventPattern: '{"source":["a"]}' },
        'ValidationException',
        /regular expression pattern/,
      ],
    ];
    for (const [what, extra, code, message] of cases) {
      const e = await awsError(() => eb.send(new PutRuleCommand({ Name: 'r1', ...extra } as never)));
      assert.equal(e.name, code, what);
      assert.match(e.message, message, what);
    }
    await eb.send(new CreateEventBusCommand({ Name: 'custom' }));
    const sched = await awsError(() =>
      eb.send(
        new PutRuleCommand({ Name: 'r1', EventBusName: 'custom', ScheduleExpression: 'rate(5 minutes)' }),
      ),
    );
    assert.equal(sched.message, 'ScheduleExpression is supported only on the default event bus.');
    const noBus = await awsError(() =>
      eb.send(new PutRuleCommand({ Name: 'r1', EventBusName: 'nope', EventPattern: '{"source":["a"]}' })),
    );
    assert.equal(noBus.name, 'ResourceNotFoundException');
  });

  it('creates, describes, lists, enables, disables and deletes rules', async () => {
    const pattern = JSON.stringify({ source: ['my.app'] });
    const { RuleArn } = await eb.send(
      new PutRuleCommand({ Name: 'alpha', EventPattern: pattern, Description: 'd', RoleArn: ROLE }),
    );
    assert.equal(RuleArn, `arn:aws:events:us-east-1:${ACCOUNT}:rule/alpha`);
    await eb.send(
      new PutRuleCommand({ Name: 'beta', ScheduleExpression: 'cron(0/5 * * * ? *)', State: 'DISABLED' }),
    );
    const custom = await eb.send(
      new PutRuleCommand({ Name: 'gamma', EventBusName: 'custom', EventPattern: pattern }),
    );
    assert.equal(custom.RuleArn, `arn:aws:events:us-east-1:${ACCOUNT}:rule/custom/gamma`);
    const alpha = await eb.send(new DescribeRuleCommand({ Name: 'alpha' }));
    assert.equal(alpha.EventPattern, pattern);
    assert.equal(alpha.State, 'ENABLED');
    assert.equal(alpha.EventBusName, 'default');
    assert.equal(alpha.RoleArn, ROLE);
    assert.equal(alpha.CreatedBy, ACCOUNT);
    const listed = await eb.send(new ListRulesCommand({}));
    assert.deepEqual(
      listed.Rules?.map((r) => [r.Name, r.State]),
      [
        ['alpha', 'ENABLED'],
        ['beta', 'DISABLED'],
      ],
    );
    assert.deepEqual(
      (await eb.send(new ListRulesCommand({ NamePrefix: 'b' }))).Rules?.map((r) => r.Name),
      ['beta'],
    );
    const p1 = await eb.send(new ListRulesCommand({ Limit: 1 }));
    assert.ok(p1.NextToken);
    const p2 = await eb.send(new ListRulesCommand({ Limit: 1, NextToken: p1.NextToken }));
    assert.equal(p2.Rules?.[0]?.Name, 'beta');
    assert.equal(p2.NextToken, undefined);
    await eb.send(new EnableRuleCommand({ Name: 'beta' }));
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'beta' }))).State, 'ENABLED');
    await eb.send(new DisableRuleCommand({ Name: 'alpha' }));
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'alpha' }))).State, 'DISABLED');
    const missing = await awsError(() => eb.send(new DescribeRuleCommand({ Name: 'nope' })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    assert.equal(missing.message, 'Rule nope does not exist on EventBus default.');
    await eb.send(new DeleteRuleCommand({ Name: 'beta' }));
    await eb.send(new DeleteRuleCommand({ Name: 'gamma', EventBusName: 'custom' }));
    assert.equal(
      (await awsError(() => eb.send(new DescribeRuleCommand({ Name: 'beta' })))).name,
      'ResourceNotFoundException',
    );
  });

  it('puts targets with per-entry failures, the 5-target limit, and refuses DeleteRule while targets remain', async () => {
    const cluster = `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/default`;
    const logs = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/events/alpha`;
    const result = await eb.send(
      new PutTargetsCommand({
        Rule: 'alpha',
        Targets: [
          { Id: 'logs', Arn: logs },
          { Id: 'ecs-no-role', Arn: cluster, EcsParameters: { TaskDefinitionArn: 'td:1' } },
          { Id: 'two-inputs', Arn: logs, Input: '{}', InputPath: '$.detail' },
          { Id: 'bad-json', Arn: logs, Input: '{nope' },
          {
            Id: 'reserved',
            Arn: logs,
            InputTransformer: { InputPathsMap: { 'aws.events.rule-arn': '$.id' }, InputTemplate: '"x"' },
          },
          { Id: 'lambda', Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:f` },
        ],
      }),
    );
    assert.equal(result.FailedEntryCount, 4);
    assert.deepEqual(
      result.FailedEntries?.map((f) => [f.TargetId, f.ErrorCode]),
      [
        ['ecs-no-role', 'ValidationException'],
        ['two-inputs', 'ValidationException'],
        ['bad-json', 'ValidationException'],
        ['reserved', 'ValidationException'],
      ],
    );
    assert.equal(result.FailedEntries?.[0]?.ErrorMessage, `RoleArn is required for target ${cluster}.`);
    assert.equal(
      result.FailedEntries?.[1]?.ErrorMessage,
      'Only one of Input, InputPath, or InputTransformer must be provided.',
    );
    const targets = await eb.send(new ListTargetsByRuleCommand({ Rule: 'alpha' }));
    assert.deepEqual(
      targets.Targets?.map((x) => x.Id),
      ['lambda', 'logs'],
    );
    const byTarget = await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: logs }));
    assert.deepEqual(byTarget.RuleNames, ['alpha']);
    const tooMany = await awsError(() =>
      eb.send(
        new PutTargetsCommand({
          Rule: 'alpha',
          Targets: ['a', 'b', 'c', 'd'].map((Id) => ({ Id, Arn: logs })),
        }),
      ),
    );
    assert.equal(tooMany.name, 'LimitExceededException');
    assert.equal(tooMany.message, 'The requested resource exceeds the maximum number allowed.');
    const refused = await awsError(() => eb.send(new DeleteRuleCommand({ Name: 'alpha' })));
    assert.equal(refused.name, 'ValidationException');
    assert.equal(refused.message, "Rule can't be deleted since it has targets.");
    await eb.send(new RemoveTargetsCommand({ Rule: 'alpha', Ids: ['lambda', 'logs'] }));
    assert.deepEqual((await eb.send(new ListTargetsByRuleCommand({ Rule: 'alpha' }))).Targets, []);
    const noRule = await awsError(() =>
      eb.send(new PutTargetsCommand({ Rule: 'nope', Targets: [{ Id: 'a', Arn: logs }] })),
    );
    assert.equal(noRule.name, 'ResourceNotFoundException');
  });

  it('checks PutEvents entries one by one and the request limits', async () => {
    const out = await eb.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'my.app', DetailType: 'thing', Detail: '{"a":1}' },
          { Source: 'my.app', DetailType: 'thing', Detail: '{"a":' },
          { Source: 'aws.ec2', DetailType: 'thing', Detail: '{}' },
          { DetailType: 'thing', Detail: '{}' },
          { Source: 'my.app', DetailType: 'thing', Detail: '{}', EventBusName: 'nope' },
          { Source: 'my.app', DetailType: 'thing', Detail: '[1]' },
        ],
      }),
    );
    assert.equal(out.FailedEntryCount, 5);
    assert.match(out.Entries?.[0]?.EventId ?? '', /^[0-9a-f-]{36}$/);
    assert.deepEqual(
      out.Entries?.slice(1).map((e) => e.ErrorCode),
      [
        'MalformedDetail',
        'NotAuthorizedForSourceException',
        'InvalidArgument',
        'ResourceNotFoundException',
        'MalformedDetail',
      ],
    );
    assert.equal(
      out.Entries?.[3]?.ErrorMessage,
      'Parameter Source is not valid. Reason: Source is a required argument.',
    );
    const eleven = await awsError(() =>
      eb.send(
        new PutEventsCommand({
          Entries: Array.from({ length: 11 }, () => ({ Source: 'a', DetailType: 'b', Detail: '{}' })),
        }),
      ),
    );
    assert.equal(eleven.name, 'ValidationException');
    assert.match(eleven.message, /Member must have length less than or equal to 10/);
    const big = await awsError(() =>
      eb.send(
        new PutEventsCommand({
          Entries: [{ Source: 'a', DetailType: 'b', Detail: JSON.stringify({ x: 'y'.repeat(262_144) }) }],
        }),
      ),
    );
    assert.equal(big.name, 'ValidationException');
    assert.equal(big.message, 'Total size of the entries in the request is over the limit.');
  });

  it('answers TestEventPattern', async () => {
    const event = JSON.stringify({
      id: '1',
      account: ACCOUNT,
      source: 'aws.ec2',
      time: '2024-01-01T00:00:00Z',
      region: 'us-east-1',
      'detail-type': 'EC2 Instance State-change Notification',
      resources: [],
      detail: { state: 'running', n: 5 },
    });
    const yes = await eb.send(
      new TestEventPatternCommand({
        Event: event,
        EventPattern: '{"detail":{"state":[{"prefix":"run"}],"n":[{"numeric":[">",3]}]}}',
      }),
    );
    assert.equal(yes.Result, true);
    const no = await eb.send(
      new TestEventPatternCommand({
        Event: event,
        EventPattern: '{"detail":{"state":[{"anything-but":"running"}]}}',
      }),
    );
    assert.equal(no.Result, false);
    const bad = await awsError(() =>
      eb.send(new TestEventPatternCommand({ Event: event, EventPattern: '{"a":[{"wildcard":"**"}]}' })),
    );
    assert.equal(bad.name, 'InvalidEventPatternException');
    const badEvent = await awsError(() =>
      eb.send(new TestEventPatternCommand({ Event: '{"source":"x"}', EventPattern: '{"source":["x"]}' })),
    );
    assert.equal(badEvent.name, 'ValidationException');
  });

  it('tags rules', async () => {
    const arn = `arn:aws:events:us-east-1:${ACCOUNT}:rule/alpha`;
    await eb.send(
      new TagResourceCommand({
        ResourceARN: arn,
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    await eb.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['a'] }));
    assert.deepEqual((await eb.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags, [
      { Key: 'b', Value: '2' },
    ]);
    const missing = await awsError(() =>
      eb.send(new ListTagsForResourceCommand({ ResourceARN: `${arn}-nope` })),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
  });

  it('keeps connection secrets out of every answer and the store, and manages API destinations', async () => {
    const secrets = [
      'pa55-w0rd-secret',
      'api-key-value-secret',
      'client-secret-value',
      'header-secret-value',
    ];
    const basic = await eb.send(
      new CreateConnectionCommand({
        Name: 'basic',
        AuthorizationType: 'BASIC',
        AuthParameters: {
          BasicAuthParameters: { Username: 'user', Password: secrets[0] },
          InvocationHttpParameters: {
            HeaderParameters: [
              { Key: 'x-token', Value: secrets[3], IsValueSecret: true },
              { Key: 'x-plain', Value: 'p', IsValueSecret: false },
            ],
          },
        },
      }),
    );
    assert.equal(basic.ConnectionState, 'AUTHORIZED');
    assert.match(
      basic.ConnectionArn ?? '',
      /^arn:aws:events:us-east-1:000000000000:connection\/basic\/[0-9a-f-]{36}$/,
    );
    await eb.send(
      new CreateConnectionCommand({
        Name: 'key',
        AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: secrets[1] } },
      }),
    );
    await eb.send(
      new CreateConnectionCommand({
        Name: 'oauth',
        AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
        AuthParameters: {
          OAuthParameters: {
            ClientParameters: { ClientID: 'cid', ClientSecret: secrets[2] },
            AuthorizationEndpoint: 'https://auth.example.com/token',
            HttpMethod: 'POST',
          },
        },
      }),
    );
    const dup = await awsError(() =>
      eb.send(
        new CreateConnectionCommand({
          Name: 'key',
          AuthorizationType: 'API_KEY',
          AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } },
        }),
      ),
    );
    assert.equal(dup.name, 'ResourceAlreadyExistsException');
    const missingAuth = await awsError(() =>
      eb.send(new CreateConnectionCommand({ Name: 'x', AuthorizationType: 'BASIC', AuthParameters: {} })),
    );
    assert.equal(missingAuth.name, 'ValidationException');
    const described = await eb.send(new DescribeConnectionCommand({ Name: 'basic' }));
    assert.deepEqual(described.AuthParameters?.BasicAuthParameters, { Username: 'user' });
    assert.deepEqual(described.AuthParameters?.InvocationHttpParameters?.HeaderParameters, [
      { Key: 'x-token', IsValueSecret: true },
      { Key: 'x-plain', Value: 'p', IsValueSecret: false },
    ]);
    assert.match(
      described.SecretArn ?? '',
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:events!connection\/basic\//,
    );
    await eb.send(
      new UpdateConnectionCommand({
        Name: 'key',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-other-key' } },
      }),
    );
    const answers = JSON.stringify([
      described,
      await eb.send(new DescribeConnectionCommand({ Name: 'key' })),
      await eb.send(new DescribeConnectionCommand({ Name: 'oauth' })),
      await eb.send(new ListConnectionsCommand({})),
    ]);
    const stored = JSON.stringify(await t.plane.store.list(Kind.EventConnection));
    for (const s of secrets) {
      assert.ok(!answers.includes(s), 'a secret in an answer');
      assert.ok(!stored.includes(s), 'a secret in the store');
    }
    assert.equal(
      (await eb.send(new DescribeConnectionCommand({ Name: 'key' }))).AuthParameters?.ApiKeyAuthParameters
        ?.ApiKeyName,
      'x-other-key',
    );
    const dest = await eb.send(
      new CreateApiDestinationCommand({
        Name: 'hook',
        ConnectionArn: basic.ConnectionArn,
        InvocationEndpoint: 'https://example.com/hook/*',
        HttpMethod: 'POST',
      }),
    );
    assert.equal(dest.ApiDestinationState, 'ACTIVE');
    const d = await eb.send(new DescribeApiDestinationCommand({ Name: 'hook' }));
    assert.equal(d.InvocationRateLimitPerSecond, 300);
    assert.equal(d.HttpMethod, 'POST');
    await eb.send(new UpdateApiDestinationCommand({ Name: 'hook', InvocationRateLimitPerSecond: 5 }));
    assert.equal(
      (await eb.send(new ListApiDestinationsCommand({}))).ApiDestinations?.[0]?.InvocationRateLimitPerSecond,
      5,
    );
    const badRate = await awsError(() =>
      eb.send(new UpdateApiDestinationCommand({ Name: 'hook', InvocationRateLimitPerSecond: 301 })),
    );
    assert.equal(badRate.name, 'ValidationException');
    const noConn = await awsError(() =>
      eb.send(
        new CreateApiDestinationCommand({
          Name: 'x',
          ConnectionArn: `arn:aws:events:us-east-1:${ACCOUNT}:connection/nope/1`,
          InvocationEndpoint: 'https://e.com',
          HttpMethod: 'GET',
        }),
      ),
    );
    assert.equal(noConn.name, 'ResourceNotFoundException');
    const deleted = await eb.send(new DeleteConnectionCommand({ Name: 'oauth' }));
    assert.equal(deleted.ConnectionState, 'DELETING');
  });

  it('answers UnsupportedFeatureException for an operation not built', async () => {
    const e = await awsError(() =>
      eb.send(
        new CreateArchiveCommand({
          ArchiveName: 'a',
          EventSourceArn: 'arn:aws:events:us-east-1:000000000000:event-bus/default',
        }),
      ),
    );
    assert.equal(e.name, 'UnsupportedFeatureException');
  });

  it('works with the aws CLI', async () => {
    const run = (args: string[]) =>
      promisify(execFile)(
        'aws',
        ['--endpoint-url', t.plane.endpoint, '--output', 'json', 'events', ...args],
        { env: awsCliEnv(), encoding: 'utf8' },
      );
    const put = await run(['put-rule', '--name', 'cli-rule', '--event-pattern', '{"source":["cli.app"]}']);
    assert.equal(JSON.parse(put.stdout).RuleArn, `arn:aws:events:us-east-1:${ACCOUNT}:rule/cli-rule`);
    const events = await run([
      'put-events',
      '--entries',
      JSON.stringify([{ Source: 'cli.app', DetailType: 't', Detail: '{"k":"v"}' }]),
    ]);
    assert.equal(JSON.parse(events.stdout).FailedEntryCount, 0);
    const rules = await run(['list-rules', '--name-prefix', 'cli-']);
    assert.deepEqual(
      JSON.parse(rules.stdout).Rules.map((r: { Name: string }) => r.Name),
      ['cli-rule'],
    );
  });
});
