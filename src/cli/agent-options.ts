/** `longshore agent` flags: how this host presents itself as a container instance. */
import { availableParallelism, totalmem } from 'node:os';
import type { ParseArgsConfig } from 'node:util';
import type { Attribute } from '@aws-sdk/client-ecs';
import { DEFAULT_METADATA_PORT } from '../agent/endpoints/metadata-server.ts';
import { parseSimHealth, type SimulationProfile } from '../agent/simulated/sim-profile.ts';

export const agentFlags = {
  endpoint: { type: 'string' },
  cluster: { type: 'string' },
  region: { type: 'string' },
  'data-dir': { type: 'string' },
  cpu: { type: 'string' },
  memory: { type: 'string' },
  'memory-reserve': { type: 'string' },
  attribute: { type: 'string', multiple: true },
  'availability-zone': { type: 'string' },
  'instance-type': { type: 'string' },
  'host-port-range': { type: 'string' },
  'reserved-ports': { type: 'string' },
  'metadata-port': { type: 'string' },
  'metrics-port': { type: 'string' },
  'ca-file': { type: 'string' },
  'join-token': { type: 'string' },
  'cleanup-wait': { type: 'string' },
  'log-level': { type: 'string' },
  runtime: { type: 'string' },
  'sim-start-ms': { type: 'string' },
  'sim-run-ms': { type: 'string' },
  'sim-exit-code': { type: 'string' },
  'sim-health': { type: 'string' },
  'sim-health-delay-ms': { type: 'string' },
  'sim-stop-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** What runs the tasks: Docker Engine, or a simulation that runs nothing (for scale tests). */
export const AgentRuntime = { Docker: 'docker', Simulated: 'simulated' } as const;
export type AgentRuntime = (typeof AgentRuntime)[keyof typeof AgentRuntime];

/** ECS reserves these host ports on every instance: SSH, Docker, the agent's introspection ports. */
export const DEFAULT_RESERVED_PORTS = [22, 2375, 2376, 51678, 51679];
/** MiB kept back for the host, as ECS_RESERVED_MEMORY. */
export const DEFAULT_MEMORY_RESERVE_MIB = 256;

export interface AgentFlags {
  cluster: string;
  cpu: number;
  memory: number;
  reservedPorts: number[];
  hostPortRange: { from: number; to: number };
  attributes: Attribute[];
  metadataPort: number;
  /** True when --metadata-port was given: a taken port is then an error, not replaced by a free one. */
  metadataPortExplicit: boolean;
}

type Values = Record<string, string | boolean | string[] | undefined>;

export function readAgentFlags(values: Values, defaults: { availabilityZone: string }): AgentFlags {
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const int = (k: string, fallback: number) => {
    const v = str(k);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${k} must be a non-negative integer, got '${v}'`);
    return n;
  };
  const reserve = int('memory-reserve', DEFAULT_MEMORY_RESERVE_MIB);
  const hostMiB = Math.floor(totalmem() / 1024 / 1024);
  const attributes: Attribute[] = [
    { name: 'ecs.os-type', value: 'linux' },
    { name: 'ecs.os-family', value: 'LINUX' },
    { name: 'ecs.cpu-architecture', value: process.arch === 'arm64' ? 'arm64' : 'x86_64' },
    { name: 'ecs.availability-zone', value: str('availability-zone') ?? defaults.availabilityZone },
    { name: 'ecs.instance-type', value: str('instance-type') ?? 'longshore.local' },
    { name: 'ecs.ami-id', value: 'ami-longshore' },
  ];
  for (const a of (values.attribute as string[] | undefined) ?? []) {
    const eq = a.indexOf('=');
    attributes.push(eq < 0 ? { name: a } : { name: a.slice(0, eq), value: a.slice(eq + 1) });
  }
  return {
    cluster: str('cluster') ?? 'default',
    cpu: int('cpu', availableParallelism() * 1024),
    memory: int('memory', Math.max(0, hostMiB - reserve)),
    reservedPorts: str('reserved-ports')?.split(',').map(Number) ?? DEFAULT_RESERVED_PORTS,
    hostPortRange: parseRange(str('host-port-range') ?? '32768-60999'),
    attributes,
    metadataPort: int('metadata-port', DEFAULT_METADATA_PORT),
    metadataPortExplicit: str('metadata-port') !== undefined,
  };
}

function parseRange(text: string): { from: number; to: number } {
  const m = /^(\d+)-(\d+)$/.exec(text);
  const from = Number(m?.[1]);
  const to = Number(m?.[2]);
  if (!m || from < 1 || to > 65535 || from > to)
    throw new Error(`--host-port-range must look like 32768-60999, got '${text}'`);
  return { from, to };
}

export function readAgentRuntime(values: Values): AgentRuntime {
  const runtime = values.runtime ?? AgentRuntime.Docker;
  if (runtime === AgentRuntime.Docker || runtime === AgentRuntime.Simulated) return runtime;
  throw new Error(`--runtime must be docker or simulated, got '${String(runtime)}'`);
}

/** `--sim-*` flags as overrides of the simulation profile; they need `--runtime simulated`. */
export function readSimulationFlags(values: Values, runtime: AgentRuntime): Partial<SimulationProfile> {
  const given = Object.keys(values).filter((k) => k.startsWith('sim-') && values[k] !== undefined);
  if (runtime !== AgentRuntime.Simulated) {
    if (given.length > 0) throw new Error(`--${given[0]} needs --runtime simulated`);
    return {};
  }
  const int = (k: string): number | undefined => {
    const v = values[k];
    if (typeof v !== 'string') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${k} must be a non-negative integer, got '${v}'`);
    return n;
  };
  const profile: Partial<SimulationProfile> = {};
  const startMs = int('sim-start-ms');
  if (startMs !== undefined) profile.startMs = startMs;
  // Without --sim-run-ms tasks run until stopped.
  const runMs = int('sim-run-ms');
  if (runMs !== undefined) profile.runMs = runMs;
  const exitCode = int('sim-exit-code');
  if (exitCode !== undefined) profile.exitCode = exitCode;
  if (typeof values['sim-health'] === 'string') profile.health = parseSimHealth(values['sim-health']);
  const healthDelayMs = int('sim-health-delay-ms');
  if (healthDelayMs !== undefined) profile.healthDelayMs = healthDelayMs;
  const stopMs = int('sim-stop-ms');
  if (stopMs !== undefined) profile.stopDelayMs = stopMs;
  return profile;
}
