/** One container definition: its rules, and the form DescribeTaskDefinition returns it in. */
import type { ContainerDefinition, NetworkMode, Volume } from '@aws-sdk/client-ecs';
import { checkContainerOptions, checkImage, checkLogConfiguration } from './container-options.ts';
import { normalizeHealthCheck } from './health-check.ts';
import { checkLinuxParameters, checkUlimits } from './linux-parameters.ts';
import { normalizePortMappings } from './port-mappings.ts';
import { ordered } from './shape.ts';
import { checkMountPoints } from './volumes.ts';

/** ContainerDefinition members in the model's order, which DescribeTaskDefinition output follows. */
const ORDER: (keyof ContainerDefinition)[] = [
  'name',
  'image',
  'repositoryCredentials',
  'cpu',
  'memory',
  'memoryReservation',
  'links',
  'portMappings',
  'essential',
  'restartPolicy',
  'entryPoint',
  'command',
  'environment',
  'environmentFiles',
  'mountPoints',
  'volumesFrom',
  'linuxParameters',
  'secrets',
  'dependsOn',
  'startTimeout',
  'stopTimeout',
  'versionConsistency',
  'hostname',
  'user',
  'workingDirectory',
  'disableNetworking',
  'privileged',
  'readonlyRootFilesystem',
  'dnsServers',
  'dnsSearchDomains',
  'extraHosts',
  'dockerSecurityOptions',
  'interactive',
  'pseudoTerminal',
  'dockerLabels',
  'ulimits',
  'logConfiguration',
  'healthCheck',
  'systemControls',
  'resourceRequirements',
  'firelensConfiguration',
  'credentialSpecs',
];

/**
 * Checks one container (its own settings; cross-container rules live in container-graph.ts) and
 * returns it with the members ECS fills on registration. From ECS's own outputs (the aws-cli
 * register-task-definition example and DescribeTaskDefinition output in AWS docs and user posts):
 * `cpu` is always present (0 when omitted: the member is a plain Integer in the model), `essential`
 * defaults to true, and `portMappings`, `environment`, `mountPoints`, `volumesFrom` and
 * `systemControls` are returned as [] when omitted. Other lists stay absent unless given.
 */
export function normalizeContainer(
  c: ContainerDefinition,
  index: number,
  mode: NetworkMode,
  volumes: readonly Volume[],
): ContainerDefinition {
  const path = `containerDefinitions.${index + 1}.member`;
  checkImage(c);
  checkContainerOptions(c, mode, path);
  checkLogConfiguration(c, path);
  checkLinuxParameters(c, path);
  checkUlimits(c, path);
  checkMountPoints(c, volumes);
  return ordered(
    {
      ...c,
      cpu: c.cpu ?? 0,
      portMappings: normalizePortMappings(c, mode, path),
      essential: c.essential ?? true,
      environment: c.environment ?? [],
      mountPoints: c.mountPoints ?? [],
      volumesFrom: c.volumesFrom ?? [],
      healthCheck: normalizeHealthCheck(c.healthCheck, c.name ?? ''),
      systemControls: c.systemControls ?? [],
    },
    ORDER,
  );
}
