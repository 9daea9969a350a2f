/**
 * Task volumes: `host.sourcePath` is a bind mount; a volume with neither a source path nor a
 * Docker configuration is a task-scoped Docker volume (ECS: "the Docker daemon assigns a host path
 * for your data volume"), empty, removed at cleanup; a dockerVolumeConfiguration is task-scoped
 * (created and removed with the task) or shared (used if it exists, created when `autoprovision`,
 * never removed by the agent); an efsVolumeConfiguration binds the file system's directory
 * (`efs-volumes.ts`).
 */
import type { DockerVolumeConfiguration, Volume } from '@aws-sdk/client-ecs';
import type { TaskAssignment } from '../../core/agent-protocol.ts';
import { DockerErrorName, DockerTerminalError } from '../docker/errors.ts';
import type { ContainerRuntime, VolumeSpec } from '../docker/runtime.ts';
import { provisionEfsVolume } from './efs-volumes.ts';
import { EcsLabel, INSTANCE_LABEL, taskVolumeName } from './naming.ts';
import type { TaskVolume } from './task-state.ts';

/**
 * Creates what the task's volumes need. Volumes made so far are pushed to `made` as they are
 * made, so a failure part-way still lets cleanup remove them.
 */
export async function provisionVolumes(
  runtime: ContainerRuntime,
  assignment: TaskAssignment,
  where: { taskId: string; instanceArn: string; dataDir: string },
  made: TaskVolume[],
): Promise<void> {
  // A retried provision (withRetry) starts over: what it makes again replaces what it had made.
  made.length = 0;
  for (const volume of assignment.taskDefinition.volumes ?? []) {
    made.push(await provisionOne(runtime, assignment, volume, where));
  }
}

async function provisionOne(
  runtime: ContainerRuntime,
  assignment: TaskAssignment,
  volume: Volume,
  { taskId, instanceArn, dataDir }: { taskId: string; instanceArn: string; dataDir: string },
): Promise<TaskVolume> {
  const name = volume.name ?? '';
  if (volume.host?.sourcePath) return { name, type: 'bind', hostPath: volume.host.sourcePath };
  if (volume.efsVolumeConfiguration) return provisionEfsVolume(assignment, volume, { taskId, dataDir });
  const config = volume.dockerVolumeConfiguration;
  if (config?.scope === 'shared') {
    await provisionShared(runtime, name, config);
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

/**
 * A shared volume, as the ECS agent's addSharedVolumes checks it: without `autoprovision` it must
 * exist (and is used as it is); with it, it is created when missing, and an existing one must have
 * the driver, labels and driver options of the definition (the agent with
 * ECS_SHARED_VOLUME_MATCH_FULL_CONFIG=true; the texts are the agent's, typo included).
 */
async function provisionShared(
  runtime: ContainerRuntime,
  name: string,
  config: DockerVolumeConfiguration,
): Promise<void> {
  const existing = await runtime.inspectVolume(name);
  if (!config.autoprovision) {
    if (existing) return;
    throw new DockerTerminalError(
      DockerErrorName.CannotCreateVolume,
      `initialize volume: volume detection failed, volume '${name}' does not exist and autoprovision is set to false: get ${name}: no such volume`,
    );
  }
  if (!existing) {
    await runtime.createVolume({
      name,
      driver: config.driver,
      driverOpts: config.driverOpts,
      labels: config.labels,
    });
    return;
  }
  const mismatch = sharedMismatch(existing, config);
  if (mismatch) throw new DockerTerminalError(DockerErrorName.CannotCreateVolume, mismatch);
}

/** Why an existing shared volume does not fit the definition, in the agent's words; undefined when it does. */
export function sharedMismatch(existing: VolumeSpec, config: DockerVolumeConfiguration): string | undefined {
  const driver = config.driver ?? 'local';
  if ((existing.driver ?? 'local') !== driver)
    return `initialize volume: non-autoprovisioned volume does not match existing volume driver: existing: ${existing.driver}, expected: ${driver}`;
  if (!sameMap(existing.labels, config.labels))
    return `intialize volume: non-autoprovisioned volume does not match existing volume labels: existing: ${goMap(existing.labels)}, expected: ${goMap(config.labels)}`;
  if (!sameMap(existing.driverOpts, config.driverOpts))
    return `initialize volume: non-autoprovisioned volume does not match existing volume options: existing: ${goMap(existing.driverOpts)}, expected: ${goMap(config.driverOpts)}`;
  return undefined;
}

/** Both empty (or absent) count as equal, as in the agent. */
function sameMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ea = Object.entries(a ?? {});
  const eb = b ?? {};
  return ea.length === Object.keys(eb).length && ea.every(([k, v]) => eb[k] === v);
}

/** A map as Go's `%v` prints it: `map[a:1 b:2]`, keys sorted. */
function goMap(m: Record<string, string> | undefined): string {
  const entries = Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${entries.map(([k, v]) => `${k}:${v}`).join(' ')}]`;
}

/**
 * Removes the task's task-scoped Docker volumes: those recorded, and any other labelled with the
 * task and this instance (made by a provision step whose result a crash kept from being recorded).
 * Bind mounts, EFS directories and shared volumes stay.
 */
export async function removeTaskVolumes(
  runtime: ContainerRuntime,
  taskArn: string,
  instanceArn: string,
  volumes: TaskVolume[],
): Promise<void> {
  const names = new Set<string>();
  for (const v of volumes) if (v.type === 'docker' && v.scope === 'task') names.add(v.dockerName);
  for (const v of await runtime.listVolumes({ [EcsLabel.TaskArn]: taskArn, [INSTANCE_LABEL]: instanceArn }))
    names.add(v.name);
  for (const name of names) await runtime.removeVolume(name);
}

/**
 * At start: task-scoped volumes of this instance whose task the engine no longer knows (cleaned up
 * by a run that died before removing them, or whose state was lost). Returns the names removed and
 * those Docker refused (still in use by a container someone else keeps).
 */
export async function removeOrphanVolumes(
  runtime: ContainerRuntime,
  instanceArn: string,
  known: (taskArn: string) => boolean,
): Promise<{ removed: string[]; failed: string[] }> {
  const out = { removed: [] as string[], failed: [] as string[] };
  for (const v of await runtime.listVolumes({ [INSTANCE_LABEL]: instanceArn })) {
    const taskArn = v.labels?.[EcsLabel.TaskArn];
    if (!taskArn || known(taskArn)) continue;
    try {
      await runtime.removeVolume(v.name);
      out.removed.push(v.name);
    } catch {
      out.failed.push(v.name);
    }
  }
  return out;
}
