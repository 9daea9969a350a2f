/** Fixtures for the task-definition tests: a minimal valid request and a ServiceError matcher. */
import { ServiceError } from '../../src/core/errors.ts';
import assert from 'node:assert/strict';
import type { ContainerDefinition, RegisterTaskDefinitionRequest, TaskDefinition } from '@aws-sdk/client-ecs';
import { type BuildContext, buildTaskDefinition } from '../../src/ecs/task-definition/index.ts';

export const ctx: BuildContext = {
  region: 'us-east-1',
  accountId: '123456789012',
  revision: 3,
  registeredAt: 1_700_000_000_123,
  registeredBy: 'arn:aws:iam::123456789012:user/dev',
};

export function container(overrides: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return { name: 'app', image: 'busybox', memory: 128, ...overrides };
}

export function request(
  overrides: Partial<RegisterTaskDefinitionRequest> = {},
): RegisterTaskDefinitionRequest {
  return { family: 'web', containerDefinitions: [container()], ...overrides };
}

/** A Fargate-valid request: awsvpc, 256 CPU / 512 MiB. */
export function fargate(
  overrides: Partial<RegisterTaskDefinitionRequest> = {},
): RegisterTaskDefinitionRequest {
  return request({
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [container({ memory: undefined })],
    ...overrides,
  });
}

export const build = (overrides: Partial<RegisterTaskDefinitionRequest> = {}): TaskDefinition =>
  buildTaskDefinition(request(overrides), ctx);

/** Asserts `fn` throws a ServiceError of `type` whose message equals (string) or matches (RegExp) `message`. */
export function rejects(fn: () => unknown, type: string, message: string | RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ServiceError, `expected ServiceError, got ${String(error)}`);
    assert.equal(error.code, type);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

/** The request with one container's settings changed, built. */
export const withContainer = (
  overrides: Partial<ContainerDefinition>,
  task: Partial<RegisterTaskDefinitionRequest> = {},
) => build({ containerDefinitions: [container(overrides)], ...task });
