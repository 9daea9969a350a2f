/**
 * What a group's instances are, in Longshore: EC2 launches from a launch template, Longshore asks a
 * launcher. The group's tags say which and how (tags, so `aws autoscaling create-auto-scaling-group
 * --tags ...`, CloudFormation and Terraform can set them with nothing Longshore-specific):
 *
 * | tag                          | meaning                                                        | default        |
 * | ---------------------------- | -------------------------------------------------------------- | -------------- |
 * | `longshore:launcher`         | `local`, `simulated` or `command`                              | `local`        |
 * | `longshore:cluster`          | the ECS cluster the instance's agent registers into            | `default`      |
 * | `longshore:cpu`              | CPU units the instance offers                                  | 2048           |
 * | `longshore:memory`           | MiB the instance offers                                        | 4096           |
 * | `longshore:instance-type`    | the `ecs.instance-type` attribute                              | `t3.medium`    |
 * | `longshore:agent-runtime`    | `local` launcher: `docker` or `simulated` (`--runtime`)        | `docker`       |
 * | `longshore:command`          | `command` launcher: the command run with `launch` / `terminate`| (required)     |
 *
 * The LaunchTemplate given is recorded and shown as AWS shows it; Longshore has no EC2 images to
 * start from it.
 */
import { validationError } from './records.ts';

export const LauncherType = { Local: 'local', Simulated: 'simulated', Command: 'command' } as const;
export type LauncherType = (typeof LauncherType)[keyof typeof LauncherType];

export interface LaunchSpec {
  launcher: LauncherType;
  cluster: string;
  cpu: number;
  memory: number;
  instanceType: string;
  agentRuntime: 'docker' | 'simulated';
  command?: string;
}

export const LAUNCH_TAG = {
  launcher: 'longshore:launcher',
  cluster: 'longshore:cluster',
  cpu: 'longshore:cpu',
  memory: 'longshore:memory',
  instanceType: 'longshore:instance-type',
  agentRuntime: 'longshore:agent-runtime',
  command: 'longshore:command',
} as const;

const DEFAULTS = { cpu: 2048, memory: 4096, instanceType: 't3.medium' } as const;

/** The spec the tags give; a bad value is AWS's ValidationError, naming the tag. */
export function launchSpecFrom(tags: readonly { Key?: string; Value?: string }[]): LaunchSpec {
  const get = (key: string) => tags.find((t) => t.Key === key)?.Value;
  const launcher = get(LAUNCH_TAG.launcher) ?? LauncherType.Local;
  if (!(Object.values(LauncherType) as string[]).includes(launcher)) {
    throw validationError(
      `Tag ${LAUNCH_TAG.launcher} must be one of local, simulated or command, not '${launcher}'.`,
    );
  }
  const positive = (key: string, fallback: number) => {
    const text = get(key);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n <= 0)
      throw validationError(`Tag ${key} must be a positive integer, not '${text}'.`);
    return n;
  };
  const runtime = get(LAUNCH_TAG.agentRuntime) ?? 'docker';
  if (runtime !== 'docker' && runtime !== 'simulated') {
    throw validationError(`Tag ${LAUNCH_TAG.agentRuntime} must be docker or simulated, not '${runtime}'.`);
  }
  const command = get(LAUNCH_TAG.command);
  if (launcher === LauncherType.Command && !command?.trim()) {
    throw validationError(`The command launcher needs the tag ${LAUNCH_TAG.command}.`);
  }
  const cluster = get(LAUNCH_TAG.cluster) ?? 'default';
  if (!/^[a-zA-Z0-9_-]{1,255}$/.test(cluster)) {
    throw validationError(`Tag ${LAUNCH_TAG.cluster} must be an ECS cluster name, not '${cluster}'.`);
  }
  return {
    launcher: launcher as LauncherType,
    cluster,
    cpu: positive(LAUNCH_TAG.cpu, DEFAULTS.cpu),
    memory: positive(LAUNCH_TAG.memory, DEFAULTS.memory),
    instanceType: get(LAUNCH_TAG.instanceType) ?? DEFAULTS.instanceType,
    agentRuntime: runtime,
    ...(command ? { command } : {}),
  };
}
