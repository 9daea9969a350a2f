/**
 * The task-level PROVISIONING step, before any container: host ports, volumes, the task cgroup and,
 * for awsvpc, the task's network namespace (pause container on the VPC bridge, default deny).
 */
import { describeError } from '../../core/errors.ts';
import { DockerRetriableError, DockerTerminalError } from '../docker/errors.ts';
import { withRetry } from '../docker/retry.ts';
import { PauseImageError } from '../network/pause-image.ts';
import { NetworkSetupError } from '../network/vpc-networks.ts';
import type { EngineContext, StepResult } from './engine-context.ts';
import { resourceInitializationError } from './reasons.ts';
import { networkModeOf, taskLimits } from './task-limits.ts';
import { taskIdOf, type HostPortAllocation, type TaskResources, type TaskState } from './task-state.ts';
import { provisionVolumes } from './task-volumes.ts';
import { awaitTaskRoles } from './task-roles.ts';

export async function provisionTask(ctx: EngineContext, task: TaskState): Promise<StepResult> {
  const { assignment } = task;
  const taskId = taskIdOf(assignment.taskArn);
  const resources: TaskResources = { hostPorts: [], volumes: [] };
  // Role credentials first: a role ECS cannot assume stops the task before anything is set up.
  const roleFailure = await awaitTaskRoles(ctx, task);
  if (roleFailure) return { type: 'provision-failed', reason: roleFailure, resources };
  try {
    resources.hostPorts = await allocateHostPorts(ctx, task);
    await withRetry(
      () =>
        provisionVolumes(
          ctx.runtime,
          assignment,
          { taskId, instanceArn: ctx.config.instanceArn, dataDir: ctx.config.dataDir },
          resources.volumes,
        ),
      ctx.config.retry,
    );
    resources.cgroupParent = await ctx.cgroups.create(taskId, taskLimits(assignment));
  } catch (error) {
    ctx.ports.release(assignment.taskArn);
    return { type: 'provision-failed', reason: provisionReason(error), resources };
  }
  if (networkModeOf(assignment) === 'awsvpc' && assignment.eni) {
    // Read once: the actor may record a newer firewall meanwhile, and re-applies it if so.
    const firewall = task.firewall;
    try {
      resources.network = await ctx.network.provision(
        task,
        assignment.eni,
        firewall?.rules,
        resources.cgroupParent,
      );
    } catch (error) {
      // The pause container (if made) is removed by the deprovision step that every stop runs.
      return { type: 'provision-failed', reason: networkReason(error), resources };
    }
    return { type: 'provisioned', resources, firewallRevision: firewall?.revision };
  }
  return { type: 'provisioned', resources };
}

/** Whatever failed, an awsvpc task without its network never started: ECS says ResourceInitializationError. */
function networkReason(error: unknown): string {
  if (error instanceof NetworkSetupError || error instanceof PauseImageError)
    return resourceInitializationError(error.message);
  const detail =
    error instanceof DockerTerminalError || error instanceof DockerRetriableError
      ? error.reason
      : describeError(error);
  return resourceInitializationError(`failed to set up the task network (awsvpc): ${detail}`);
}

function provisionReason(error: unknown): string {
  if (error instanceof DockerTerminalError || error instanceof DockerRetriableError) return error.reason;
  return resourceInitializationError((error as Error)?.message ?? describeError(error));
}

/** Bridge mappings with hostPort 0 or omitted get agent-allocated ports; host, none and awsvpc need none. */
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

/**
 * The DEPROVISIONING step of an awsvpc task, once all its containers stopped: the pause container
 * is stopped and removed (Docker frees the address) and the VPC bridge released, all before the
 * task is reported STOPPED, since the control plane frees the address when it sees STOPPED.
 */
export async function deprovisionTask(ctx: EngineContext, task: TaskState): Promise<StepResult> {
  const eni = task.assignment.eni;
  if (!eni) return { type: 'deprovisioned' };
  try {
    await ctx.network.deprovision(task, eni);
    return { type: 'deprovisioned' };
  } catch (error) {
    const detail =
      error instanceof DockerTerminalError || error instanceof DockerRetriableError
        ? error.reason
        : describeError(error);
    return { type: 'deprovision-failed', reason: detail };
  }
}
