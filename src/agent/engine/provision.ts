/** The task-level PROVISIONING step: host ports, volumes and the task cgroup, before any container. */
import { describeError } from '../../core/errors.ts';
import { DockerRetriableError, DockerTerminalError } from '../docker/errors.ts';
import { withRetry } from '../docker/retry.ts';
import type { EngineContext, StepResult } from './engine-context.ts';
import { resourceInitializationError } from './reasons.ts';
import { networkModeOf, taskLimits } from './task-limits.ts';
import { taskIdOf, type HostPortAllocation, type TaskResources, type TaskState } from './task-state.ts';
import { provisionVolumes } from './task-volumes.ts';

export async function provisionTask(ctx: EngineContext, task: TaskState): Promise<StepResult> {
  const { assignment } = task;
  const taskId = taskIdOf(assignment.taskArn);
  const resources: TaskResources = { hostPorts: [], volumes: [] };
  try {
    resources.hostPorts = await allocateHostPorts(ctx, task);
    await withRetry(
      () => provisionVolumes(ctx.runtime, assignment, taskId, ctx.config.instanceArn, resources.volumes),
      ctx.config.retry,
    );
    resources.cgroupParent = await ctx.cgroups.create(taskId, taskLimits(assignment));
    return { type: 'provisioned', resources };
  } catch (error) {
    ctx.ports.release(assignment.taskArn);
    return { type: 'provision-failed', reason: provisionReason(error), resources };
  }
}

function provisionReason(error: unknown): string {
  if (error instanceof DockerTerminalError || error instanceof DockerRetriableError) return error.reason;
  return resourceInitializationError((error as Error)?.message ?? describeError(error));
}

/** Bridge mappings with hostPort 0 or omitted get agent-allocated ports; host and none need none. */
async function allocateHostPorts(ctx: EngineContext, task: TaskState): Promise<HostPortAllocation[]> {
  if (networkModeOf(task.assignment) !== 'bridge') return [];
  const wanted: Omit<HostPortAllocation, 'hostPort'>[] = [];
  for (const { name, definition } of task.assignment.containers) {
    for (const p of definition.portMappings ?? []) {
      if (p.hostPort) continue;
      wanted.push({
        container: name,
        containerPort: p.containerPort ?? 0,
        protocol: p.protocol === 'udp' ? 'udp' : 'tcp',
      });
    }
  }
  if (wanted.length === 0) return [];
  const ports = await ctx.ports.allocate(
    task.assignment.taskArn,
    wanted.map((w) => w.protocol),
  );
  return wanted.map((w, i) => ({ ...w, hostPort: ports[i] }));
}
