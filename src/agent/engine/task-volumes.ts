/**
 * Task volumes: `host.sourcePath` is a bind mount; a volume with neither a source path nor a
 * Docker configuration is a task-scoped Docker volume (removed at cleanup); a
 * dockerVolumeConfiguration is task-scoped (created and removed with the task) or shared (used
 * if it exists, created when `autoprovision`, never removed by the agent).
 */
import type { Volume } from '@aws-sdk/client-ecs';
import type { TaskAssignment } from '../../core/agent-protocol.ts';
import { DockerErrorName, DockerTerminalError } from '../docker/errors.ts';
import type { ContainerRuntime } from '../docker/runtime.ts';
import { EcsLabel, INSTANCE_LABEL, taskVolumeName } from './naming.ts';
import type { TaskVolume } from './task-state.ts';

/**
 * Creates what the task's volumes need. Volumes made so far are pushed to `made` as they are
 * made, so a failure part-way still lets cleanup remove them.
 */
export async function provisionVolumes(
  runtime: ContainerRuntime,
  assignment: TaskAssignment,
  taskId: string,
  instanceArn: string,
  made: TaskVolume[],
): Promise<void> {
  for (const volume of assignment.taskDefinition.volumes ?? []) {
    made.push(await provisionOne(runtime, assignment, volume, taskId, instanceArn));
  }
}

async function provisionOne(
  runtime: ContainerRuntime,
  assignment: TaskAssignment,
  volume: Volume,
  taskId: string,
  instanceArn: string,
): Promise<TaskVolume> {
  const name = volume.name ?? '';
  if (volume.host?.sourcePath) return { name, type: 'bind', hostPath: volume.host.sourcePath };
  const config = volume.dockerVolumeConfiguration;
  if (config?.scope === 'shared') {
    const existing = await runtime.inspectVolume(name);
    if (!existing) {
      if (!config.autoprovision) {
        throw new DockerTerminalError(
          DockerErrorName.CannotCreateVolume,
          `shared volume ${name} does not exist and autoprovision is false`,
        );
      }
      await runtime.createVolume({
        name,
        driver: config.driver,
        driverOpts: config.driverOpts,
        labels: config.labels,
      });
    } else if (config.driver && existing.driver !== config.driver) {
      throw new DockerTerminalError(
        DockerErrorName.CannotCreateVolume,
        `shared volume ${name} exists with driver ${existing.driver}, not ${config.driver}`,
      );
    }
    return { name, type: 'docker', dockerName: name, scope: 'shared' };
  }
  const dockerName = taskVolumeName(assignment, name, taskId);
  if (!(await runtime.inspectVolume(dockerName))) {
    await runtime.createVolume({
      name: dockerName,
      driver: config?.driver,
      driverOpts: config?.driverOpts,
      labels: { ...config?.labels, [EcsLabel.TaskArn]: assignment.taskArn, [INSTANCE_LABEL]: instanceArn },
    });
  }
  return { name, type: 'docker', dockerName, scope: 'task' };
}

/** Removes the task-scoped Docker volumes (bind mounts and shared volumes stay). */
export async function removeTaskVolumes(runtime: ContainerRuntime, volumes: TaskVolume[]): Promise<void> {
  for (const v of volumes) {
    if (v.type === 'docker' && v.scope === 'task') await runtime.removeVolume(v.dockerName);
  }
}
