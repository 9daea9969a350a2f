/**
 * Where a service task receives its load balancers' traffic, as ECS registers it: awsvpc tasks by
 * their ENI's private IP and the container port (target type `ip`); bridge tasks by their
 * container instance's EC2 instance id and the host port Docker bound for the container port
 * (dynamic host ports), host-mode tasks by the instance id and the container port itself
 * (target type `instance`). Pure.
 */
import type { LoadBalancer } from '@aws-sdk/client-ecs';
import type { TaskRecord, TaskTarget } from '../../ecs/model/records.ts';

/**
 * The task's targets, one per service load balancer, or undefined while something is not known
 * yet (the ENI address, the instance id, the host port the agent reports with RUNNING).
 */
export function taskTargetsOf(
  record: TaskRecord,
  loadBalancers: readonly LoadBalancer[],
  ec2InstanceId: string | undefined,
): TaskTarget[] | undefined {
  const out: TaskTarget[] = [];
  for (const lb of loadBalancers) {
    if (!lb.targetGroupArn || lb.containerPort === undefined) continue;
    const container = record.task.containers?.find((c) => c.name === lb.containerName);
    if (!container) return undefined;
    if (record.network) {
      const ip = container.networkInterfaces?.[0]?.privateIpv4Address ?? eniAddress(record);
      if (!ip) return undefined;
      out.push({ targetGroupArn: lb.targetGroupArn, id: ip, port: lb.containerPort });
      continue;
    }
    if (!ec2InstanceId) return undefined;
    const binding = container.networkBindings?.find(
      (b) => b.containerPort === lb.containerPort && (b.protocol ?? 'tcp') === 'tcp',
    );
    // Bridge mode reports the host port Docker chose; host mode the container port itself.
    const port = binding?.hostPort;
    if (port === undefined) return undefined;
    out.push({ targetGroupArn: lb.targetGroupArn, id: ec2InstanceId, port });
  }
  return out;
}

/** The ENI's private address from the task's attachment details. */
function eniAddress(record: TaskRecord): string | undefined {
  const attachment = record.task.attachments?.find((a) => a.id === record.network?.attachmentId);
  return attachment?.details?.find((d) => d.name === 'privateIPv4Address')?.value;
}
