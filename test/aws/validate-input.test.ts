/** validateInput: what handlers receive from a decoded request body, per the SDK schema. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateServiceRequest$,
  RegisterContainerInstanceRequest$,
  RegisterTaskDefinitionRequest$,
  RunTaskRequest$,
} from '@aws-sdk/client-ecs';
import { NumberKind } from '../../src/aws/input/number-kinds.ts';
import { readNumber } from '../../src/aws/input/read-number.ts';
import { withoutNulls } from '../../src/aws/input/without-nulls.ts';
import type { InputSchema } from '../../src/aws/service.ts';
import { validateInput } from '../../src/aws/validate-input.ts';
import { ServiceError } from '../../src/core/errors.ts';

const serialization = (message: string) => (e: unknown) =>
  e instanceof ServiceError && e.code === 'SerializationException' && e.message === message;

describe('validateInput', () => {
  it('drops null members, null list items and unknown members, at any depth', () => {
    const out = validateInput(RunTaskRequest$, {
      taskDefinition: 'web',
      cluster: null,
      group: null,
      notAMember: { deep: [1, 2] },
      placementStrategy: [null],
      overrides: {
        containerOverrides: [null, { name: 'app', command: ['a', null, 'b'], environment: null, extra: 1 }],
        cpu: null,
      },
      tags: [{ key: 'k', value: null }, null],
    });
    assert.deepEqual(out, {
      taskDefinition: 'web',
      placementStrategy: [],
      overrides: { containerOverrides: [{ name: 'app', command: ['a', 'b'] }] },
      tags: [{ key: 'k' }],
    });
  });

  it('reports a null required member as missing, with its Coral path', () => {
    assert.throws(
      () => validateInput(RunTaskRequest$, { taskDefinition: null }),
      (e: unknown) =>
        e instanceof ServiceError &&
        e.code === 'InvalidParameterException' &&
        e.message ===
          "1 validation error detected: Value null at 'taskDefinition' failed to satisfy constraint: Member must not be null",
    );
    assert.throws(
      () =>
        validateInput(CreateServiceRequest$, {
          serviceName: 's',
          loadBalancers: [null, { targetGroupArn: 'a' }],
          deploymentConfiguration: { alarms: { alarmNames: null, enable: true, rollback: null } },
        }),
      (e: unknown) =>
        e instanceof ServiceError &&
        e.message ===
          '2 validation errors detected: ' +
            "Value null at 'deploymentConfiguration.alarms.alarmNames' failed to satisfy constraint: Member must not be null; " +
            "Value null at 'deploymentConfiguration.alarms.rollback' failed to satisfy constraint: Member must not be null",
    );
  });

  it('reads Integer members as Integers: fractions truncated, saturated at 32 bits', () => {
    const out = validateInput(CreateServiceRequest$, {
      serviceName: 's',
      desiredCount: 1.5,
      healthCheckGracePeriodSeconds: 1e308,
      deploymentConfiguration: { maximumPercent: -2.9, minimumHealthyPercent: Number.NEGATIVE_INFINITY },
    });
    assert.equal(out.desiredCount, 1);
    assert.equal(out.healthCheckGracePeriodSeconds, 2_147_483_647);
    assert.deepEqual(out.deploymentConfiguration, {
      maximumPercent: -2,
      minimumHealthyPercent: -2_147_483_648,
    });
  });

  it('keeps Double members as given, and refuses a Long beyond 64 bits', () => {
    const out = validateInput(RegisterContainerInstanceRequest$, {
      totalResources: [{ name: 'x', doubleValue: 0.25, longValue: 2 ** 40 + 0.5, integerValue: 2 ** 40 }],
    });
    assert.deepEqual(out.totalResources, [
      { name: 'x', doubleValue: 0.25, longValue: 2 ** 40, integerValue: 2_147_483_647 },
    ]);
    assert.throws(
      () => validateInput(RegisterContainerInstanceRequest$, { totalResources: [{ longValue: -(2 ** 64) }] }),
      serialization('NUMBER_VALUE can not be converted to a Long'),
    );
  });

  it('keeps nulls in sparse lists and maps', () => {
    const schema: InputSchema = [
      3,
      'test',
      'Sparse',
      0,
      ['list', 'map'],
      [
        [1, 'test', 'SparseList', { sparse: 1 }, 0],
        [2, 'test', 'SparseMap', { sparse: 1 }, 0, 0],
      ],
    ];
    const out = validateInput(schema, { list: ['a', null], map: { a: null } });
    assert.deepEqual(out, { list: ['a', null], map: { a: null } });
  });

  it('takes numbers as sent in a namespace number-kinds.ts does not cover', () => {
    const schema: InputSchema = [3, 'test', 'Numbers', 0, ['n', 'list'], [1, [1, 'test', 'L', 0, 1]]];
    assert.deepEqual(validateInput(schema, { n: 1.5, list: [2 ** 40, 0.25] }), {
      n: 1.5,
      list: [2 ** 40, 0.25],
    });
    assert.throws(
      () => validateInput(schema, { n: 'NaN' }),
      serialization('STRING_VALUE can not be converted to a Double'),
    );
  });

  it('keeps a map key named __proto__ a plain key', () => {
    const input = JSON.parse('{"family":"f","containerDefinitions":[{"dockerLabels":{"__proto__":"x"}}]}');
    const out = validateInput(RegisterTaskDefinitionRequest$, input);
    const labels = (out.containerDefinitions as { dockerLabels: object }[])[0].dockerLabels;
    assert.equal(Object.getPrototypeOf(labels), Object.prototype);
    assert.deepEqual(Object.keys(labels), ['__proto__']);
  });
});

describe('readNumber', () => {
  it('narrows like Java: toward zero, clamped at the bounds', () => {
    assert.equal(readNumber(NumberKind.Integer, -0.5), -0);
    assert.equal(readNumber(NumberKind.Integer, 2 ** 31), 2 ** 31 - 1);
    assert.equal(readNumber(NumberKind.Integer, -(2 ** 31) - 1), -(2 ** 31));
    assert.equal(readNumber(NumberKind.Short, 1e6), 32_767);
    assert.equal(readNumber(NumberKind.Byte, -1e6), -128);
    assert.equal(readNumber(NumberKind.Long, 2 ** 53 + 0.5), 2 ** 53);
  });

  it('takes the non-numeric float strings for Double and Float only', () => {
    assert.ok(Number.isNaN(readNumber(NumberKind.Double, 'NaN')));
    assert.equal(readNumber(NumberKind.Float, '-Infinity'), Number.NEGATIVE_INFINITY);
    assert.throws(
      () => readNumber(NumberKind.Integer, 'NaN'),
      serialization('STRING_VALUE can not be converted to an Integer'),
    );
    for (const text of ['nan', 'constructor']) {
      assert.throws(
        () => readNumber(NumberKind.Double, text),
        serialization('STRING_VALUE can not be converted to a Double'),
      );
    }
  });
});

describe('withoutNulls', () => {
  it('drops nulls at every depth without recursing', () => {
    assert.deepEqual(withoutNulls({ a: null, b: [null, { c: null, d: 1 }] }), { b: [{ d: 1 }] });
    let deep: unknown = [null];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    let out = withoutNulls(deep);
    let depth = 0;
    while (Array.isArray(out) && out.length > 0) {
      out = out[0];
      depth++;
    }
    assert.equal(depth, 200_000);
  });
});
