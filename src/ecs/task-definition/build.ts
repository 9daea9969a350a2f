/** RegisterTaskDefinition's rules in one place: request in, the TaskDefinition ECS stores and describes out. */
import type { RegisterTaskDefinitionRequest, TaskDefinition } from '@aws-sdk/client-ecs';
import { taskDefinitionArn } from '../../core/arn.ts';
import { epochSeconds } from '../../core/clock.ts';
import { ServiceError } from '../../core/errors.ts';
import { EcsErrorCode } from '../model/errors.ts';
import { validateTags } from '../model/tag-rules.ts';
import { computeCompatibilities } from './compatibilities.ts';
import { normalizeContainer } from './container.ts';
import { checkContainerReferences } from './container-graph.ts';
import { MAX_REVISIONS } from './limits.ts';
import { validateContainerList, validateEssential, validateFamily } from './names.ts';
import { checkTaskPorts } from './port-mappings.ts';
import { deriveRequiresAttributes } from './requires-attributes.ts';
import { ordered, withoutNulls } from './shape.ts';
import { checkTaskDefinitionSize, checkTaskEnums, checkTaskOptions } from './task-options.ts';
import { checkContainerResources, parseTaskCpu, parseTaskMemory } from './task-size.ts';
import { checkVolumes } from './volumes.ts';

/** What the handler supplies: where the definition lives, its revision, and who registered it when. */
export interface BuildContext {
  region: string;
  accountId: string;
  /** The family's next revision: the first registration is 1, each next one +1, never reused. */
  revision: number;
  /** Epoch milliseconds; ECS reports epoch seconds. */
  registeredAt: number;
  /** The caller's principal ARN. */
  registeredBy?: string;
}

/** TaskDefinition members in the model's order, which ECS responses follow. */
const ORDER: (keyof TaskDefinition)[] = [
  'taskDefinitionArn',
  'containerDefinitions',
  'family',
  'taskRoleArn',
  'executionRoleArn',
  'networkMode',
  'revision',
  'volumes',
  'status',
  'requiresAttributes',
  'placementConstraints',
  'compatibilities',
  'runtimePlatform',
  'requiresCompatibilities',
  'cpu',
  'memory',
  'inferenceAccelerators',
  'pidMode',
  'ipcMode',
  'proxyConfiguration',
  'registeredAt',
  'registeredBy',
  'ephemeralStorage',
  'enableFaultInjection',
];

/**
 * Validates `request` and returns the record DescribeTaskDefinition shows: status ACTIVE, the ARN
 * `arn:aws:ecs:{region}:{account}:task-definition/{family}:{revision}`, task cpu and memory as
 * unit/MiB strings, container defaults filled, `volumes` and `placementConstraints` as [] when
 * omitted, `compatibilities` and `requiresAttributes` computed. Members the caller left out stay out
 * (`networkMode` too: the aws-cli example registers without one and gets none back, though the
 * mode is bridge). `tags` are checked here but belong to the response, not the definition.
 *
 * Check order, first failure wins: family, container list, enums, size quota, tags, task cpu and
 * memory, each container's own settings, essential, resources, cross-container references, task
 * options, then the launch types required.
 */
export function buildTaskDefinition(
  request: RegisterTaskDefinitionRequest,
  ctx: BuildContext,
): TaskDefinition {
  const input = withoutNulls(request);
  const family = input.family ?? '';
  validateFamily(family);
  const requested = input.containerDefinitions;
  validateContainerList(requested);
  checkTaskEnums(input);
  checkTaskDefinitionSize(input);
  validateTags(input.tags);
  if (ctx.revision > MAX_REVISIONS) {
    throw new ServiceError(
      EcsErrorCode.LimitExceeded,
      `The family '${family}' has reached the limit of ${MAX_REVISIONS} task definition revisions.`,
    );
  }
  const cpu = parseTaskCpu(input.cpu);
  const memory = parseTaskMemory(input.memory);
  const mode = input.networkMode ?? 'bridge';
  const volumes = input.volumes ?? [];
  checkVolumes(volumes);
  const containers = requested.map((c, i) => normalizeContainer(c, i, mode, volumes));
  validateEssential(containers);
  checkContainerResources(containers, cpu, memory);
  checkContainerReferences(containers, mode);
  checkTaskPorts(containers);
  checkTaskOptions(input);
  const compatibilities = computeCompatibilities(input, cpu, memory);
  const requiresAttributes = deriveRequiresAttributes(input);
  return ordered<TaskDefinition>(
    {
      ...input,
      tags: undefined,
      taskDefinitionArn: taskDefinitionArn(ctx, family, ctx.revision),
      containerDefinitions: containers,
      revision: ctx.revision,
      volumes,
      status: 'ACTIVE',
      requiresAttributes: requiresAttributes.length > 0 ? requiresAttributes : undefined,
      placementConstraints: input.placementConstraints ?? [],
      compatibilities,
      cpu: cpu === undefined ? undefined : String(cpu),
      memory: memory === undefined ? undefined : String(memory),
      registeredAt: wireTimestamp(ctx.registeredAt),
      registeredBy: ctx.registeredBy,
    } as TaskDefinition,
    ORDER,
  );
}

/**
 * The SDK types timestamps as Date, but the record is what goes on the wire, where ECS's JSON
 * carries epoch seconds (e.g. 1700000000.123) and responses are written with JSON.stringify. The
 * record therefore holds the number; this is the one place that says so to the type checker.
 */
function wireTimestamp(ms: number): Date {
  return epochSeconds(ms) as unknown as Date;
}
