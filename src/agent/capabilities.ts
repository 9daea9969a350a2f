/** The capability attributes this agent advertises at registration, as the ECS agent does. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Attribute } from '@aws-sdk/client-ecs';

const CAP = 'com.amazonaws.ecs.capability';

/**
 * Docker Remote API versions 1.17-1.41 (Docker 20.10 speaks 1.41), the log drivers the agent
 * configures, and the features the task engine honours. Task definitions name these in
 * `requiresAttributes`, and placement only picks instances that have them all. The IAM-related
 * capabilities are advertised because Longshore accepts the roles; the credentials endpoint that
 * serves them arrives with the IAM work (docs/differences.md).
 */
export function capabilityAttributes(
  host: { awsvpc: boolean } = { awsvpc: hostCanRunAwsvpc() },
): Attribute[] {
  const names: string[] = [];
  for (let minor = 17; minor <= 41; minor++) names.push(`${CAP}.docker-remote-api.1.${minor}`);
  names.push(
    `${CAP}.logging-driver.json-file`,
    `${CAP}.logging-driver.none`,
    // Docker's awslogs driver sends to Longshore's CloudWatch Logs (engine/awslogs-config.ts).
    `${CAP}.logging-driver.awslogs`,
    'ecs.capability.execution-role-awslogs',
    `${CAP}.privileged-container`,
    `${CAP}.task-iam-role`,
    `${CAP}.task-iam-role-network-host`,
    `${CAP}.ecr-auth`,
    'ecs.capability.execution-role-ecr-pull',
    // Container `secrets` from Secrets Manager and Parameter Store (engine/container-secrets.ts).
    'ecs.capability.secrets.asm.environment-variables',
    'ecs.capability.secrets.ssm.environment-variables',
    'ecs.capability.container-health-check',
    'ecs.capability.container-ordering',
    'ecs.capability.task-cpu-mem-limit',
    'ecs.capability.env-files.s3',
    'ecs.capability.docker-plugin.local',
    'ecs.capability.pid-ipc-namespace-sharing',
    // efsVolumeConfiguration, with access points (engine/efs-volumes.ts; docs/volumes.md).
    'ecs.capability.efs',
    'ecs.capability.efsAuth',
  );
  // awsvpc task definitions require it (with docker-remote-api.1.18, listed above).
  if (host.awsvpc) names.push('ecs.capability.task-eni');
  return names.map((name) => ({ name }));
}

/** Commands the agent runs for awsvpc tasks (network/): entering a namespace, loading its rules, routes. */
const AWSVPC_COMMANDS = ['nsenter', 'iptables-restore', 'iptables-save', 'ip', 'sh'] as const;

/**
 * Whether this host can run awsvpc tasks (network/): Linux, root (network namespaces and
 * iptables), and the commands on PATH. Read once at registration; the pause image is made when
 * the first awsvpc task needs it, and a task whose network cannot be set up fails on its own.
 */
export function hostCanRunAwsvpc(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const path = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return AWSVPC_COMMANDS.every((command) =>
    path.some((dir) => {
      try {
        accessSync(join(dir, command), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    }),
  );
}
