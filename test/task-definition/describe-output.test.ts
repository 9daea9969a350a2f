import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { buildTaskDefinition } from '../../src/ecs/task-definition/index.ts';
import { build, container, ctx, fargate, request } from './helpers.ts';

const names = (td: ReturnType<typeof build>) => (td.requiresAttributes ?? []).map((a) => a.name);
const ROLE = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole';
const AWSLOGS = {
  logDriver: 'awslogs' as const,
  options: { 'awslogs-group': '/ecs/web', 'awslogs-region': 'us-east-1' },
};

describe('DescribeTaskDefinition shape', () => {
  it('matches the aws-cli register-task-definition example (sleep360)', () => {
    const input: RegisterTaskDefinitionRequest = {
      family: 'sleep360',
      containerDefinitions: [
        { name: 'sleep', image: 'busybox', cpu: 10, command: ['sleep', '360'], memory: 10, essential: true },
      ],
    };
    const td = buildTaskDefinition(input, { ...ctx, region: 'us-west-2', revision: 2 });
    assert.deepEqual(td, {
      taskDefinitionArn: 'arn:aws:ecs:us-west-2:123456789012:task-definition/sleep360:2',
      containerDefinitions: [
        {
          name: 'sleep',
          image: 'busybox',
          cpu: 10,
          memory: 10,
          portMappings: [],
          essential: true,
          command: ['sleep', '360'],
          environment: [],
          mountPoints: [],
          volumesFrom: [],
          systemControls: [],
        },
      ],
      family: 'sleep360',
      revision: 2,
      volumes: [],
      status: 'ACTIVE',
      placementConstraints: [],
      compatibilities: ['EC2'],
      registeredAt: 1_700_000_000.123,
      registeredBy: ctx.registeredBy,
    });
    // Member order follows the model, as ECS responses do.
    assert.deepEqual(Object.keys(td).slice(0, 4), [
      'taskDefinitionArn',
      'containerDefinitions',
      'family',
      'revision',
    ]);
    assert.deepEqual(Object.keys(td.containerDefinitions?.[0] ?? {}).slice(0, 6), [
      'name',
      'image',
      'cpu',
      'memory',
      'portMappings',
      'essential',
    ]);
  });
  it('reports registeredAt in epoch seconds and leaves registeredBy out when unknown', () => {
    const td = buildTaskDefinition(request(), {
      ...ctx,
      registeredAt: 1_700_000_000_000,
      registeredBy: undefined,
    });
    assert.equal(td.registeredAt as unknown as number, 1_700_000_000);
    assert.equal('registeredBy' in td, false);
  });
  it('fills cpu 0 and echoes only members the caller set', () => {
    const td = build();
    const c = td.containerDefinitions?.[0];
    assert.equal(c?.cpu, 0);
    for (const absent of [
      'networkMode',
      'requiresCompatibilities',
      'requiresAttributes',
      'cpu',
      'memory',
      'pidMode',
      'enableFaultInjection',
    ]) {
      assert.equal(absent in td, false, absent);
    }
    for (const absent of [
      'links',
      'entryPoint',
      'ulimits',
      'secrets',
      'dependsOn',
      'healthCheck',
      'logConfiguration',
    ]) {
      assert.equal(absent in (c ?? {}), false, absent);
    }
  });
  it('keeps task-level members the caller set', () => {
    const td = build({
      networkMode: 'bridge',
      pidMode: 'task',
      ipcMode: 'none',
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      enableFaultInjection: false,
      taskRoleArn: 'app-role',
      requiresCompatibilities: ['EC2'],
    });
    assert.equal(td.networkMode, 'bridge');
    assert.equal(td.pidMode, 'task');
    assert.equal(td.ipcMode, 'none');
    assert.deepEqual(td.runtimePlatform, { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' });
    assert.equal(td.enableFaultInjection, false);
    assert.deepEqual(td.requiresCompatibilities, ['EC2']);
  });
  it('treats JSON nulls as absent and never shares objects with the request', () => {
    const input = request({
      containerDefinitions: [container({ entryPoint: null as never, portMappings: [{ containerPort: 80 }] })],
    });
    const td = buildTaskDefinition(input, ctx);
    assert.equal('entryPoint' in (td.containerDefinitions?.[0] ?? {}), false);
    assert.deepEqual(input.containerDefinitions?.[0].portMappings, [{ containerPort: 80 }]);
    assert.notEqual(td.containerDefinitions?.[0], input.containerDefinitions?.[0]);
  });
});

describe('compatibilities', () => {
  it('is EC2 only for bridge definitions', () => {
    assert.deepEqual(build().compatibilities, ['EC2']);
  });
  it('adds FARGATE and MANAGED_INSTANCES for a Fargate-sized awsvpc definition, even if only EC2 is required', () => {
    const td = build({ networkMode: 'awsvpc', cpu: '512', memory: '1024', requiresCompatibilities: ['EC2'] });
    assert.deepEqual(td.compatibilities, ['EC2', 'FARGATE', 'MANAGED_INSTANCES']);
  });
  it('drops FARGATE when the size is not a Fargate size', () => {
    assert.deepEqual(build({ networkMode: 'awsvpc', cpu: '512', memory: '717' }).compatibilities, [
      'EC2',
      'MANAGED_INSTANCES',
    ]);
  });
  it('lists EXTERNAL when it is required', () => {
    assert.deepEqual(build({ requiresCompatibilities: ['EXTERNAL'] }).compatibilities, ['EC2', 'EXTERNAL']);
  });
});

describe('requiresAttributes', () => {
  it('is derived for a typical Fargate web task', () => {
    const td = buildTaskDefinition(
      fargate({
        executionRoleArn: ROLE,
        taskRoleArn: 'arn:aws:iam::123456789012:role/app',
        containerDefinitions: [
          container({
            memory: undefined,
            image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:latest',
            logConfiguration: AWSLOGS,
          }),
        ],
      }),
      ctx,
    );
    assert.deepEqual(names(td), [
      'com.amazonaws.ecs.capability.logging-driver.awslogs',
      'ecs.capability.execution-role-awslogs',
      'com.amazonaws.ecs.capability.ecr-auth',
      'com.amazonaws.ecs.capability.docker-remote-api.1.19',
      'ecs.capability.execution-role-ecr-pull',
      'com.amazonaws.ecs.capability.task-iam-role',
      'com.amazonaws.ecs.capability.docker-remote-api.1.18',
      'ecs.capability.task-eni',
    ]);
    assert.deepEqual(td.requiresAttributes?.[0], {
      name: 'com.amazonaws.ecs.capability.logging-driver.awslogs',
    });
  });
  it('covers health checks, ordering, secrets, env files, labels and init', () => {
    const td = build({
      containerDefinitions: [
        container({
          healthCheck: { command: ['CMD', 'true'] },
          dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }],
          secrets: [
            { name: 'A', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/a' },
            { name: 'B', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:b' },
          ],
          environmentFiles: [{ type: 's3', value: 'arn:aws:s3:::bucket/app.env' }],
          dockerLabels: { team: 'web' },
          memoryReservation: 64,
          linuxParameters: { initProcessEnabled: true },
          repositoryCredentials: {
            credentialsParameter: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:hub',
          },
          privileged: true,
        }),
        container({ name: 'init', essential: false }),
      ],
      pidMode: 'task',
    });
    const got = new Set(names(td));
    for (const want of [
      'ecs.capability.container-health-check',
      'ecs.capability.container-ordering',
      'ecs.capability.secrets.ssm.environment-variables',
      'ecs.capability.secrets.asm.environment-variables',
      'ecs.capability.env-files.s3',
      'com.amazonaws.ecs.capability.docker-remote-api.1.18',
      'com.amazonaws.ecs.capability.docker-remote-api.1.21',
      'com.amazonaws.ecs.capability.docker-remote-api.1.25',
      'com.amazonaws.ecs.capability.private-registry-authentication.secretsmanager',
      'com.amazonaws.ecs.capability.privileged-container',
      'ecs.capability.pid-ipc-namespace-sharing',
    ]) {
      assert.ok(got.has(want), want);
    }
    assert.equal(new Set(names(td)).size, names(td).length, 'each attribute once');
  });
  it('covers EFS volumes and awslogs options', () => {
    const td = build({
      executionRoleArn: ROLE,
      volumes: [
        {
          name: 'e',
          efsVolumeConfiguration: {
            fileSystemId: 'fs-1',
            transitEncryption: 'ENABLED',
            authorizationConfig: { iam: 'ENABLED' },
          },
        },
      ],
      containerDefinitions: [
        container({
          logConfiguration: {
            ...AWSLOGS,
            options: { ...AWSLOGS.options, 'awslogs-create-group': 'true', mode: 'non-blocking' },
          },
        }),
      ],
    });
    const got = new Set(names(td));
    for (const want of [
      'ecs.capability.efs',
      'ecs.capability.efsAuth',
      'com.amazonaws.ecs.capability.docker-remote-api.1.28',
      'com.amazonaws.ecs.capability.docker-remote-api.1.29',
    ]) {
      assert.ok(got.has(want), want);
    }
    assert.equal(got.has('ecs.capability.execution-role-ecr-pull'), false, 'busybox is not an ECR image');
  });
});
