import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EcsErrorCode } from '../../src/ecs/model/errors.ts';
import { validateFamily } from '../../src/ecs/task-definition/index.ts';
import { build, container, rejects } from './helpers.ts';

const C = EcsErrorCode.Client;

describe('family', () => {
  it('accepts letters, digits, hyphens and underscores up to 255 characters', () => {
    validateFamily('web_App-2');
    validateFamily('f'.repeat(255));
  });
  it('rejects a blank family', () => {
    rejects(() => validateFamily(''), C, 'Family can not be blank.');
  });
  it('rejects other characters with ECS text', () => {
    rejects(() => validateFamily('weird_dir@letssee.cats'), C, 'Family contains invalid characters.');
    rejects(() => validateFamily('has space'), C, 'Family contains invalid characters.');
  });
  it('rejects more than 255 characters', () => {
    rejects(() => validateFamily('f'.repeat(256)), C, /Family name is too long/);
  });
  it('is checked by buildTaskDefinition', () => {
    rejects(() => build({ family: 'a.b' }), C, 'Family contains invalid characters.');
  });
});

describe('container list', () => {
  it('needs at least one container', () => {
    rejects(() => build({ containerDefinitions: [] }), C, 'Container list cannot be empty.');
  });
  it('allows 10 containers and rejects 11', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => container({ name: `c${i}` }));
    assert.equal(build({ containerDefinitions: many(10) }).containerDefinitions?.length, 10);
    rejects(() => build({ containerDefinitions: many(11) }), C, 'Too many containers.');
  });
  it('needs a container name with valid characters', () => {
    rejects(
      () => build({ containerDefinitions: [container({ name: '' })] }),
      C,
      'Container.name should not be null or empty.',
    );
    rejects(
      () => build({ containerDefinitions: [container({ name: undefined })] }),
      C,
      'Container.name should not be null or empty.',
    );
    rejects(
      () => build({ containerDefinitions: [container({ name: 'my app' })] }),
      C,
      'Container.name contains invalid characters.',
    );
    rejects(
      () => build({ containerDefinitions: [container({ name: 'n'.repeat(256) })] }),
      C,
      /Container\.name is too long/,
    );
  });
  it('needs unique container names', () => {
    rejects(
      () => build({ containerDefinitions: [container(), container()] }),
      C,
      'Container names must be unique within a Task Definition.',
    );
  });
});

describe('essential containers', () => {
  it('defaults essential to true, so one container with no essential flag is enough', () => {
    assert.equal(build().containerDefinitions?.[0].essential, true);
  });
  it('rejects a task where every container is non-essential', () => {
    rejects(
      () => build({ containerDefinitions: [container({ essential: false })] }),
      C,
      "Task definition doesn't have any essential container.",
    );
  });
  it('accepts one essential among non-essential ones', () => {
    const td = build({ containerDefinitions: [container({ essential: false }), container({ name: 'b' })] });
    assert.deepEqual(
      td.containerDefinitions?.map((c) => c.essential),
      [false, true],
    );
  });
});
