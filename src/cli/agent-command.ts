/** `longshore agent`: turn this host into a container instance of a Longshore cluster. */
// First: the agent process's V8 flags (src/agent/agent-v8-flags.ts). They must be set before the
// agent's modules are loaded, not merely evaluated: every static import of a module is fetched and
// compiled before any of them runs, so this module's others are imported below, once it has run.
import '../agent/agent-v8-flags.ts';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Agent } from '../agent/agent.ts';
import type { MetadataEndpointInfo } from '../agent/endpoints/metadata-server.ts';
import type { Logger } from '../agent/log.ts';
import type { DataDirLock } from './data-dir-lock.ts';

const [
  { AgentEndpoints },
  { joinedCredentials, loadJoinedCredentials },
  { jsonLog },
  { systemClock, systemRng },
  { describeError },
  { AgentRuntime, agentFlags, readAgentFlags, readAgentRuntime, readSimulationFlags },
  { lockDataDir },
  { defaultDataDir, DEFAULT_PORT, DEFAULT_REGION, parseDuration },
  { exitOnSignals },
  { monitorEventLoop },
] = await Promise.all([
  import('../agent/channel/endpoints.ts'),
  import('../agent/join-credentials.ts'),
  import('../agent/log.ts'),
  import('../core/system.ts'),
  import('../core/errors.ts'),
  import('./agent-options.ts'),
  import('./data-dir-lock.ts'),
  import('./options.ts'),
  import('./shutdown.ts'),
  import('./stall-monitor.ts'),
]);
type AgentEndpoints = InstanceType<typeof AgentEndpoints>;

// What only one runtime, or one flag, needs is imported when it is used (await import below): an
// idle agent's memory is mostly the modules it loaded (docs/performance.md, "Agent").

const USAGE = `usage: longshore agent [--endpoint URL] [--cluster NAME] [--data-dir DIR]
       [--cpu UNITS] [--memory MiB] [--memory-reserve MiB] [--attribute NAME=VALUE ...]
       [--availability-zone AZ] [--instance-type TYPE] [--host-port-range 32768-60999]
       [--reserved-ports 22,2375,...] [--metadata-port N] [--metrics-port N] [--cleanup-wait 3h]
       [--runtime docker|simulated] [--ca-file FILE] [--join-token TOKEN]
       [--sim-start-ms N] [--sim-run-ms N] [--sim-exit-code N] [--sim-health healthy|unhealthy|none]
       [--sim-health-delay-ms N] [--sim-stop-ms N]

--runtime simulated is a SIMULATION for scale tests: no container runs and Docker is not needed.
Each task goes PENDING -> RUNNING after --sim-start-ms (default 200), runs --sim-run-ms (default:
until stopped) and exits with --sim-exit-code (default 0); containers with a healthCheck report
--sim-health (default healthy) after --sim-health-delay-ms (default 0); a stop takes --sim-stop-ms
(default 100). Per container, dockerLabels longshore.simulation.{start-ms,run-ms,exit-code,health,
health-delay-ms,stop-delay-ms} override these.

Credentials: --join-token TOKEN (or LONGSHORE_JOIN_TOKEN; the flag wins over a key pair in the
environment, the variable does not), made by an administrator with
\`longshore join-token create\`: on its first start the agent trades it at the (first) endpoint for
a key pair of its own, saved in <data-dir>/agent-credentials.json (mode 0600) and reused on every
restart; that key signs as the role ecsInstanceRole, which may do what an ECS container instance
may. A key pair in LONGSHORE_ACCESS_KEY_ID / LONGSHORE_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID /
AWS_SECRET_ACCESS_KEY) is used instead when set (the root key allows everything).
Several agents can share one Docker Engine: give each its own --data-dir (one agent per directory)
and --host-port-range (and --cpu/--memory) and each adopts only its own containers. The metadata
port defaults to 51679, or a free one when that is taken; a --metadata-port given must be free.
--metrics-port serves Prometheus metrics on 127.0.0.1 (0 picks a free port; off by default).
--endpoint may list several control-plane replicas (cluster mode), comma-separated
(http://cp1:4590,http://cp2:4590): the agent uses the first, moves to the next when one fails or
leaves, and also learns every live replica from the control plane; its tasks keep running.
--endpoint https://...: the control plane serves TLS (its --tls-cert); a certificate no public CA
signed needs its CA: --ca-file ca.pem (trusted by every connection of this agent) or
NODE_EXTRA_CA_CERTS=ca.pem.
Memory: the agent runs without V8's optimizing compilers and with a young generation that does not
grow (--no-opt --no-maglev --semi-space-growth-factor=1; docs/performance.md, "Agent");
LONGSHORE_AGENT_V8_FLAGS replaces these flags (LONGSHORE_AGENT_V8_FLAGS= keeps V8's defaults).`;

type KeyPair = { accessKeyId: string; secretAccessKey: string };

export interface StartAgentOptions {
  endpoint: string;
  region: string;
  /**
   * The key pair to sign with. Absent: the agent's own, saved in the data directory by an earlier
   * start, else traded for `joinToken` (src/agent/join-credentials.ts).
   */
  credentials?: KeyPair;
  /** A join token (`lsjt-...`), used when no key pair is given and none was saved. */
  joinToken?: string;
  dataDir: string;
  values: Record<string, string | boolean | string[] | undefined>;
  log: Logger;
  /** Told where the task metadata endpoint ended up (the commands print it). */
  onMetadataEndpoint?(info: MetadataEndpointInfo): void;
  /** How often task usage is sampled for AWS/ECS metrics (default 20 s; tests shorten it). */
  usageSampleMs?: number;
}

/**
 * Starts an agent with the Docker runtime (used by `longshore agent` and `longshore up`). The
 * agent holds a lock on its data directory until it stops: another agent on it is refused.
 */
export async function startDockerAgent(given: StartAgentOptions): Promise<Agent> {
  const flags = readAgentFlags(given.values, { availabilityZone: `${given.region}a` });
  await trustGivenCa(given.values);
  const [
    { Agent },
    { DockerRuntime },
    { TaskEngine },
    { RegistryLogin },
    { SecretsClient },
    { ExecutionRoleClients },
  ] = await Promise.all([
    import('../agent/agent.ts'),
    import('../agent/docker/docker-runtime.ts'),
    import('../agent/engine/task-engine.ts'),
    import('../agent/registry-login.ts'),
    import('../agent/secrets-client.ts'),
    import('../agent/execution-role.ts'),
  ]);
  return withDataDirLock(given.dataDir, async (dataDirLock) => {
    const o = await ready(given);
    const runtime = new DockerRuntime();
    const info = await runtime.info().catch((error: unknown) => {
      throw new Error(
        `cannot reach Docker Engine (${error instanceof Error ? error.message : String(error)}); start dockerd or run scripts/ensure-docker.sh`,
      );
    });
    const cleanup =
      typeof o.values['cleanup-wait'] === 'string' ? parseDuration(o.values['cleanup-wait']) : undefined;
    // Images in Longshore's own registry are pulled with an ECR password (GetAuthorizationToken).
    const registry = new RegistryLogin({
      endpoint: o.endpoint,
      region: o.region,
      credentials: o.credentials,
    });
    const agent = new Agent({
      ...agentBase(o, flags),
      dataDirLock,
      dockerVersion: info.serverVersion,
      createEngine: (containerInstanceArn) =>
        new TaskEngine({
          dataDir: join(o.dataDir, 'engine'),
          containerInstanceArn,
          runtime,
          logger: o.log,
          hostPortRange: flags.hostPortRange,
          metadataEndpoint: {
            port: flags.metadataPort,
            // The default port may be another agent's: take a free one. A port the user chose must be it.
            freePortIfTaken: !flags.metadataPortExplicit,
            ...(o.onMetadataEndpoint ? { onListening: o.onMetadataEndpoint } : {}),
          },
          ...(cleanup !== undefined ? { taskCleanupWaitMs: cleanup } : {}),
          registryAuth: (ref) => registry.forImage(ref),
          pullSource: (ref) => registry.pullSource(ref),
          registryAuthRejected: () => registry.forget(),
          // awslogs containers log to this control plane's CloudWatch Logs (Docker's awslogs driver).
          awslogs: { endpoint: o.endpoint, credentials: o.credentials },
          // `secrets` come from its Secrets Manager and Parameter Store.
          secrets: new SecretsClient({
            // Read per call: the agent's current endpoint (cluster mode moves it from replica to replica).
            get endpoint() {
              return o.endpoints.current();
            },
            region: o.region,
            credentials: o.credentials,
          }),
          // Tasks with an execution role pull and read secrets with its session (docs/task-roles.md).
          executionRole: new ExecutionRoleClients({ endpoint: o.endpoint, region: o.region }),
          // Containers reach Longshore at the agent's endpoint address (AWS_ENDPOINT_URL).
          apiEndpoint: () => o.endpoints.current(),
        }),
    });
    await agent.start();
    return agent;
  });
}

/** `--ca-file`: its certificates are trusted by every TLS connection of this process. */
async function trustGivenCa(values: StartAgentOptions['values']): Promise<void> {
  if (typeof values['ca-file'] === 'string') (await import('./tls-files.ts')).trustCaFile(values['ca-file']);
}

/** Runs `start` holding the data directory's lock; releases it when `start` fails. */
async function withDataDirLock(
  dataDir: string,
  start: (lock: DataDirLock) => Promise<Agent>,
): Promise<Agent> {
  const lock = lockDataDir(dataDir);
  try {
    return await start(lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** How the agent's containers reach their metadata, for the commands' output. */
export function describeMetadataEndpoint(info: MetadataEndpointInfo): string {
  const taken =
    info.requestedPort === undefined
      ? ''
      : ` (port ${info.requestedPort} was taken, so ${info.port} was picked; --metadata-port chooses one)`;
  return `Task metadata endpoint: ${info.url}/v4/... via ${info.route}; listening on ${info.listening.join(', ')}${taken}\n`;
}

/**
 * Starts an agent with the SIMULATED runtime (`--runtime simulated`): it registers and takes
 * assignments like any agent, but its engine runs no containers (see src/agent/simulated/).
 * Its tasks are saved in the data directory on shutdown and resumed on the next start.
 */
export async function startSimulatedAgent(given: StartAgentOptions): Promise<Agent> {
  const flags = readAgentFlags(given.values, { availabilityZone: `${given.region}a` });
  await trustGivenCa(given.values);
  const [{ Agent }, { SimulatedEngine }] = await Promise.all([
    import('../agent/agent.ts'),
    import('../agent/simulated/simulated-engine.ts'),
  ]);
  const profile = readSimulationFlags(given.values, AgentRuntime.Simulated);
  const cleanup =
    typeof given.values['cleanup-wait'] === 'string'
      ? parseDuration(given.values['cleanup-wait'])
      : undefined;
  return withDataDirLock(given.dataDir, async (dataDirLock) => {
    const o = await ready(given);
    const agent = new Agent({
      ...agentBase(o, flags),
      dataDirLock,
      dockerVersion: 'simulated',
      createEngine: (containerInstanceArn) =>
        new SimulatedEngine({
          containerInstanceArn,
          profile,
          hostPortRange: flags.hostPortRange,
          clock: systemClock,
          rng: systemRng,
          stateFile: join(o.dataDir, 'simulated-tasks.json'),
          log: o.log,
          ...(cleanup !== undefined ? { cleanupWaitMs: cleanup } : {}),
        }),
    });
    await agent.start();
    return agent;
  });
}

type Ready = StartAgentOptions & { endpoints: AgentEndpoints; credentials: KeyPair };

/**
 * `endpoint` may list several control-plane replicas (`http://a:4590,http://b:4590`): the agent
 * starts with the first and moves on when one fails (src/agent/channel/endpoints.ts). Without a
 * key pair, the agent's own: saved, else traded for the join token at the first endpoint that
 * answers (run holding the data directory's lock: one agent trades a token per directory).
 */
async function ready(o: StartAgentOptions): Promise<Ready> {
  const endpoints = AgentEndpoints.parse(o.endpoint);
  const base = { ...o, endpoint: endpoints.current(), endpoints };
  if (o.credentials) return { ...base, credentials: o.credentials };
  const saved = loadJoinedCredentials(o.dataDir);
  if (!saved && !o.joinToken)
    throw new Error(
      'give the agent a join token (--join-token or LONGSHORE_JOIN_TOKEN; an administrator makes one with `longshore join-token create`) or a key pair (LONGSHORE_ACCESS_KEY_ID and LONGSHORE_SECRET_ACCESS_KEY)',
    );
  const joined =
    saved ??
    (await joinedCredentials({
      dataDir: o.dataDir,
      joinToken: o.joinToken ?? '',
      endpoints: endpoints.all(),
      hostname: hostname(),
      onUnreachable: (endpoint, error) =>
        o.log.warn(
          { endpoint, error: describeError(error) },
          'cannot reach the control plane to join; trying the next',
        ),
    }));
  if (!saved)
    o.log.info({ accessKeyId: joined.accessKeyId, roleArn: joined.roleArn }, 'joined with the join token');
  return {
    ...base,
    credentials: { accessKeyId: joined.accessKeyId, secretAccessKey: joined.secretAccessKey },
  };
}

/** What every agent takes from its flags, whatever runs its tasks. */
function agentBase(o: Ready, flags: ReturnType<typeof readAgentFlags>) {
  return {
    endpoint: o.endpoint,
    endpoints: o.endpoints,
    cluster: flags.cluster,
    region: o.region,
    credentials: o.credentials,
    dataDir: o.dataDir,
    // An Auto Scaling group's launcher names the instance (docs/capacity-providers.md).
    ...(process.env.LONGSHORE_INSTANCE_ID ? { instanceId: process.env.LONGSHORE_INSTANCE_ID } : {}),
    cpu: flags.cpu,
    memory: flags.memory,
    reservedPorts: flags.reservedPorts,
    reservedUdpPorts: [],
    hostPortRange: flags.hostPortRange,
    attributes: flags.attributes,
    rng: systemRng,
    log: o.log,
    ...(o.usageSampleMs !== undefined ? { usageSampleMs: o.usageSampleMs } : {}),
  };
}

export async function agentCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: agentFlags, strict: true });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const env = process.env;
  const accessKeyId = env.LONGSHORE_ACCESS_KEY_ID ?? env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.LONGSHORE_SECRET_ACCESS_KEY ?? env.AWS_SECRET_ACCESS_KEY;
  // --join-token asks for the agent's own keys, whatever the environment holds; otherwise a key
  // pair in the environment signs as it is, and without one the agent's own (LONGSHORE_JOIN_TOKEN).
  const flagToken = values['join-token'];
  const joinToken = flagToken ?? env.LONGSHORE_JOIN_TOKEN;
  if ((!accessKeyId || !secretAccessKey) && (accessKeyId || secretAccessKey))
    throw new Error('set both LONGSHORE_ACCESS_KEY_ID and LONGSHORE_SECRET_ACCESS_KEY, or neither');
  const useKeyPair = Boolean(accessKeyId && secretAccessKey) && flagToken === undefined;
  const runtime = readAgentRuntime(values);
  readSimulationFlags(values, runtime);
  // pino's JSON lines on stderr, without loading pino (src/agent/log.ts).
  const log = jsonLog({ level: values['log-level'] ?? 'info' });
  if (useKeyPair && joinToken)
    log.warn(
      'LONGSHORE_JOIN_TOKEN is not used: a key pair is set (LONGSHORE_ACCESS_KEY_ID); give --join-token to join',
    );
  const start = runtime === AgentRuntime.Simulated ? startSimulatedAgent : startDockerAgent;
  const agent = await start({
    endpoint: values.endpoint ?? `http://127.0.0.1:${DEFAULT_PORT}`,
    region: values.region ?? env.LONGSHORE_REGION ?? DEFAULT_REGION,
    ...(useKeyPair && accessKeyId && secretAccessKey
      ? { credentials: { accessKeyId, secretAccessKey } }
      : {}),
    ...(joinToken && !useKeyPair ? { joinToken } : {}),
    dataDir: values['data-dir'] ?? join(defaultDataDir(env), 'agent'),
    values,
    log,
    onMetadataEndpoint: (info) => process.stdout.write(describeMetadataEndpoint(info)),
  });
  const kind = runtime === AgentRuntime.Simulated ? ' (SIMULATED runtime: no containers run)' : '';
  console.log(`Longshore agent registered as ${agent.containerInstanceArn}${kind}`);
  const stopMonitor = monitorEventLoop(log);
  const metricsPort = values['metrics-port'];
  let metrics: { close(): Promise<void> } | undefined;
  if (typeof metricsPort === 'string') {
    const port = Number(metricsPort);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`--metrics-port must be 0-65535, got '${metricsPort}'`);
    const { startAgentMetrics } = await import('../agent/agent-metrics.ts');
    const server = await startAgentMetrics(agent, port);
    metrics = server;
    console.log(`Prometheus metrics: http://127.0.0.1:${server.port}/metrics`);
  }
  exitOnSignals(async () => {
    stopMonitor();
    await metrics?.close();
    await agent.stop();
  }, log);
}
