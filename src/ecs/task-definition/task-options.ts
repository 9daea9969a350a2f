/** Task-level settings: enums, placement constraints, proxy, storage, accelerators, and the size quota. */
import type { RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { checkEnumValue, checkRange, reject } from './fail.ts';
import {
  Compatibilities,
  CpuArchitectures,
  EPHEMERAL_STORAGE_GIB,
  IpcModes,
  MAX_PLACEMENT_CONSTRAINTS,
  MAX_TASK_DEFINITION_BYTES,
  NetworkModes,
  OsFamilies,
  PidModes,
  PlacementConstraintTypes,
  ProxyTypes,
} from './limits.ts';

/** The modeled enums of the request's task-level members. */
export function checkTaskEnums(input: RegisterTaskDefinitionRequest): void {
  checkEnumValue('networkMode', input.networkMode, NetworkModes);
  input.requiresCompatibilities?.forEach((c, i) => {
    checkEnumValue(`requiresCompatibilities.${i + 1}.member`, c, Compatibilities);
  });
  checkEnumValue('pidMode', input.pidMode, PidModes);
  checkEnumValue('ipcMode', input.ipcMode, IpcModes);
  checkEnumValue('proxyConfiguration.type', input.proxyConfiguration?.type, ProxyTypes);
  checkEnumValue('runtimePlatform.cpuArchitecture', input.runtimePlatform?.cpuArchitecture, CpuArchitectures);
  checkEnumValue(
    'runtimePlatform.operatingSystemFamily',
    input.runtimePlatform?.operatingSystemFamily,
    OsFamilies,
  );
}

/**
 * - placementConstraints: "a maximum of 10 constraints"; the only type is memberOf, which needs a
 *   cluster-query-language expression.
 * - proxyConfiguration.containerName: "The name of the container that will serve as the App Mesh proxy".
 * - ephemeralStorage.sizeInGiB: 21-200.
 * - inferenceAccelerators: a container's InferenceAccelerator resource requirement "matches the
 *   deviceName for an InferenceAccelerator specified in a task definition".
 * - awsfirelens log driver: routes logs to the task's FireLens container (firelensConfiguration).
 */
export function checkTaskOptions(input: RegisterTaskDefinitionRequest): void {
  const constraints = input.placementConstraints ?? [];
  if (constraints.length > MAX_PLACEMENT_CONSTRAINTS) {
    throw reject(
      `Too many placement constraints. You can specify a maximum of ${MAX_PLACEMENT_CONSTRAINTS} constraints.`,
    );
  }
  constraints.forEach((pc, i) => {
    checkEnumValue(`placementConstraints.${i + 1}.member.type`, pc.type, PlacementConstraintTypes);
    if (!pc.expression?.trim())
      throw reject('Invalid placement constraint: a memberOf constraint needs an expression.');
  });
  const containers = input.containerDefinitions ?? [];
  const names = new Set(containers.map((c) => c.name));
  const proxy = input.proxyConfiguration;
  if (proxy && !names.has(proxy.containerName)) {
    throw reject(`Invalid 'proxyConfiguration' setting. Unknown container: '${proxy.containerName}'.`);
  }
  const storage = EPHEMERAL_STORAGE_GIB;
  checkRange(
    input.ephemeralStorage?.sizeInGiB,
    storage.min,
    storage.max,
    'ephemeralStorage.sizeInGiB',
    'task',
  );
  const devices = new Set<string>();
  for (const a of input.inferenceAccelerators ?? []) {
    if (devices.has(a.deviceName ?? ''))
      throw reject(`Duplicate inference accelerator deviceName '${a.deviceName}'.`);
    devices.add(a.deviceName ?? '');
  }
  for (const c of containers) {
    for (const r of c.resourceRequirements ?? []) {
      if (r.type === 'InferenceAccelerator' && !devices.has(r.value ?? '')) {
        throw reject(
          `Invalid 'resourceRequirements' setting for container '${c.name}'. Unknown inference accelerator '${r.value}'.`,
        );
      }
    }
  }
  const usesFirelens = containers.some((c) => c.logConfiguration?.logDriver === 'awsfirelens');
  if (usesFirelens && !containers.some((c) => c.firelensConfiguration)) {
    throw reject(
      'Log driver awsfirelens requires a container with a firelensConfiguration in the task definition.',
    );
  }
}

/** ECS service quotas: "Task definition size: 64 KiB" (the request's JSON, in UTF-8 bytes). */
export function checkTaskDefinitionSize(input: RegisterTaskDefinitionRequest): void {
  const bytes = new TextEncoder().encode(JSON.stringify(input)).length;
  if (bytes > MAX_TASK_DEFINITION_BYTES) {
    throw reject(`Task definition size exceeds the maximum of ${MAX_TASK_DEFINITION_BYTES} bytes (64 KiB).`);
  }
}
