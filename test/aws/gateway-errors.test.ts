/**
 * The gateway's own errors per service (operation-errors.ts): missing required members, unknown
 * operations and throttling keep the protocol's default wording unless the service declares its
 * own (`gatewayErrors`, EC2's), and a missing member is named as the service's protocol sends it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModifyInstanceCreditSpecificationRequest$ } from '@aws-sdk/client-ec2';
import { RunTaskRequest$ } from '@aws-sdk/client-ecs';
import { AssumeRoleRequest$ } from '@aws-sdk/client-sts';
import { ServiceError } from '../../src/core/errors.ts';
import type { ProtocolError } from '../../src/aws/errors.ts';
import { coralPath } from '../../src/aws/input/normalize-input.ts';
import { asServiceValidationError, throttled, unknownOperation } from '../../src/aws/operation-errors.ts';
import { ProtocolName } from '../../src/aws/protocols/protocol.ts';
import {
  type QueryDialect,
  queryParameterName,
  readQueryInput,
} from '../../src/aws/protocols/query-input.ts';
import type { AwsService, InputSchema } from '../../src/aws/service.ts';
import { Throttle } from '../../src/aws/throttle.ts';
import { MissingMembersError, validateInput } from '../../src/aws/validate-input.ts';
import { ec2GatewayErrors } from '../../src/ec2/gateway-errors.ts';

function service(protocol: ProtocolName, extra: Partial<AwsService> = {}): AwsService {
  return {
    name: 'test',
    signingName: 'test',
    protocols: [protocol],
    query: { version: '2020-01-01', xmlNamespace: 'urn:test' },
    operations: new Map(),
    modelOperations: [],
    ...extra,
  };
}

function missingOf(schema: InputSchema, input: Record<string, unknown>): MissingMembersError {
  try {
    validateInput(schema, input);
  } catch (error) {
    if (error instanceof MissingMembersError) return error;
    throw error;
  }
  throw new Error('expected missing members');
}

/** A structure with a map whose values are structures with a required member. */
const MAP_OF_REQUIRED: InputSchema = [
  3,
  'test',
  'Root',
  0,
  ['Attrs'],
  [[2, 'test', 'Attrs', 0, 0, [3, 'test', 'Value', 0, ['Need', 'Other'], [0, 0], 1]]],
];

describe('missing required members', () => {
  it('names each as the Query parameter that carries it, and sending it completes the request', () => {
    const cases: [InputSchema, QueryDialect, Record<string, string>, string[]][] = [
      [
        ModifyInstanceCreditSpecificationRequest$,
        'ec2',
        { 'InstanceCreditSpecification.1.CpuCredits': 'standard' },
        ['InstanceCreditSpecification.1.InstanceId'],
      ],
      [
        AssumeRoleRequest$,
        'query',
        { RoleArn: 'arn:aws:iam::000000000000:role/r', 'Tags.member.1.Value': 'v' },
        ['RoleSessionName', 'Tags.member.1.Key'],
      ],
      [
        MAP_OF_REQUIRED,
        'query',
        { 'Attrs.entry.1.key': 'k', 'Attrs.entry.1.value.Other': 'x' },
        ['Attrs.entry.1.value.Need'],
      ],
    ];
    for (const [schema, dialect, sent, expected] of cases) {
      const params = new URLSearchParams(sent);
      const error = missingOf(schema, readQueryInput(params, schema, dialect));
      const names = error.missing.map((p) => queryParameterName(p, dialect));
      assert.deepEqual(names, expected);
      for (const name of names) params.set(name, 'x');
      assert.doesNotThrow(() => validateInput(schema, readQueryInput(params, schema, dialect)), names.join());
    }
  });

  it('keep the Coral-style message, in the service validationError, without a wording of its own', () => {
    const error = missingOf(RunTaskRequest$, {});
    const coral =
      "1 validation error detected: Value null at 'taskDefinition' failed to satisfy constraint: Member must not be null";
    assert.equal(error.code, 'InvalidParameterException');
    assert.equal(error.message, coral);
    assert.deepEqual(error.missing.map(coralPath), ['taskDefinition']);
    const asIs = asServiceValidationError(error, service(ProtocolName.AwsJson1_1)) as ServiceError;
    assert.deepEqual([asIs.code, asIs.message], ['InvalidParameterException', coral]);
    const sts = asServiceValidationError(
      error,
      service(ProtocolName.AwsQuery, { validationError: 'ValidationError' }),
    ) as ServiceError;
    assert.deepEqual([sts.code, sts.message], ['ValidationError', coral]);
  });

  it("take the service's wording with the first missing member, named in its protocol", () => {
    const error = missingOf(ModifyInstanceCreditSpecificationRequest$, {
      InstanceCreditSpecifications: [{ CpuCredits: 'standard' }, {}],
    });
    const ec2 = asServiceValidationError(
      error,
      service(ProtocolName.Ec2Query, {
        validationError: 'MissingParameter',
        gatewayErrors: ec2GatewayErrors,
      }),
    ) as ProtocolError;
    assert.deepEqual(
      [ec2.code, ec2.message, ec2.status],
      [
        'MissingParameter',
        'The request must contain the parameter InstanceCreditSpecification.1.InstanceId',
        400,
      ],
    );
    const json = asServiceValidationError(
      error,
      service(ProtocolName.AwsJson1_1, { gatewayErrors: ec2GatewayErrors }),
    ) as ServiceError;
    assert.equal(
      json.message,
      'The request must contain the parameter InstanceCreditSpecifications.1.member.InstanceId',
    );
    // Other InvalidParameterExceptions (pagination, client tokens) keep their message.
    const other = new ServiceError('InvalidParameterException', 'Invalid nextToken');
    const kept = asServiceValidationError(
      other,
      service(ProtocolName.Ec2Query, {
        validationError: 'MissingParameter',
        gatewayErrors: ec2GatewayErrors,
      }),
    ) as ServiceError;
    assert.deepEqual([kept.code, kept.message], ['MissingParameter', 'Invalid nextToken']);
  });
});

describe('unknown operations', () => {
  it("answer each protocol's default, or the service's wording with the protocol's status", () => {
    const q = service(ProtocolName.Ec2Query);
    const cases: [ServiceError, string, string, number][] = [
      [
        unknownOperation(ProtocolName.AwsQuery, 'MakeCoffee', q),
        'UnknownOperationException',
        'Could not find operation MakeCoffee for version 2020-01-01',
        400,
      ],
      [
        unknownOperation(ProtocolName.AwsJson1_1, 'MakeCoffee'),
        'UnknownOperationException',
        'Unknown operation MakeCoffee',
        400,
      ],
      [
        unknownOperation(ProtocolName.RestJson1, 'MakeCoffee'),
        'UnknownOperationException',
        'Unknown operation MakeCoffee',
        404,
      ],
      [
        unknownOperation(ProtocolName.Ec2Query, 'MakeCoffee', { ...q, gatewayErrors: ec2GatewayErrors }),
        'InvalidAction',
        'The action MakeCoffee is not valid for this web service.',
        400,
      ],
      [
        unknownOperation(ProtocolName.RestJson1, 'MakeCoffee', { ...q, gatewayErrors: ec2GatewayErrors }),
        'InvalidAction',
        'The action MakeCoffee is not valid for this web service.',
        404,
      ],
    ];
    for (const [error, code, message, status] of cases) {
      assert.deepEqual([error.code, error.message, (error as ProtocolError).status], [code, message, status]);
    }
  });
});

describe('throttling', () => {
  it("a bucket answers whether it had a token; the error is the service's", () => {
    const throttle = new Throttle(1);
    const spec = { burst: 2, rate: 1 };
    assert.deepEqual(
      [throttle.take('b', spec, 0), throttle.take('b', spec, 0), throttle.take('b', spec, 0)],
      [true, true, false],
    );
    assert.equal(throttle.take('b', spec, 1000), true);
    assert.equal(new Throttle(0).take('b', { burst: 0, rate: 0 }, 0), true);
    const plain = throttled(service(ProtocolName.AwsJson1_1)) as ProtocolError;
    assert.deepEqual(
      [plain.code, plain.message, plain.status],
      ['ThrottlingException', 'Rate exceeded', 400],
    );
    const ec2 = throttled(
      service(ProtocolName.Ec2Query, { gatewayErrors: ec2GatewayErrors }),
    ) as ProtocolError;
    assert.deepEqual(
      [ec2.code, ec2.message, ec2.status, ec2.fault],
      ['RequestLimitExceeded', 'Request limit exceeded.', 503, 'server'],
    );
  });
});
