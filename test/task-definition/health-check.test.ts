import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HealthCheck } from '@aws-sdk/client-ecs';
import { EcsErrorCode } from '../../src/ecs/model/errors.ts';
import { rejects, withContainer } from './helpers.ts';

const C = EcsErrorCode.Client;
const check = (healthCheck: HealthCheck) =>
  withContainer({ healthCheck }).containerDefinitions?.[0].healthCheck;
const CMD = ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'];

describe('health check', () => {
  it('fills interval 30, timeout 5 and retries 3, and no startPeriod', () => {
    assert.deepEqual(check({ command: CMD }), { command: CMD, interval: 30, timeout: 5, retries: 3 });
  });
  it('keeps given values, startPeriod included, in model order', () => {
    const hc = check({ startPeriod: 0, retries: 10, command: ['CMD', 'true'], interval: 5, timeout: 60 });
    assert.deepEqual(hc, { command: ['CMD', 'true'], interval: 5, timeout: 60, retries: 10, startPeriod: 0 });
    assert.deepEqual(Object.keys(hc ?? {}), ['command', 'interval', 'timeout', 'retries', 'startPeriod']);
  });
  it('needs a command starting with CMD or CMD-SHELL', () => {
    for (const command of [[], ['CMD'], ['curl', 'localhost'], ['NONE']]) {
      rejects(() => check({ command }), C, /^Invalid 'healthCheck\.command' setting for container 'app'/);
    }
  });
  it('enforces interval 5-300, timeout 2-60, retries 1-10, startPeriod 0-300', () => {
    const cases: [Partial<HealthCheck>, string][] = [
      [
        { interval: 4 },
        "Invalid 'healthCheck.interval' setting for container 'app'. The value must be between 5 and 300.",
      ],
      [
        { interval: 301 },
        "Invalid 'healthCheck.interval' setting for container 'app'. The value must be between 5 and 300.",
      ],
      [
        { timeout: 1 },
        "Invalid 'healthCheck.timeout' setting for container 'app'. The value must be between 2 and 60.",
      ],
      [
        { timeout: 61 },
        "Invalid 'healthCheck.timeout' setting for container 'app'. The value must be between 2 and 60.",
      ],
      [
        { retries: 0 },
        "Invalid 'healthCheck.retries' setting for container 'app'. The value must be between 1 and 10.",
      ],
      [
        { retries: 11 },
        "Invalid 'healthCheck.retries' setting for container 'app'. The value must be between 1 and 10.",
      ],
      [
        { startPeriod: -1 },
        "Invalid 'healthCheck.startPeriod' setting for container 'app'. The value must be between 0 and 300.",
      ],
      [
        { startPeriod: 301 },
        "Invalid 'healthCheck.startPeriod' setting for container 'app'. The value must be between 0 and 300.",
      ],
    ];
    for (const [bad, message] of cases) rejects(() => check({ command: CMD, ...bad }), C, message);
    check({ command: CMD, interval: 300, timeout: 2, retries: 1, startPeriod: 300 });
  });
});
