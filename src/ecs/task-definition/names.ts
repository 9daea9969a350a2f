/** Family and container name rules: 1-255 letters, numbers, hyphens and underscores. */
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { reject } from './fail.ts';
import { MAX_CONTAINERS, NAME_CHARS, NAME_MAX } from './limits.ts';

const ALLOWED = 'Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.';

/**
 * RegisterTaskDefinition.family: "Up to 255 letters (uppercase and lowercase), numbers, underscores,
 * and hyphens are allowed." ECS answers ClientException "Family can not be blank." and "Family
 * contains invalid characters." (both seen in ECS responses quoted in aws-sdk-go#132 and
 * amazon-ecs-cli#37/#542). The over-length text is Longshore's: no ECS source quotes it.
 */
export function validateFamily(family: string): void {
  if (family === undefined || family === null || family === '') throw reject('Family can not be blank.');
  if (!NAME_CHARS.test(family)) throw reject('Family contains invalid characters.');
  if (family.length > NAME_MAX) throw reject(`Family name is too long. ${ALLOWED}`);
}

/**
 * ContainerDefinition.name, same character rule. ECS answers "Container.name should not be null or
 * empty." and "Container.name contains invalid characters." (quoted in terraform-provider-aws#5950
 * and aws-cloudformation-user-guide#612).
 */
export function validateContainerName(name: string | undefined): asserts name is string {
  if (name === undefined || name === '') throw reject('Container.name should not be null or empty.');
  if (!NAME_CHARS.test(name)) throw reject('Container.name contains invalid characters.');
  if (name.length > NAME_MAX) throw reject(`Container.name is too long. ${ALLOWED}`);
}

/**
 * The container list: "Container list cannot be empty." (CloudFormation user guide PR #454),
 * "Too many containers." above the quota of 10 (amazon-ecs-cli#184), and "Container names must be
 * unique within a Task Definition." (quoted from ECS in Shippable/support#2946).
 */
export function validateContainerList(
  containers: ContainerDefinition[] | undefined,
): asserts containers is ContainerDefinition[] {
  if (!containers || containers.length === 0) throw reject('Container list cannot be empty.');
  if (containers.length > MAX_CONTAINERS) throw reject('Too many containers.');
  const seen = new Set<string>();
  for (const c of containers) {
    validateContainerName(c.name);
    if (seen.has(c.name)) throw reject('Container names must be unique within a Task Definition.');
    seen.add(c.name);
  }
}

/**
 * "All tasks must have at least one essential container"; `essential` defaults to true. ECS answers
 * "Task definition doesn't have any essential container." (quoted in eagletmt/hako#68 and
 * cfn-lint#4536, which registered real definitions to check).
 */
export function validateEssential(containers: readonly ContainerDefinition[]): void {
  if (!containers.some((c) => c.essential !== false)) {
    throw reject("Task definition doesn't have any essential container.");
  }
}
