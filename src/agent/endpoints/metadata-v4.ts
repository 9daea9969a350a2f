/** Task Metadata Endpoint v4 response bodies, with ECS's field names. Pure. */
import type { TaskStatus } from '../../core/agent-protocol.ts';
import { containerLabels, familyRevision } from '../engine/naming.ts';
import { networkModeOf, taskLimits } from '../engine/task-limits.ts';
import type { ContainerState, TaskState } from '../engine/task-state.ts';

/** ECS formats these as RFC 3339 timestamps. */
function time(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** ECS's task KnownStatus in metadata uses the agent's own task statuses. */
function taskKnown(status: TaskStatus): string {
  if (status === 'PROVISIONING' || status === 'PENDING') return 'PENDING';
  if (status === 'STOPPING' || status === 'DEACTIVATING' || status === 'DEPROVISIONING') return 'RUNNING';
  return status;
}

/**
 * ECS's `Networks`: for awsvpc the task's ENI (every container shows the same one), with the
 * subnet's gateway written with the subnet's prefix length (`10.0.2.1/24`), as ECS writes it.
 */
function networksOf(task: Readonly<TaskState>, c: Readonly<ContainerState>, mode: string): object[] {
  const eni = task.assignment.eni;
  if (mode !== 'awsvpc' || !eni) {
    return [{ NetworkMode: mode, IPv4Addresses: c.ipv4Address ? [c.ipv4Address] : [] }];
  }
  const prefix = eni.subnetCidr.split('/')[1];
  return [
    {
      NetworkMode: 'awsvpc',
      IPv4Addresses: [eni.privateIpv4Address],
      AttachmentIndex: 0,
      MACAddress: eni.macAddress,
      IPv4SubnetCIDRBlock: eni.subnetCidr,
      PrivateDNSName: eni.privateDnsName,
      SubnetGatewayIpv4Address: prefix
        ? `${eni.subnetGatewayIpv4Address}/${prefix}`
        : eni.subnetGatewayIpv4Address,
    },
  ];
}

export function containerMetadata(
  task: Readonly<TaskState>,
  c: Readonly<ContainerState>,
  instanceArn: string,
) {
  const assignment = task.assignment;
  const def = assignment.containers.find((a) => a.name === c.name);
  const definition = def?.definition ?? {};
  const mode = networkModeOf(assignment);
  const body: Record<string, unknown> = {
    DockerId: c.runtimeId ?? '',
    Name: c.name,
    DockerName: c.dockerName,
    Image: definition.image ?? '',
    ImageID: c.imageId ?? '',
    Labels: containerLabels(assignment, c.name, instanceArn, definition.dockerLabels),
    DesiredStatus: c.desired,
    KnownStatus: c.known,
    Limits: { CPU: definition.cpu ?? 0, Memory: definition.memory ?? 0 },
    CreatedAt: time(c.createdAt),
    StartedAt: time(c.startedAt),
    Type: 'NORMAL',
    LogDriver: definition.logConfiguration?.logDriver ?? 'json-file',
    LogOptions: definition.logConfiguration?.options ?? {},
    ContainerARN: def?.containerArn ?? '',
    Networks: networksOf(task, c, mode),
  };
  if (c.known === 'STOPPED') {
    body.FinishedAt = time(c.finishedAt);
    if (c.exitCode !== undefined) body.ExitCode = c.exitCode;
  }
  if (c.networkBindings.length > 0) {
    body.Ports = c.networkBindings.map((b) => ({
      ContainerPort: b.containerPort,
      Protocol: b.protocol,
      HostPort: b.hostPort,
      HostIp: b.bindIP,
    }));
  }
  if (definition.healthCheck) body.Health = { status: c.health, statusSince: time(c.healthSince) };
  return body;
}

export function taskMetadata(task: Readonly<TaskState>, instanceArn: string, withTags: boolean) {
  const { family, revision } = familyRevision(task.assignment);
  const limits = taskLimits(task.assignment);
  const body: Record<string, unknown> = {
    Cluster: task.assignment.clusterArn,
    TaskARN: task.assignment.taskArn,
    Family: family,
    Revision: revision,
    DesiredStatus: task.desired,
    KnownStatus: taskKnown(task.known),
    Limits: {
      ...(limits.cpuUnits ? { CPU: limits.cpuUnits / 1024 } : {}),
      ...(limits.memoryMiB ? { Memory: limits.memoryMiB } : {}),
    },
    PullStartedAt: time(task.pullStartedAt),
    PullStoppedAt: time(task.pullStoppedAt),
    ExecutionStoppedAt: time(task.executionStoppedAt),
    LaunchType: task.assignment.fargate ? 'FARGATE' : 'EC2',
    Containers: task.containers.map((c) => containerMetadata(task, c, instanceArn)),
  };
  if (withTags) {
    body.TaskTags = {};
    body.ContainerInstanceTags = {};
  }
  return body;
}
