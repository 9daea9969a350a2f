import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EcsErrorCode } from '../../src/ecs/model/errors.ts';
import { buildTaskDefinition, isFargateSize } from '../../src/ecs/task-definition/index.ts';
import { container, ctx, fargate, rejects } from './helpers.ts';

const C = EcsErrorCode.Client;
const GB = 1024;
const noConfig = (cpu: number, memory: number) =>
  `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`;
const buildFargate = (overrides: Parameters<typeof fargate>[0] = {}) =>
  buildTaskDefinition(fargate(overrides), ctx);

describe('Fargate task sizes', () => {
  it('matches the documented table', () => {
    const valid: [number, number[]][] = [
      [256, [512, 1024, 2048]],
      [512, [1, 2, 3, 4].map((g) => g * GB)],
      [1024, [2, 3, 4, 5, 6, 7, 8].map((g) => g * GB)],
      [2048, Array.from({ length: 13 }, (_, i) => (4 + i) * GB)],
      [4096, Array.from({ length: 23 }, (_, i) => (8 + i) * GB)],
      [8192, Array.from({ length: 12 }, (_, i) => (16 + 4 * i) * GB)],
      [16384, Array.from({ length: 12 }, (_, i) => (32 + 8 * i) * GB)],
    ];
    for (const [cpu, memories] of valid) {
      for (const memory of memories) assert.ok(isFargateSize(cpu, memory), `${cpu}/${memory}`);
    }
    const invalid: [number, number][] = [
      [256, 256],
      [256, 1536],
      [256, 3072],
      [512, 512],
      [512, 5 * GB],
      [1024, 1024],
      [1024, 9 * GB],
      [2048, 17 * GB],
      [4096, 31 * GB],
      [8192, 18 * GB],
      [8192, 64 * GB],
      [16384, 36 * GB],
      [16384, 128 * GB],
      [300, 1024],
      [128, 512],
    ];
    for (const [cpu, memory] of invalid) assert.equal(isFargateSize(cpu, memory), false, `${cpu}/${memory}`);
  });
  it('gives Windows at least 1 vCPU and no 8 or 16 vCPU sizes', () => {
    assert.equal(isFargateSize(512, 1024, true), false);
    assert.equal(isFargateSize(1024, 2048, true), true);
    assert.equal(isFargateSize(8192, 16 * GB, true), false);
  });
  it('rejects an invalid pair with the values in the message', () => {
    rejects(() => buildFargate({ cpu: '512', memory: '512' }), C, noConfig(512, 512));
    rejects(() => buildFargate({ cpu: '1 vCPU', memory: '1 GB' }), C, noConfig(1024, 1024));
    rejects(() => buildFargate({ cpu: '384', memory: '1024' }), C, noConfig(384, 1024));
  });
  it('accepts 16 vCPU with 120 GB written as strings', () => {
    const td = buildFargate({ cpu: '16 vCPU', memory: '120 GB' });
    assert.equal(td.cpu, '16384');
    assert.equal(td.memory, String(120 * GB));
  });
});

describe('Fargate requirements', () => {
  it('needs task-level cpu and memory', () => {
    rejects(
      () => buildFargate({ cpu: undefined }),
      C,
      "Fargate requires that 'cpu' be defined at the task level.",
    );
    // Without task memory the containers must size themselves first (as on EC2; aws-cli#4453).
    rejects(
      () => buildFargate({ memory: undefined, containerDefinitions: [container()] }),
      C,
      "Fargate requires that 'memory' be defined at the task level.",
    );
  });
  it('needs the awsvpc network mode', () => {
    rejects(() => buildFargate({ networkMode: 'bridge' }), C, 'Fargate only supports network mode ‘awsvpc’.');
    rejects(
      () => buildFargate({ networkMode: undefined }),
      C,
      'Fargate only supports network mode ‘awsvpc’.',
    );
  });
  it('rejects ipcMode, pidMode host and placement constraints', () => {
    rejects(
      () => buildFargate({ ipcMode: 'task' }),
      C,
      'Tasks using the Fargate launch type do not support ipcMode.',
    );
    rejects(() => buildFargate({ pidMode: 'host' }), C, /do not support pidMode 'host'/);
    buildFargate({ pidMode: 'task' });
    rejects(
      () =>
        buildFargate({
          placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.os-type == linux' }],
        }),
      C,
      /do not support placement constraints/,
    );
  });
  it('rejects host paths and Docker volumes', () => {
    rejects(
      () => buildFargate({ volumes: [{ name: 'v', host: { sourcePath: '/data' } }] }),
      C,
      /host volumes with a sourcePath/,
    );
    rejects(
      () => buildFargate({ volumes: [{ name: 'v', dockerVolumeConfiguration: { scope: 'task' } }] }),
      C,
      /Docker volumes/,
    );
    buildFargate({ volumes: [{ name: 'scratch' }] });
  });
  it('rejects container features Fargate lacks', () => {
    const one = (c: Parameters<typeof container>[0]) =>
      buildFargate({ containerDefinitions: [container({ memory: undefined, ...c })] });
    rejects(() => one({ privileged: true }), C, /privileged containers/);
    rejects(() => one({ linuxParameters: { devices: [{ hostPath: '/dev/fuse' }] } }), C, /devices/);
    rejects(() => one({ linuxParameters: { sharedMemorySize: 64 } }), C, /sharedMemorySize/);
    rejects(
      () => one({ linuxParameters: { capabilities: { add: ['NET_ADMIN'] } } }),
      C,
      /NET_ADMIN capability/,
    );
    one({ linuxParameters: { capabilities: { add: ['SYS_PTRACE'], drop: ['ALL'] } } });
    rejects(() => one({ logConfiguration: { logDriver: 'json-file' } }), C, /json-file log driver/);
    rejects(() => one({ stopTimeout: 121 }), C, /valid values for Fargate are 2-120 seconds/);
  });
  it('needs an execution role for awslogs and private ECR images', () => {
    const awslogs = {
      logDriver: 'awslogs' as const,
      options: { 'awslogs-group': 'g', 'awslogs-region': 'us-east-1' },
    };
    rejects(
      () =>
        buildFargate({ containerDefinitions: [container({ memory: undefined, logConfiguration: awslogs })] }),
      C,
      'Fargate requires task definition to have execution role ARN to support log driver awslogs.',
    );
    rejects(
      () =>
        buildFargate({
          containerDefinitions: [
            container({ memory: undefined, image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1' }),
          ],
        }),
      C,
      /execution role ARN to support ECR images/,
    );
    buildFargate({
      executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      containerDefinitions: [container({ memory: undefined, logConfiguration: awslogs })],
    });
  });
});
