/**
 * The pause container of an awsvpc task (the ECS agent's `~internal~ecs~pause`): it holds the
 * task's network namespace, which the agent plumbs itself (netns.ts: a veth on the VPC bridge as
 * `eth0` with exactly the ENI's address and MAC); the task's containers join it with
 * `NetworkMode: container:<id>` (one IP, a shared localhost).
 *
 * Docker networks it not at all: `NetworkMode: none` with `NetworkDisabled`, so runc makes the
 * namespace (with `lo` up) and Docker runs no libnetwork hook (`libnetwork-setkey`, a re-exec of
 * dockerd), which doubled the container's start time. Docker then writes no resolv.conf or hosts
 * for it either: task-files.ts does, for every container of the task.
 *
 * Its Docker name comes from the task id, so a restart finds it by name even if the agent died
 * between creating it and saving that it had.
 */
import type { TaskAssignment, TaskEni } from '../../core/agent-protocol.ts';
import { DockerTerminalError } from '../docker/errors.ts';
import type { ContainerCreateSpec, ContainerInspect, ContainerRuntime } from '../docker/runtime.ts';
import { containerLabels, EcsLabel, familyRevision } from '../engine/naming.ts';
import { taskIdOf } from '../engine/task-state.ts';
import { PAUSE_COMMAND, PAUSE_IMAGE } from './pause-image.ts';

/** The ECS agent's container name for it (its label `com.amazonaws.ecs.container-name`). */
export const PAUSE_CONTAINER_NAME = '~internal~ecs~pause';

function sanitize(value: string): string {
  return value.replace(/[^a-zA-Z0-9_.-]/g, '');
}

/** `ecs-<family>-<revision>-internalecspause-<task id>`, like the ECS agent's names. */
export function pauseNameFor(assignment: TaskAssignment): string {
  const { family, revision } = familyRevision(assignment);
  return `ecs-${sanitize(family)}-${sanitize(revision)}-internalecspause-${sanitize(taskIdOf(assignment.taskArn))}`;
}

export interface PauseSpecInput {
  assignment: TaskAssignment;
  eni: TaskEni;
  instanceArn: string;
  cgroupParent?: string;
}

/** `ip-10-201-0-5` from `ip-10-201-0-5.ec2.internal` (or from the address when there is no name). */
export function hostnameOf(eni: TaskEni): string {
  return eni.privateDnsName.split('.')[0] || `ip-${eni.privateIpv4Address.replaceAll('.', '-')}`;
}

/**
 * The hostname is the ENI's private DNS name (`ip-10-201-0-5` + domain), as on ECS; the task's
 * containers inherit it from this container. IPv6 is off in the namespace (eth0, added later,
 * inherits `default`): the security groups are IPv4 rules and must not be bypassed over IPv6.
 */
export function pauseSpec(input: PauseSpecInput): ContainerCreateSpec {
  const { eni } = input;
  const domain = eni.privateDnsName.split('.').slice(1);
  const spec: ContainerCreateSpec = {
    name: pauseNameFor(input.assignment),
    Image: PAUSE_IMAGE,
    Cmd: [...PAUSE_COMMAND],
    Hostname: hostnameOf(eni),
    Labels: containerLabels(input.assignment, PAUSE_CONTAINER_NAME, input.instanceArn, undefined),
    NetworkDisabled: true,
    HostConfig: {
      NetworkMode: 'none',
      RestartPolicy: { Name: 'no' },
      Sysctls: { 'net.ipv6.conf.all.disable_ipv6': '1', 'net.ipv6.conf.default.disable_ipv6': '1' },
      LogConfig: { Type: 'none', Config: {} },
      ...(input.cgroupParent ? { CgroupParent: input.cgroupParent } : {}),
    },
  };
  if (domain.length > 0) spec.Domainname = domain.join('.');
  return spec;
}

/** Whether an inspected container is this task's pause container (labels, not only the name). */
export function isPauseOf(info: ContainerInspect, taskArn: string): boolean {
  return (
    info.labels[EcsLabel.TaskArn] === taskArn && info.labels[EcsLabel.ContainerName] === PAUSE_CONTAINER_NAME
  );
}

/**
 * Creates and starts the pause container, or adopts the one a previous run made (same name and
 * labels): a running one is kept as it is; one that never ran, or exited, is made again (no task
 * container can have joined it yet, since provisioning had not finished). Returns its inspect.
 */
export async function startPause(
  runtime: ContainerRuntime,
  input: PauseSpecInput,
): Promise<ContainerInspect> {
  const spec = pauseSpec(input);
  let existing = await runtime.inspectContainer(spec.name);
  if (existing && !isPauseOf(existing, input.assignment.taskArn)) {
    throw new DockerTerminalError(
      'CannotCreateContainerError',
      `a container named ${spec.name} exists and is not this task's pause container`,
      409,
    );
  }
  if (existing && !existing.running && existing.status !== 'created') {
    await runtime.removeContainer(existing.id);
    existing = undefined;
  }
  const id = existing?.id ?? (await runtime.createContainer(spec));
  if (!existing?.running) await runtime.startContainer(id);
  const info = await runtime.inspectContainer(id);
  if (!info?.running || info.pid <= 0) {
    throw new DockerTerminalError(
      'CannotStartContainerError',
      `the pause container ${spec.name} is not running (${info ? `status ${info.status}${info.error ? `: ${info.error}` : ''}` : 'gone'})`,
    );
  }
  return info;
}

/**
 * Removes the pause container (killed: it holds nothing but the namespace); one already gone is
 * fine. Its namespace, and the veth pair in it, go once its process is gone.
 */
export async function removePause(runtime: ContainerRuntime, idOrName: string): Promise<void> {
  await runtime.removeContainer(idOrName);
}
