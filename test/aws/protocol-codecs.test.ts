/**
 * Every protocol module against the SDK's own protocol classes: what the SDK sends reads back as
 * the input it was given, and what a module writes parses back as the output (or error) it was
 * given. Nested lists, maps, structures, timestamps and doubles are in the shapes used.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as cw from '@aws-sdk/client-cloudwatch';
import * as ecs from '@aws-sdk/client-ecs';
import * as scheduler from '@aws-sdk/client-scheduler';
import * as sts from '@aws-sdk/client-sts';
import {
  AwsEc2QueryProtocol,
  AwsJson1_0Protocol,
  AwsQueryProtocol,
  AwsRestJsonProtocol,
} from '@aws-sdk/core/protocols';
import { SmithyRpcV2CborProtocol } from '@smithy/core/cbor';
import { createDispatcher } from '../../src/aws/dispatch.ts';
import { awsJson1_0 } from '../../src/aws/protocols/aws-json.ts';
import { awsQuery, ec2Query } from '../../src/aws/protocols/aws-query.ts';
import type { Call, Protocol } from '../../src/aws/protocols/protocol.ts';
import { restJson1 } from '../../src/aws/protocols/rest-json.ts';
import { rpcV2Cbor } from '../../src/aws/protocols/rpc-v2-cbor.ts';
import { readSdkModel } from '../../src/aws/sdk-model.ts';
import type { AwsService } from '../../src/aws/service.ts';
import { validateInput } from '../../src/aws/validate-input.ts';
import { toWireError } from '../../src/aws/wire-error.ts';
import { cloudWatchService } from '../../src/cloudwatch/cloudwatch-service.ts';
import type { ServiceError } from '../../src/core/errors.ts';
import { ProtocolError } from '../../src/aws/errors.ts';
import { schedulerService } from '../../src/events/scheduler/scheduler-service.ts';
import { stsService } from '../../src/sts/sts-service.ts';
import { jsonForm, ready, type SdkProtocol, sdkParse, sdkRequest } from '../support/sdk-codec.ts';

const partition = { region: 'us-east-1', accountId: '123456789012' };
const ecsModel = readSdkModel(ecs);
// Only the codecs are exercised here: no handler runs, so no store is needed.
const cloudWatch = cloudWatchService(() => ({
  partition,
  store: undefined as never,
  clock: { now: () => 0 },
}));
const settings = (namespace: string, version: string) => ({
  defaultNamespace: namespace,
  xmlNamespace: 'urn:test',
  version,
  serviceTarget: 'GraniteServiceVersion20100801',
  awsQueryCompatible: true,
});
const ecsSettings = settings('com.amazonaws.ecs', '2014-11-13');
const cwSettings = { ...settings('com.amazonaws.cloudwatch', '2010-08-01'), errorTypeRegistries: [] };
const sdk = <P extends SdkProtocol>(p: unknown) => ready(p as P);

const taskDefinitionInput: ecs.RegisterTaskDefinitionRequest = {
  family: 'web',
  cpu: '256',
  containerDefinitions: [
    {
      name: 'app',
      image: 'busybox',
      essential: true,
      memory: 128,
      portMappings: [{ containerPort: 80, protocol: 'tcp' }, { containerPort: 443 }],
      dockerLabels: { tier: 'front', 'a.b': 'dots & <xml>' },
      command: ['sh', '-c', 'echo hi'],
    },
  ],
  tags: [],
};

const taskOutput = {
  tasks: [
    {
      taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/c/1',
      createdAt: 1_700_000_000.5,
      containers: [{ name: 'app', exitCode: 0, networkBindings: [{ hostPort: 49153, containerPort: 80 }] }],
      overrides: { containerOverrides: [{ name: 'app', environment: [{ name: 'K', value: 'v' }] }] },
      enableExecuteCommand: false,
    },
  ],
  failures: [{ arn: 'arn:x', reason: 'MISSING' }],
};

function callFor(
  service: Pick<AwsService, 'name'> & Partial<AwsService>,
  op: string,
  extra: Partial<Call> = {},
): Call {
  const full = {
    protocols: [],
    signingName: 'x',
    operations: new Map(),
    modelOperations: [],
    ...service,
  } as AwsService;
  return {
    requestId: 'req-1',
    service: full,
    operation: op,
    model: full.model?.operations.get(op),
    ...extra,
  };
}

async function roundTripInput(
  protocol: Protocol,
  sdkProtocol: SdkProtocol,
  service: Partial<AwsService> & { name: string },
  op: string,
  opSchema: unknown,
  input: object,
) {
  const request = await sdkRequest(sdkProtocol, opSchema, input);
  const call = callFor(service, op, protocol.name.endsWith('Query') ? { params: queryOf(request) } : {});
  const read = protocol.readInput(request, call);
  return validateInput(call.model!.input, read);
}

function queryOf(request: { query: URLSearchParams; body: Buffer }): URLSearchParams {
  const params = new URLSearchParams(request.query);
  for (const [k, v] of new URLSearchParams(request.body.toString('utf8'))) params.append(k, v);
  return params;
}

describe('AWS Query and EC2 Query codecs', () => {
  const ecsService = {
    name: 'ecs',
    model: ecsModel,
    query: { version: '2014-11-13', xmlNamespace: 'urn:test' },
  };

  it('reads nested lists, maps and empty lists as the SDK sends them', async () => {
    const query = sdk<SdkProtocol>(new AwsQueryProtocol(ecsSettings));
    const read = await roundTripInput(
      awsQuery,
      query,
      ecsService,
      'RegisterTaskDefinition',
      ecs.RegisterTaskDefinition$,
      taskDefinitionInput,
    );
    assert.deepEqual(read, jsonForm(taskDefinitionInput));
  });

  it('reads EC2 Query: capitalized names, flattened lists', async () => {
    const ec2 = sdk<SdkProtocol>(new AwsEc2QueryProtocol(ecsSettings));
    const { tags: _empty, ...input } = taskDefinitionInput;
    const read = await roundTripInput(
      ec2Query,
      ec2,
      ecsService,
      'RegisterTaskDefinition',
      ecs.RegisterTaskDefinition$,
      input,
    );
    assert.deepEqual(read, jsonForm(input));
  });

  it('writes XML the SDK parses back to the same output', async () => {
    for (const [protocol, sdkProtocol] of [
      [awsQuery, new AwsQueryProtocol(ecsSettings)],
      [ec2Query, new AwsEc2QueryProtocol(ecsSettings)],
    ] as const) {
      const answer = protocol.writeOutput(taskOutput, callFor(ecsService, 'DescribeTasks'));
      assert.equal(answer.status, 200);
      const parsed = await sdkParse(sdk(sdkProtocol), ecs.DescribeTasks$, answer);
      assert.deepEqual(jsonForm(parsed), taskOutput, protocol.name);
    }
  });

  it('wraps awsQuery answers in Response, Result and ResponseMetadata', () => {
    const answer = awsQuery.writeOutput({ clusterArns: ['a'] }, callFor(ecsService, 'ListClusters'));
    assert.equal(
      answer.body,
      '<ListClustersResponse xmlns="urn:test"><ListClustersResult><clusterArns><member>a</member></clusterArns></ListClustersResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></ListClustersResponse>',
    );
  });

  it('answers errors with the Query code of the model and its status (STS)', async () => {
    // The context is never asked for: only the model's error shapes are read.
    const service = stsService(() => ({ partition }) as never);
    const call = callFor(service, 'AssumeRoleWithWebIdentity');
    const wire = toWireError(
      new ProtocolError('IDPRejectedClaimException' as string, 'no'),
      awsQuery.name,
      service,
    );
    const answer = awsQuery.writeError(wire, call);
    assert.equal(answer.status, 403);
    assert.match(
      String(answer.body),
      /<Type>Sender<\/Type><Code>IDPRejectedClaim<\/Code><Message>no<\/Message>/,
    );
    const stsQuery = sdk<SdkProtocol>(
      new AwsQueryProtocol({
        defaultNamespace: 'com.amazonaws.sts',
        xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
        version: '2011-06-15',
        errorTypeRegistries: [],
      }),
    );
    await assert.rejects(sdkParse(stsQuery, sts.AssumeRoleWithWebIdentity$, answer), (e: Error) => {
      assert.equal(e.name, 'IDPRejectedClaimException');
      return true;
    });
  });

  it('rejects a value that is not of its parameter type with InvalidParameterValue', () => {
    const call = callFor(ecsService, 'ListClusters', { params: new URLSearchParams('maxResults=ten') });
    assert.throws(
      () => awsQuery.readInput({} as never, call),
      (e: ServiceError) => e.code === ('InvalidParameterValue' as string) && /maxResults/.test(e.message),
    );
  });
});

describe('RPC v2 CBOR and AWS JSON 1.0 codecs (CloudWatch)', () => {
  const putMetricData: cw.PutMetricDataInput = {
    Namespace: 'App',
    MetricData: [
      {
        MetricName: 'Latency',
        Dimensions: [{ Name: 'Service', Value: 'web' }],
        Timestamp: new Date('2026-01-02T03:04:05.250Z'),
        Values: [1.5, 2.25],
        Counts: [1, 3],
        StorageResolution: 60,
      },
    ],
    StrictEntityValidation: true,
  };
  const alarms = {
    MetricAlarms: [
      {
        AlarmName: 'high',
        StateUpdatedTimestamp: 1_767_323_045.5,
        Threshold: 80.5,
        Dimensions: [{ Name: 'Service', Value: 'web' }],
        ActionsEnabled: true,
        AlarmActions: ['arn:a'],
      },
    ],
  };

  for (const [protocol, make] of [
    [rpcV2Cbor, () => new SmithyRpcV2CborProtocol(cwSettings)],
    [awsJson1_0, () => new AwsJson1_0Protocol(cwSettings)],
    [awsQuery, () => new AwsQueryProtocol(cwSettings)],
  ] as const) {
    it(`${protocol.name}: timestamps, doubles and nested lists both ways`, async () => {
      const read = await roundTripInput(
        protocol,
        sdk(make()),
        cloudWatch,
        'PutMetricData',
        cw.PutMetricData$,
        putMetricData,
      );
      assert.deepEqual(read, jsonForm(putMetricData));
      const answer = protocol.writeOutput(alarms, callFor(cloudWatch, 'DescribeAlarms'));
      assert.deepEqual(jsonForm(await sdkParse(sdk(make()), cw.DescribeAlarms$, answer)), alarms);
    });
  }

  it('names CBOR errors by shape id and keeps the Query code in x-amzn-query-error', async () => {
    const wire = toWireError(
      new ProtocolError('DashboardNotFoundError' as string, 'gone'),
      rpcV2Cbor.name,
      cloudWatch,
    );
    const answer = rpcV2Cbor.writeError(wire, callFor(cloudWatch, 'GetDashboard'));
    assert.equal(answer.status, 404);
    assert.equal(answer.headers['smithy-protocol'], 'rpc-v2-cbor');
    assert.equal(answer.headers['x-amzn-query-error'], 'ResourceNotFound;Sender');
    const withRegistry = { ...cwSettings, errorTypeRegistries: undefined };
    await assert.rejects(
      sdkParse(sdk(new SmithyRpcV2CborProtocol(withRegistry)), cw.GetDashboard$, answer),
      (e: Error) => {
        assert.equal(e.name, 'DashboardNotFoundError');
        return true;
      },
    );
  });

  it('rejects a CBOR body that does not decode with SerializationException', () => {
    const request = {
      method: 'POST',
      path: '/',
      query: new URLSearchParams(),
      headers: {},
      body: Buffer.from([0xff, 0x00]),
    };
    assert.throws(
      () => rpcV2Cbor.readInput(request, callFor(cloudWatch, 'ListDashboards')),
      (e: ServiceError) => e.code === 'SerializationException',
    );
  });
});

describe('REST-JSON codec and routes (Scheduler)', () => {
  // Routing and decoding only: no handler runs, so the context needs no store.
  const service = schedulerService(() => ({ partition }) as never);
  const dispatch = createDispatcher([service]);
  const rest = () =>
    sdk<SdkProtocol>(new AwsRestJsonProtocol({ defaultNamespace: 'com.amazonaws.scheduler' }));

  async function read(op: unknown, input: object) {
    const request = await sdkRequest(rest(), op, input);
    const found = dispatch(request);
    assert.equal(found.type, 'call');
    if (found.type !== 'call') throw new Error('no route');
    const call = { requestId: 'r', ...found.call };
    return {
      operation: found.call.operation,
      input: validateInput(call.model!.input, restJson1.readInput(request, call)),
    };
  }

  it('routes on method and URI template and reads labels, query and body members', async () => {
    const create: scheduler.CreateScheduleInput = {
      Name: 'nightly run',
      ScheduleExpression: 'cron(0 3 * * ? *)',
      StartDate: new Date('2026-03-01T00:00:00Z'),
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/c',
        RoleArn: 'arn:aws:iam::123456789012:role/r',
        RetryPolicy: { MaximumRetryAttempts: 3 },
      },
      ClientToken: 'token-1',
    };
    assert.deepEqual(await read(scheduler.CreateSchedule$, create), {
      operation: 'CreateSchedule',
      input: jsonForm(create),
    });
    const del = { Name: 'nightly run', GroupName: 'team/a', ClientToken: 'token-2' };
    assert.deepEqual(await read(scheduler.DeleteSchedule$, del), { operation: 'DeleteSchedule', input: del });
    const list = { NamePrefix: 'de', MaxResults: 5, NextToken: 'abc' };
    assert.deepEqual(await read(scheduler.ListScheduleGroups$, list), {
      operation: 'ListScheduleGroups',
      input: list,
    });
  });

  it('writes output the SDK parses back, timestamps included', async () => {
    const output = {
      Arn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/n',
      Name: 'n',
      CreationDate: 1_767_323_045,
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 5 },
      Target: {
        Arn: 'arn:t',
        RoleArn: 'arn:r',
        EcsParameters: { TaskDefinitionArn: 'arn:td', TaskCount: 2 },
      },
    };
    const call = {
      requestId: 'r',
      service,
      operation: 'GetSchedule',
      model: service.model!.operations.get('GetSchedule'),
    };
    const parsed = await sdkParse(rest(), scheduler.GetSchedule$, restJson1.writeOutput(output, call));
    assert.deepEqual(jsonForm(parsed), output);
  });

  it('answers errors with x-amzn-ErrorType and the model status', async () => {
    const wire = toWireError(
      new ProtocolError('ResourceNotFoundException' as string, 'Schedule x does not exist.'),
      restJson1.name,
      service,
    );
    const answer = restJson1.writeError(wire, { requestId: 'r', service });
    assert.equal(answer.status, 404);
    assert.equal(answer.headers['x-amzn-ErrorType'], 'ResourceNotFoundException');
    await assert.rejects(sdkParse(rest(), scheduler.GetSchedule$, answer), (e: Error) => {
      assert.equal(e.name, 'ResourceNotFoundException');
      assert.equal(e.message, 'Schedule x does not exist.');
      return true;
    });
  });

  it('does not route a path no operation has', () => {
    const request = {
      method: 'GET',
      path: '/no-such-thing',
      query: new URLSearchParams(),
      headers: {},
      body: Buffer.alloc(0),
    };
    const found = dispatch(request);
    assert.equal(found.type, 'rejected');
  });
});
