import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EcsErrorCode } from '../../src/ecs/model/errors.ts';
import { buildTaskDefinition, validateTags } from '../../src/ecs/task-definition/index.ts';
import { build, container, ctx, rejects, request } from './helpers.ts';

const C = EcsErrorCode.Client;
const P = EcsErrorCode.InvalidParameter;

describe('task-level enums', () => {
  it('answers a value outside a model enum with a Coral-style InvalidParameterException', () => {
    rejects(
      () => build({ networkMode: 'nat' as 'bridge' }),
      P,
      "1 validation error detected: Value 'nat' at 'networkMode' failed to satisfy constraint: Member must satisfy enum value set: [bridge, host, awsvpc, none]",
    );
    rejects(
      () => build({ requiresCompatibilities: ['EC2', 'LAMBDA' as 'EC2'] }),
      P,
      /at 'requiresCompatibilities\.2\.member'/,
    );
    rejects(() => build({ pidMode: 'shared' as 'task' }), P, /at 'pidMode'/);
    rejects(() => build({ ipcMode: 'shared' as 'task' }), P, /at 'ipcMode'/);
    rejects(
      () => build({ runtimePlatform: { cpuArchitecture: 'RISCV' as 'ARM64' } }),
      P,
      /runtimePlatform\.cpuArchitecture/,
    );
  });
});

describe('placement constraints, proxy, storage and accelerators', () => {
  it('allows up to 10 memberOf constraints with an expression', () => {
    const pc = { type: 'memberOf' as const, expression: 'attribute:ecs.instance-type =~ t3.*' };
    assert.equal(build({ placementConstraints: Array(10).fill(pc) }).placementConstraints?.length, 10);
    rejects(() => build({ placementConstraints: Array(11).fill(pc) }), C, /maximum of 10 constraints/);
    rejects(
      () => build({ placementConstraints: [{ type: 'distinctInstance' as 'memberOf' }] }),
      P,
      /placementConstraints\.1\.member\.type/,
    );
    rejects(() => build({ placementConstraints: [{ type: 'memberOf' }] }), C, /needs an expression/);
  });
  it('needs the proxy container to be in the task', () => {
    rejects(
      () => build({ proxyConfiguration: { type: 'APPMESH', containerName: 'envoy' } }),
      C,
      "Invalid 'proxyConfiguration' setting. Unknown container: 'envoy'.",
    );
    const td = build({
      proxyConfiguration: {
        type: 'APPMESH',
        containerName: 'app',
        properties: [{ name: 'AppPorts', value: '80' }],
      },
    });
    assert.equal(td.proxyConfiguration?.containerName, 'app');
  });
  it('takes ephemeral storage of 21-200 GiB', () => {
    assert.deepEqual(build({ ephemeralStorage: { sizeInGiB: 21 } }).ephemeralStorage, { sizeInGiB: 21 });
    rejects(
      () => build({ ephemeralStorage: { sizeInGiB: 20 } }),
      C,
      /'ephemeralStorage\.sizeInGiB' setting for task.*between 21 and 200/,
    );
    rejects(() => build({ ephemeralStorage: { sizeInGiB: 201 } }), C, /between 21 and 200/);
  });
  it('matches InferenceAccelerator requirements to the task accelerators', () => {
    const accelerators = [{ deviceName: 'device_1', deviceType: 'eia2.medium' }];
    build({
      inferenceAccelerators: accelerators,
      containerDefinitions: [
        container({ resourceRequirements: [{ type: 'InferenceAccelerator', value: 'device_1' }] }),
      ],
    });
    rejects(
      () =>
        build({
          containerDefinitions: [
            container({ resourceRequirements: [{ type: 'InferenceAccelerator', value: 'device_1' }] }),
          ],
        }),
      C,
      /Unknown inference accelerator 'device_1'/,
    );
    rejects(
      () => build({ inferenceAccelerators: [...accelerators, ...accelerators] }),
      C,
      /Duplicate inference accelerator/,
    );
  });
});

describe('launch types required', () => {
  it('rejects EXTERNAL with awsvpc and MANAGED_INSTANCES with bridge', () => {
    rejects(
      () => build({ requiresCompatibilities: ['EXTERNAL'], networkMode: 'awsvpc' }),
      C,
      /EXTERNAL launch type do not support network mode 'awsvpc'/,
    );
    rejects(
      () => build({ requiresCompatibilities: ['MANAGED_INSTANCES'] }),
      C,
      /MANAGED_INSTANCES launch type do not support network mode 'bridge'/,
    );
    build({ requiresCompatibilities: ['EXTERNAL'], networkMode: 'host' });
    build({ requiresCompatibilities: ['MANAGED_INSTANCES'], networkMode: 'host' });
  });
});

describe('quotas', () => {
  it('rejects a definition over 64 KiB', () => {
    const big = Array.from({ length: 700 }, (_, i) => ({ name: `VAR_${i}`, value: 'x'.repeat(90) }));
    rejects(
      () => build({ containerDefinitions: [container({ environment: big })] }),
      C,
      /exceeds the maximum of 65536 bytes/,
    );
  });
  it('stops a family at 1,000,000 revisions', () => {
    buildTaskDefinition(request(), { ...ctx, revision: 1_000_000 });
    rejects(
      () => buildTaskDefinition(request(), { ...ctx, revision: 1_000_001 }),
      EcsErrorCode.LimitExceeded,
      /1000000 task definition revisions/,
    );
  });
});

describe('tags', () => {
  const tag = (key: string, value = 'v') => ({ key, value });
  it('accepts up to 50 tags with keys of 1-128 and values of 0-256 characters', () => {
    validateTags(Array.from({ length: 50 }, (_, i) => tag(`k${i}`)));
    validateTags([tag('k'.repeat(128), 'v'.repeat(256)), tag('empty', ''), tag('Name: a/b=c+d-e_f.g@h')]);
    validateTags(undefined);
  });
  it('rejects more than 50 tags, bad lengths and bad characters with InvalidParameterException', () => {
    rejects(() => validateTags(Array.from({ length: 51 }, (_, i) => tag(`k${i}`))), P, /50/);
    rejects(() => validateTags([tag('')]), P, /./);
    rejects(() => validateTags([tag('k'.repeat(129))]), P, /./);
    rejects(() => validateTags([tag('k', 'v'.repeat(257))]), P, /./);
    rejects(() => validateTags([tag('semi;colon')]), P, /./);
  });
  it('reserves the aws: prefix in any case, and keys are unique', () => {
    rejects(() => validateTags([tag('aws:createdBy')]), P, /aws:/);
    rejects(() => validateTags([tag('AWS:x')]), P, /aws:/);
    rejects(() => validateTags([tag('a'), tag('a')]), P, /./);
  });
  it('are checked by buildTaskDefinition but are not part of the definition', () => {
    rejects(() => build({ tags: [tag('aws:x')] }), P, /aws:/);
    assert.equal('tags' in build({ tags: [tag('team')] }), false);
  });
});
