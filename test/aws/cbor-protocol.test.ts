/**
 * CloudWatch's three protocols through the real `@aws-sdk/client-cloudwatch`: RPC v2 CBOR (the
 * model's first protocol, chosen with `protocol: SmithyRpcV2CborProtocol`), AWS JSON 1.0 (the SDK's
 * and the aws CLI's default) and Query; an account without alarms or dashboards lists none.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  CloudWatchClient,
  type CloudWatchClientConfig,
  DescribeAlarmsCommand,
  GetDashboardCommand,
  ListDashboardsCommand,
} from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { cbor } from '@smithy/core/cbor';
import { SmithyRpcV2CborProtocol } from '@smithy/core/cbor';
import { awsCliEnv } from '../support/aws-cli.ts';
import { awsError, startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';
import { rawAws } from '../support/raw-aws.ts';

const run = promisify(execFile);
const CBOR_PATH = '/service/GraniteServiceVersion20100801/operation';

describe('RPC v2 CBOR, AWS JSON 1.0 and Query (CloudWatch)', () => {
  let t: TestPlane;
  const clients: Record<string, CloudWatchClient> = {};
  before(async () => {
    t = await startTestPlane({ controllers: false });
    const base = {
      endpoint: t.plane.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    };
    // The SDK builds `new protocol(protocolSettings)` from a protocol class passed in its config.
    const withProtocol = (protocol: unknown) => ({ ...base, protocol }) as CloudWatchClientConfig;
    clients.cbor = new CloudWatchClient(withProtocol(SmithyRpcV2CborProtocol));
    clients.json = new CloudWatchClient(base);
    clients.query = new CloudWatchClient(withProtocol(AwsQueryProtocol));
  });
  after(async () => {
    for (const client of Object.values(clients)) client.destroy();
    await t.stop();
  });

  for (const protocol of ['cbor', 'json', 'query']) {
    it(`${protocol}: DescribeAlarms and ListDashboards answer empty lists`, async () => {
      const alarms = await clients[protocol].send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'web-' }));
      assert.deepEqual(alarms.MetricAlarms, []);
      const both = await clients[protocol].send(
        new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 10 }),
      );
      assert.deepEqual([both.MetricAlarms, both.CompositeAlarms], [[], []]);
      const dashboards = await clients[protocol].send(new ListDashboardsCommand({}));
      assert.deepEqual(dashboards.DashboardEntries, []);
    });

    it(`${protocol}: model operations Longshore lacks answer UnsupportedFeatureException`, async () => {
      const e = await awsError(() => clients[protocol].send(new GetDashboardCommand({ DashboardName: 'd' })));
      assert.deepEqual([e.name, e.status], ['UnsupportedFeatureException', 400]);
      assert.match(e.message, /GetDashboard .*docs\/api-coverage-cloudwatch\.md/);
    });
  }

  it('answers `aws cloudwatch describe-alarms` and `list-dashboards`', async () => {
    const cli = async (...args: string[]) =>
      JSON.parse(
        (await run('aws', ['--endpoint-url', t.plane.endpoint, 'cloudwatch', ...args], { env: awsCliEnv() }))
          .stdout,
      );
    assert.deepEqual(await cli('describe-alarms'), { MetricAlarms: [] });
    assert.deepEqual(await cli('list-dashboards'), { DashboardEntries: [] });
  });

  it('writes CBOR with the smithy-protocol header', async () => {
    const res = await rawAws(t.plane.endpoint, {
      service: 'monitoring',
      path: `${CBOR_PATH}/ListDashboards`,
      headers: {
        'smithy-protocol': 'rpc-v2-cbor',
        'content-type': 'application/cbor',
        accept: 'application/cbor',
      },
      body: cbor.serialize({}),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('smithy-protocol'), 'rpc-v2-cbor');
    assert.equal(res.headers.get('content-type'), 'application/cbor');
    assert.deepEqual(cbor.deserialize(res.bytes), { DashboardEntries: [] });
  });

  it('answers unknown operations and services and undecodable bodies in CBOR', async () => {
    const cborCall = (path: string, body: Uint8Array) =>
      rawAws(t.plane.endpoint, {
        service: 'monitoring',
        path,
        headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' },
        body,
      });
    const cases = [
      [await cborCall(`${CBOR_PATH}/MakeCoffee`, cbor.serialize({})), 404, 'UnknownOperationException'],
      [
        await cborCall('/service/NoSuchService/operation/Op', cbor.serialize({})),
        404,
        'UnknownOperationException',
      ],
      [
        await cborCall('/service/%E0%A4%A/operation/Op', cbor.serialize({})),
        404,
        'UnknownOperationException',
      ],
      [
        await cborCall(`${CBOR_PATH}/ListDashboards`, Uint8Array.from([0xff, 0x01])),
        400,
        'SerializationException',
      ],
      [
        await cborCall(`${CBOR_PATH}/DescribeAlarms`, cbor.serialize({ MaxRecords: 'ten' })),
        400,
        'SerializationException',
      ],
    ] as const;
    for (const [res, status, type] of cases) {
      assert.equal(res.status, status);
      assert.equal(res.headers.get('smithy-protocol'), 'rpc-v2-cbor');
      const body = cbor.deserialize(res.bytes) as { __type: string; message: string };
      assert.equal(body.__type, type);
      assert.equal(typeof body.message, 'string');
    }
  });

  it('keeps the Query error codes in JSON answers (x-amzn-query-error)', async () => {
    const res = await rawAws(t.plane.endpoint, {
      service: 'monitoring',
      headers: {
        'x-amz-target': 'GraniteServiceVersion20100801.GetDashboard',
        'content-type': 'application/x-amz-json-1.0',
      },
      body: '{"DashboardName":"d"}',
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('content-type'), 'application/x-amz-json-1.0');
    assert.equal(res.headers.get('x-amzn-query-error'), 'UnsupportedFeatureException;Sender');
  });
});
