/** Docker create options from an ECS container definition (Config half; HostConfig in host-config.ts). Pure. */
import type { AwslogsTarget } from './awslogs-config.ts';
import type { ContainerDefinition, HealthCheck } from '@aws-sdk/client-ecs';
import type Dockerode from 'dockerode';
import type { TaskAssignment } from '../../core/agent-protocol.ts';
import type { ContainerCreateSpec } from '../docker/runtime.ts';
import { hostConfig } from './host-config.ts';
import { containerLabels } from './naming.ts';
import { networkModeOf, type TaskLimits } from './task-limits.ts';
import type { ContainerState, TaskResources } from './task-state.ts';

export interface SpecInput {
  assignment: TaskAssignment;
  container: ContainerState;
  definition: ContainerDefinition;
  resources: TaskResources;
  /** Docker names of the task's containers, for links and volumesFrom. */
  dockerNames: Record<string, string>;
  instanceArn: string;
  /** Variables the agent injects (metadata endpoint URIs, AWS_EXECUTION_ENV); they win over the user's. */
  agentEnv: Record<string, string>;
  /** Variables from environmentFiles, already merged in file order (first file wins). */
  fileEnv: Record<string, string>;
  limits: TaskLimits;
  /** awslogs containers: where Docker's driver sends the logs and gets its credentials. */
  awslogs?: AwslogsTarget;
  /** The container's `secrets`, resolved (they win over `environment`). */
  secretEnv?: Record<string, string>;
}

/** ECS healthCheck defaults, in seconds. */
const HEALTH_DEFAULTS = { interval: 30, timeout: 5, retries: 3, startPeriod: 0 } as const;
const NS_PER_SECOND = 1_000_000_000;

/**
 * Environment precedence (as the real agent): agent variables over secrets over `environment`
 * over environment files, where among files the first one that sets a name wins.
 */
export function environmentOf(
  def: ContainerDefinition,
  fileEnv: Record<string, string>,
  agentEnv: Record<string, string>,
  secretEnv: Record<string, string> = {},
): string[] {
  const env: Record<string, string> = { ...fileEnv };
  for (const { name, value } of def.environment ?? []) if (name) env[name] = value ?? '';
  Object.assign(env, secretEnv, agentEnv);
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

export function healthcheckOf(check: HealthCheck | undefined): Dockerode.HealthConfig | undefined {
  if (!check?.command?.length) return undefined;
  const seconds = (value: number | undefined, fallback: number) => (value ?? fallback) * NS_PER_SECOND;
  return {
    Test: check.command,
    Interval: seconds(check.interval, HEALTH_DEFAULTS.interval),
    Timeout: seconds(check.timeout, HEALTH_DEFAULTS.timeout),
    Retries: check.retries ?? HEALTH_DEFAULTS.retries,
    StartPeriod: seconds(check.startPeriod, HEALTH_DEFAULTS.startPeriod),
  };
}

export function containerSpec(input: SpecInput): ContainerCreateSpec {
  const def = input.definition;
  const exposed: Record<string, object> = {};
  // Docker refuses exposed ports on a container that joins another's network namespace (awsvpc).
  const awsvpc = networkModeOf(input.assignment) === 'awsvpc';
  for (const p of awsvpc ? [] : (def.portMappings ?? []))
    exposed[`${p.containerPort}/${p.protocol ?? 'tcp'}`] = {};
  const spec: ContainerCreateSpec = {
    name: input.container.dockerName,
    Image: def.image,
    Env: environmentOf(def, input.fileEnv, input.agentEnv, input.secretEnv),
    Labels: containerLabels(input.assignment, input.container.name, input.instanceArn, def.dockerLabels),
    ExposedPorts: exposed,
    HostConfig: hostConfig(input),
  };
  if (def.command?.length) spec.Cmd = def.command;
  if (def.entryPoint?.length) spec.Entrypoint = def.entryPoint;
  if (def.workingDirectory) spec.WorkingDir = def.workingDirectory;
  if (def.user) spec.User = def.user;
  if (def.hostname && !awsvpc) spec.Hostname = def.hostname;
  if (def.interactive) spec.OpenStdin = true;
  if (def.pseudoTerminal) spec.Tty = true;
  if (def.disableNetworking) spec.NetworkDisabled = true;
  const health = healthcheckOf(def.healthCheck);
  if (health) spec.Healthcheck = health;
  return spec;
}
