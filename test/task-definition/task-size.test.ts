import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EcsErrorCode } from '../../src/ecs/model/errors.ts';
import { parseTaskCpu, parseTaskMemory } from '../../src/ecs/task-definition/index.ts';
import { build, container, rejects } from './helpers.ts';

const C = EcsErrorCode.Client;
const CPU_TEXT =
  "Invalid 'cpu' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.";

describe('task cpu and memory strings', () => {
  it('converts vCPU strings to CPU units', () => {
    assert.equal(parseTaskCpu('1024'), 1024);
    assert.equal(parseTaskCpu('1 vCPU'), 1024);
    assert.equal(parseTaskCpu('1 vcpu'), 1024);
    assert.equal(parseTaskCpu('.25 vCPU'), 256);
    assert.equal(parseTaskCpu('2vCPU'), 2048);
    assert.equal(parseTaskCpu(undefined), undefined);
  });
  it('converts GB strings to MiB', () => {
    assert.equal(parseTaskMemory('1024'), 1024);
    assert.equal(parseTaskMemory('1 GB'), 1024);
    assert.equal(parseTaskMemory('1GB'), 1024);
    assert.equal(parseTaskMemory('0.5 GB'), 512);
    assert.equal(parseTaskMemory('717'), 717);
  });
  it('rejects cpu outside 128-196608 units or not a whole unit', () => {
    rejects(() => parseTaskCpu('127'), C, CPU_TEXT);
    rejects(() => parseTaskCpu('196609'), C, CPU_TEXT);
    rejects(() => parseTaskCpu('0.0001 vCPU'), C, CPU_TEXT);
    rejects(() => parseTaskCpu('lots'), C, CPU_TEXT);
    assert.equal(parseTaskCpu('196608'), 196608);
  });
  it('rejects memory that is not a positive whole number of MiB', () => {
    rejects(() => parseTaskMemory('0'), C, /^Invalid 'memory' setting for task\./);
    rejects(() => parseTaskMemory('1.5 MiB'), C, /^Invalid 'memory' setting for task\./);
    rejects(() => parseTaskMemory('1 TB'), C, /^Invalid 'memory' setting for task\./);
  });
  it('stores the normalized strings', () => {
    const td = build({ cpu: '1 vCPU', memory: '2 GB' });
    assert.equal(td.cpu, '1024');
    assert.equal(td.memory, '2048');
  });
});

describe('container memory', () => {
  it('needs memory or memoryReservation when the task has no memory', () => {
    rejects(
      () => build({ containerDefinitions: [container({ memory: undefined })] }),
      C,
      "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified.",
    );
    build({ containerDefinitions: [container({ memory: undefined, memoryReservation: 64 })] });
    build({ memory: '512', containerDefinitions: [container({ memory: undefined })] });
  });
  it('needs memory >= memoryReservation (equal is fine)', () => {
    build({ containerDefinitions: [container({ memory: 128, memoryReservation: 128 })] });
    rejects(
      () => build({ containerDefinitions: [container({ memory: 64, memoryReservation: 128 })] }),
      C,
      /^Invalid setting for container 'app'\. 'memory' must be greater than or equal to 'memoryReservation'\./,
    );
  });
  it('needs at least 6 MiB', () => {
    build({ containerDefinitions: [container({ memory: 6 })] });
    rejects(
      () => build({ containerDefinitions: [container({ memory: 4 })] }),
      C,
      /^Invalid 'memory' setting for container 'app'/,
    );
    rejects(
      () => build({ containerDefinitions: [container({ memory: undefined, memoryReservation: 0 })] }),
      C,
      /^Invalid 'memoryReservation' setting for container 'app'/,
    );
  });
  it('keeps each container memory within the task memory', () => {
    rejects(
      () => build({ memory: '512', containerDefinitions: [container({ name: 'worker', memory: 1024 })] }),
      C,
      "The 'memory' setting for container 'worker' is greater than for the task.",
    );
  });
  it('keeps the sum of reservations within the task memory', () => {
    rejects(
      () =>
        build({
          memory: '512',
          containerDefinitions: [
            container({ memory: undefined, memoryReservation: 300 }),
            container({ name: 'b', memory: undefined, memoryReservation: 300 }),
          ],
        }),
      C,
      "The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'.",
    );
  });
});

describe('container cpu', () => {
  it('keeps the sum of container cpu within the task cpu', () => {
    build({
      cpu: '256',
      containerDefinitions: [container({ cpu: 128 }), container({ name: 'b', cpu: 128 })],
    });
    rejects(
      () =>
        build({
          cpu: '256',
          containerDefinitions: [container({ cpu: 200 }), container({ name: 'b', cpu: 100 })],
        }),
      C,
      "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.",
    );
  });
  it('rejects negative container cpu', () => {
    rejects(
      () => build({ containerDefinitions: [container({ cpu: -1 })] }),
      C,
      "Invalid 'cpu' setting for container 'app'.",
    );
  });
});
