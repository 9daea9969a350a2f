import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { EcsErrorCode } from '../../src/ecs/model/errors.ts';
import { build, container, rejects } from './helpers.ts';

const C = EcsErrorCode.Client;
const pair = (
  a: Partial<ContainerDefinition>,
  b: Partial<ContainerDefinition> = {},
  networkMode?: 'bridge' | 'awsvpc' | 'host',
) =>
  build({
    networkMode,
    containerDefinitions: [
      container({ name: 'web', ...a }),
      container({ name: 'db', essential: false, ...b }),
    ],
  });

describe('links', () => {
  it('accepts links to containers of the task in bridge mode', () => {
    const td = pair({ links: ['db', 'db:database'] });
    assert.deepEqual(td.containerDefinitions?.[0].links, ['db', 'db:database']);
  });
  it('rejects links outside bridge mode', () => {
    rejects(
      () => pair({ links: ['db'] }, {}, 'awsvpc'),
      C,
      'Links are not supported when networkMode=awsvpc.',
    );
    rejects(() => pair({ links: ['db'] }, {}, 'host'), C, 'Links are not supported when networkMode=host.');
  });
  it('rejects a link to an unknown container or a malformed link', () => {
    rejects(() => pair({ links: ['cache'] }), C, "Invalid 'links' setting. Unknown container: 'cache'.");
    rejects(() => pair({ links: ['db:a:b'] }), C, /'db:a:b' is not of the form name:alias/);
    rejects(() => pair({ links: ['db:my alias'] }), C, /is not of the form name:alias/);
  });
});

describe('volumesFrom', () => {
  it('must name a container of the task', () => {
    pair({ volumesFrom: [{ sourceContainer: 'db', readOnly: true }] });
    rejects(
      () => pair({ volumesFrom: [{ sourceContainer: 'data' }] }),
      C,
      "Invalid 'volumesFrom' setting. Unknown container: 'data'.",
    );
  });
});

describe('dependsOn', () => {
  it('accepts each condition when its target qualifies', () => {
    pair({ dependsOn: [{ containerName: 'db', condition: 'START' }] });
    pair({ dependsOn: [{ containerName: 'db', condition: 'COMPLETE' }] });
    pair({ dependsOn: [{ containerName: 'db', condition: 'SUCCESS' }] });
    pair(
      { dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] },
      { healthCheck: { command: ['CMD', 'true'] } },
    );
  });
  it('checks the condition against the model enum', () => {
    rejects(
      () => pair({ dependsOn: [{ containerName: 'db', condition: 'READY' as 'START' }] }),
      EcsErrorCode.InvalidParameter,
      /at 'containerDefinitions\.1\.member\.dependsOn\.1\.member\.condition' failed to satisfy constraint: Member must satisfy enum value set: \[START, COMPLETE, SUCCESS, HEALTHY\]/,
    );
  });
  it('must name a container of the task', () => {
    rejects(
      () => pair({ dependsOn: [{ containerName: 'cache', condition: 'START' }] }),
      C,
      "Invalid 'dependsOn' setting. Unknown container: 'cache'.",
    );
  });
  it('rejects COMPLETE and SUCCESS on an essential container', () => {
    for (const condition of ['COMPLETE', 'SUCCESS'] as const) {
      rejects(
        () => pair({ dependsOn: [{ containerName: 'db', condition }] }, { essential: true }),
        C,
        'A dependency container with SUCCESS or COMPLETE condition cannot be an essential container',
      );
    }
  });
  it('rejects HEALTHY on a container without a health check', () => {
    rejects(
      () => pair({ dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] }),
      C,
      'A dependency container with HEALTHY condition must have a health check configured',
    );
  });
  it('rejects depending on itself and dependency cycles', () => {
    rejects(
      () => pair({ dependsOn: [{ containerName: 'web', condition: 'START' }] }),
      C,
      /'web' -> 'web' depend on each other in a cycle/,
    );
    rejects(
      () =>
        pair(
          { dependsOn: [{ containerName: 'db', condition: 'START' }] },
          { dependsOn: [{ containerName: 'web', condition: 'START' }] },
        ),
      C,
      /'web' -> 'db' -> 'web'/,
    );
  });
  it('counts links and volumesFrom in cycles', () => {
    rejects(() => pair({ links: ['db'] }, { volumesFrom: [{ sourceContainer: 'web' }] }), C, /in a cycle/);
  });
});
