/**
 * What this agent cannot run, found before anything is created: every unsupported field gets an
 * explicit reason (the task stops with TaskFailedToStart), never silence. Pure.
 */
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import type { TaskAssignment } from '../../core/agent-protocol.ts';
import { resourceInitializationError, unsupportedFeature } from './reasons.ts';
import { networkModeOf } from './task-limits.ts';

const SUPPORTED_NETWORK_MODES = new Set(['bridge', 'host', 'none', 'awsvpc']);
/** Log drivers the agent passes to Docker (ECS_AVAILABLE_LOGGING_DRIVERS' default); awslogs to Longshore's CloudWatch Logs. */
const SUPPORTED_LOG_DRIVERS = new Set(['json-file', 'none', 'awslogs']);

export interface Rejection {
  reason: string;
  /** The container at fault, when one is. */
  container?: string;
}

export function validateAssignment(assignment: TaskAssignment): Rejection | undefined {
  const def = assignment.taskDefinition;
  const mode = networkModeOf(assignment);
  if (!SUPPORTED_NETWORK_MODES.has(mode)) {
    return {
      reason: resourceInitializationError(
        `network mode ${mode} is not supported on this container instance (supported: bridge, host, none, awsvpc)`,
      ),
    };
  }
  if (mode === 'awsvpc' && !assignment.eni) {
    return {
      reason: resourceInitializationError(
        'the task uses network mode awsvpc but its assignment carries no network interface (ENI); the control plane allocates one from the subnets of networkConfiguration.awsvpcConfiguration',
      ),
    };
  }
  if (def.pidMode === 'task') return { reason: unsupportedFeature('pidMode "task" is not supported yet') };
  if (def.ipcMode === 'task') return { reason: unsupportedFeature('ipcMode "task" is not supported yet') };
  if (def.proxyConfiguration)
    return { reason: unsupportedFeature('proxyConfiguration (App Mesh) is not supported') };
  if (def.inferenceAccelerators?.length)
    return { reason: unsupportedFeature('inferenceAccelerators are not supported') };
  const os = def.runtimePlatform?.operatingSystemFamily;
  if (os && os !== 'LINUX')
    return { reason: unsupportedFeature(`operatingSystemFamily ${os} is not supported`) };
  for (const volume of def.volumes ?? []) {
    if (volume.fsxWindowsFileServerVolumeConfiguration || volume.configuredAtLaunch) {
      return {
        reason: unsupportedFeature(
          `volume ${volume.name}: only host, dockerVolumeConfiguration and efsVolumeConfiguration volumes are supported`,
        ),
      };
    }
  }
  const names = new Set(assignment.containers.map((c) => c.name));
  for (const { name, definition } of assignment.containers) {
    const detail = validateContainer(
      definition,
      mode,
      names,
      new Set((def.volumes ?? []).map((v) => v.name ?? '')),
    );
    if (detail) return { reason: detail, container: name };
  }
  const cycle = dependencyCycle(assignment);
  if (cycle) return { reason: resourceInitializationError(`dependsOn has a cycle: ${cycle.join(' -> ')}`) };
  return undefined;
}

function validateContainer(
  c: ContainerDefinition,
  mode: string,
  containers: Set<string>,
  volumes: Set<string>,
): string | undefined {
  const label = `container ${c.name}`;
  if (c.repositoryCredentials)
    return unsupportedFeature(`${label}: repositoryCredentials (private registry auth) is not supported yet`);
  if (c.firelensConfiguration) return unsupportedFeature(`${label}: firelensConfiguration is not supported`);
  if (c.resourceRequirements?.length)
    return unsupportedFeature(`${label}: resourceRequirements (GPU) are not supported`);
  if (c.credentialSpecs?.length) return unsupportedFeature(`${label}: credentialSpecs are not supported`);
  if (c.restartPolicy?.enabled) return unsupportedFeature(`${label}: restartPolicy is not supported yet`);
  const driver = c.logConfiguration?.logDriver;
  if (driver && !SUPPORTED_LOG_DRIVERS.has(driver)) {
    return unsupportedFeature(
      `${label}: log driver ${driver} is not supported yet (supported: json-file, none, awslogs)`,
    );
  }
  if (c.logConfiguration?.secretOptions?.length)
    return unsupportedFeature(`${label}: logConfiguration.secretOptions are not supported yet`);
  for (const file of c.environmentFiles ?? []) {
    if (file.type !== 's3')
      return unsupportedFeature(`${label}: environment file type ${file.type} is not supported`);
  }
  for (const p of c.portMappings ?? []) {
    if (p.containerPortRange) return unsupportedFeature(`${label}: containerPortRange is not supported yet`);
    if (mode === 'none')
      return resourceInitializationError(`${label}: portMappings are not allowed with network mode none`);
  }
  if (c.links?.length && mode !== 'bridge')
    return resourceInitializationError(`${label}: links need network mode bridge`);
  if (mode === 'awsvpc') {
    // The task's containers share the pause container's namespace: one hostname and hosts file
    // for all (ECS refuses these fields for awsvpc at registration already).
    const refused = [c.hostname && 'hostname', c.extraHosts?.length && 'extraHosts'].filter(Boolean);
    if (refused.length > 0)
      return resourceInitializationError(
        `${label}: ${refused.join(', ')} cannot be used with network mode awsvpc`,
      );
  }
  for (const link of c.links ?? []) {
    if (!containers.has(link.split(':')[0]))
      return resourceInitializationError(`${label}: link target ${link} is not in the task`);
  }
  for (const m of c.mountPoints ?? []) {
    if (!volumes.has(m.sourceVolume ?? ''))
      return resourceInitializationError(`${label}: mount point volume ${m.sourceVolume} is not defined`);
  }
  for (const v of c.volumesFrom ?? []) {
    if (!containers.has(v.sourceContainer ?? ''))
      return resourceInitializationError(`${label}: volumesFrom ${v.sourceContainer} is not in the task`);
  }
  return undefined;
}

/** A dependsOn cycle as a list of names (first name repeated at the end), if there is one. */
export function dependencyCycle(assignment: TaskAssignment): string[] | undefined {
  const edges = new Map(
    assignment.containers.map((c) => [
      c.name,
      (c.definition.dependsOn ?? []).map((d) => d.containerName ?? ''),
    ]),
  );
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'visiting');
    path.push(name);
    for (const next of edges.get(name) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of edges.keys()) {
    const found = visit(name);
    if (found) return found;
  }
  return undefined;
}
