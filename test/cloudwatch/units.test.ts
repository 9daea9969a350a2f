import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StandardUnit } from '@aws-sdk/client-cloudwatch';
import { UNITS } from '../../src/cloudwatch/model/units.ts';

test("CloudWatch's units are exactly the SDK's StandardUnit values", () => {
  assert.deepEqual([...UNITS].sort(), Object.values(StandardUnit).sort());
});
