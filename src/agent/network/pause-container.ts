/**
 * The pause container of an awsvpc task (the ECS agent's `~internal~ecs~pause`): it holds the
 * task's network namespace, attached to the VPC's bridge with exactly the ENI's address and MAC;
 * the task's containers join it with `NetworkMode: container:<id>` (one IP, a shared localhost).
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
/** The pause process exits on SIGTERM at once; this is only the kill fallback. */
export const PAUSE_STOP_TIMEOUT_SECONDS = 5;

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
  networkName: string;
  instanceArn: string;
  cgroupParent?: string;
}

/**
 * The hostname is the ENI's private DNS name (`ip-10-201-0-5` + domain), as on ECS; the task's
 * containers inherit it, /etc/hosts and resolv.conf from this container. IPv6 is off in the
 * namespace: the security groups are IPv4 rules and must not be bypassed over link-local IPv6.
 */
export function pauseSpec(input: PauseSpecInput): ContainerCreateSpec {
  const { eni } = input;
  const [host, ...domain] = eni.privateDnsName.split('.');
  const spec: ContainerCreateSpec = {
    name: pauseNameFor(input.assignment),
    Image: PAUSE_IMAGE,
    Cmd: [...PAUSE_COMMAND],
    Hostname: host || `ip-${eni.privateIpv4Address.replaceAll('.', '-')}`,
    Labels: containerLabels(input.assignment, PAUSE_CONTAINER_NAME, input.instanceArn, undefined),
    // API 1.41 takes the MAC of the container's first network here (EndpointConfig only from 1.44).
    MacAddress: eni.macAddress,
    HostConfig: {
      NetworkMode: input.networkName,
      RestartPolicy: { Name: 'no' },
      Sysctls: { 'net.ipv6.conf.all.disable_ipv6': '1', 'net.ipv6.conf.default.disable_ipv6': '1' },
      LogConfig: { Type: 'none', Config: {} },
      ...resolver(input.assignment),
      ...(input.cgroupParent ? { CgroupParent: input.cgroupParent } : {}),
    },
    NetworkingConfig: {
      EndpointsConfig: {
        [input.networkName]: {
          IPAMConfig: { IPv4Address: eni.privateIpv4Address },
          MacAddress: eni.macAddress,
        },
      },
    },
  };
  if (domain.length > 0) spec.Domainname = domain.join('.');
  return spec;
}

/**
 * The containers share the pause container's resolv.conf: their `dnsServers` and
 * `dnsSearchDomains` (all of them, first seen first) are set here, once for the task.
 */
function resolver(assignment: TaskAssignment): { Dns?: string[]; DnsSearch?: string[] } {
  const defs = assignment.containers.map((c) => c.definition);
  const dns = [...new Set(defs.flatMap((d) => d.dnsServers ?? []))];
  const search = [...new Set(defs.flatMap((d) => d.dnsSearchDomains ?? []))];
  return { ...(dns.length ? { Dns: dns } : {}), ...(search.length ? { DnsSearch: search } : {}) };
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

/** Stops and removes the pause container; one already gone is fine. Docker then frees its address. */
export async function removePause(runtime: ContainerRuntime, idOrName: string): Promise<void> {
  await runtime.stopContainer(idOrName, PAUSE_STOP_TIMEOUT_SECONDS);
  await runtime.removeContainer(idOrName);
}
