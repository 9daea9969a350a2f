/** `longshore up` and `longshore server`: start the control plane (and, for `up`, a local agent). */
import { parseArgs } from 'node:util';
import { type Logger, pino } from 'pino';
import { type ControlPlane, startControlPlane } from './control-plane.ts';
import { type Credentials, loadCredentials } from './credentials.ts';
import { join } from 'node:path';
import type { Agent } from '../agent/agent.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { readServerFlags, type ServerFlags, serverFlags } from './options.ts';
import { choosePort } from './port-choice.ts';
import { walkthroughImageHint } from './walkthrough-image.ts';
import { exitOnSignals, type ShutdownLog } from './shutdown.ts';
import { monitorEventLoop } from './stall-monitor.ts';
import { isSelfSigned, loadServerTls, type ServerTls } from './tls-files.ts';
import { collectOnceIdle } from './idle-gc.ts';

const USAGE = `usage: longshore up|server [--port N] [--host ADDR] [--data-dir DIR] [--region R]
                 [--account-id ID] [--throttle X] [--stopped-task-retention 24h] [--log-level L]
                 [--moto-reset] [--vulnerability-feed DIR] [--registry-auth basic|token]
                 [--iam on|off] [--fast-metrics] [--store postgres://...] [--shared-dir DIR]
                 [--tls-cert FILE --tls-key FILE]
       longshore up ... [--no-agent] [--metadata-port N] [--ca-file FILE]

--port: default 4590; when 4590 is taken (another longshore up) and no --port was given, a free
port is picked and printed. --moto-reset (or LONGSHORE_MOTO_RESET=1) serves moto's
POST /moto-api/reset, which forgets every record and takes no credentials: only for test suites.
--vulnerability-feed: an OSV export directory (JSON files) ECR image scans match packages against.
--registry-auth: the registry's challenge: basic (ECR's; default) or token (Bearer tokens from
/v2/token, the flow Docker uses with distribution registries).
--iam: IAM policies authorize every request (on, the default); off (or LONGSHORE_IAM=off) lets
every authenticated request through, as before IAM existed (docs/iam-authorization.md).
--fast-metrics (or LONGSHORE_FAST_METRICS=1): AWS/ECS metrics every 5 s as high-resolution data,
10-second target tracking periods, cooldowns of at most 10 s, alarms evaluated every second, so
a load scales a service in seconds (docs/ecs-metrics.md). AWS's pace by default.
--store (or LONGSHORE_STORE): a postgres:// URL; records live in that PostgreSQL database, which
several replicas may share: every replica serves the API, the one holding the leader lease runs
the controllers (docs/cluster-mode.md). Default: the embedded SQLite store in the data directory.
--shared-dir (or LONGSHORE_SHARED_DIR; with --store): a directory every replica mounts, holding ECR
blobs and S3 objects so that any replica serves what another stored.
--tls-cert, --tls-key (or LONGSHORE_TLS_CERT, LONGSHORE_TLS_KEY): PEM certificate (chain) and key;
the API, the agent channel and the registry answer HTTPS on the same port, and the endpoint is
https://. Clients trust the CA: aws --ca-bundle / AWS_CA_BUNDLE, NODE_EXTRA_CA_CERTS, or
\`longshore agent --ca-file\`. GET /healthz (200 while serving) and GET /readyz (200 when the
store is usable, else 503; JSON) take no credentials.
--no-agent: the control plane alone. --metadata-port: the local agent's task metadata port
(default 51679, or a free one when that is taken). --ca-file: the CA the local agent trusts for a
--tls-cert no public CA signed (default: the certificate itself when it is self-signed).`;

/** Flags only `up` has: they shape its local agent. */
const upFlags = {
  'no-agent': { type: 'boolean' },
  'metadata-port': { type: 'string' },
  'ca-file': { type: 'string' },
} as const;

export async function serverCommand(mode: 'up' | 'server', argv: string[]): Promise<void> {
  const { values: parsed } = parseArgs({
    args: argv,
    options: { ...serverFlags, ...upFlags },
    strict: true,
  });
  for (const flag of Object.keys(upFlags))
    if (mode === 'server' && parsed[flag as keyof typeof upFlags] !== undefined)
      throw new Error(`--${flag} is a flag of \`longshore up\``);
  const values = parsed as Record<string, string | boolean | undefined>;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const flags = readServerFlags(values, process.env, mode);
  // Released on exit (the shutdown path ends with process.exit); kill -9 leaves it stale.
  lockDataDir(flags.dataDir);
  const log = pino({ level: flags.logLevel }, pino.destination(2));
  const credentials = loadCredentials(flags.dataDir, process.env);
  const tls = flags.tls ? loadServerTls(flags.tls.certFile, flags.tls.keyFile) : undefined;
  const port = await choosePort(flags.host, flags.port, flags.portExplicit);
  const plane = await startControlPlane({
    dataDir: flags.dataDir,
    host: flags.host,
    port: port.port,
    region: flags.region,
    accountId: flags.accountId,
    credentials,
    throttle: flags.throttle,
    motoReset: flags.motoReset,
    vulnerabilityFeedDir: flags.vulnerabilityFeedDir,
    registryAuth: flags.registryAuth,
    iam: flags.iam,
    fastMetrics: flags.fastMetrics,
    ...(flags.storeUrl ? { storeUrl: flags.storeUrl } : {}),
    ...(flags.sharedDir ? { sharedDir: flags.sharedDir } : {}),
    ...(tls ? { tls } : {}),
    stoppedTaskRetentionMs: flags.stoppedTaskRetentionMs,
    log,
  });
  printBanner(mode, plane, flags.region, credentials, performance.now() /* since this process started */);
  collectOnceIdle(2_000);
  if (port.taken !== undefined)
    process.stdout.write(
      `Port ${port.taken} is taken (another longshore?), so the API listens on ${plane.port}; --port chooses one.\n`,
    );
  if (flags.motoReset)
    process.stdout.write(
      `moto reset: POST ${plane.endpoint}/moto-api/reset forgets every record, with no credentials.\n`,
    );
  // Signals are handled from here on, even while the local agent is still starting: a stop then
  // waits for the start to settle and stops what it started.
  const agent =
    mode === 'up' && !values['no-agent']
      ? startLocalAgent(plane, flags, credentials, localAgentValues(values, flags, tls), log)
      : Promise.resolve(undefined);
  installShutdown(plane, agent, log);
  await agent;
}

/**
 * The flags `up` hands its local agent: the metadata port, and the CA it trusts (--ca-file, or a
 * self-signed --tls-cert itself, so `up --tls-cert` works without NODE_EXTRA_CA_CERTS).
 */
function localAgentValues(
  values: Record<string, string | boolean | undefined>,
  flags: ServerFlags,
  tls: ServerTls | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof values['metadata-port'] === 'string') out['metadata-port'] = values['metadata-port'];
  const caFile =
    typeof values['ca-file'] === 'string'
      ? values['ca-file']
      : tls && flags.tls && isSelfSigned(tls.cert)
        ? flags.tls.certFile
        : undefined;
  if (caFile !== undefined) out['ca-file'] = caFile;
  return out;
}

/** `up`'s agent, in the `default` cluster. Failing to start it leaves the API running, and says why. */
async function startLocalAgent(
  plane: ControlPlane,
  flags: ServerFlags,
  credentials: Credentials,
  values: Record<string, string>,
  log: Logger,
): Promise<Agent | undefined> {
  try {
    const { describeMetadataEndpoint, startDockerAgent } = await import('./agent-command.ts');
    const agent = await startDockerAgent({
      endpoint: plane.endpoint,
      region: flags.region,
      credentials,
      dataDir: join(flags.dataDir, 'agent'),
      values,
      log,
      onMetadataEndpoint: (info) => process.stdout.write(describeMetadataEndpoint(info)),
    });
    process.stdout.write(
      `Local agent: container instance ${agent.containerInstanceArn} in cluster default\n`,
    );
    const hint = await walkthroughImageHint();
    if (hint) process.stdout.write(hint);
    return agent;
  } catch (error) {
    process.stdout.write(
      `Local agent not started: ${error instanceof Error ? error.message : String(error)}\n` +
        'The API works; tasks need an agent. Fix the above and restart, or run `longshore agent` separately.\n',
    );
    return undefined;
  }
}

function printBanner(
  mode: string,
  plane: ControlPlane,
  region: string,
  creds: { accessKeyId: string; secretAccessKey: string; source: string },
  ms: number,
): void {
  const lines = [
    `Longshore ${mode === 'up' ? '(embedded)' : 'control plane'} ready in ${Math.round(ms)} ms`,
    `  endpoint:   ${plane.endpoint}`,
    `  region:     ${region}`,
    `  access key: ${creds.accessKeyId}`,
    `  secret key: ${creds.secretAccessKey}   (${creds.source === 'environment' ? 'from LONGSHORE_* environment' : 'kept in the data directory'})`,
    '',
    'Try it (--endpoint-url works with every aws CLI; v2.13+ also reads AWS_ENDPOINT_URL_ECS):',
    `  export AWS_ACCESS_KEY_ID=${creds.accessKeyId} AWS_SECRET_ACCESS_KEY='${creds.secretAccessKey}' AWS_DEFAULT_REGION=${region}`,
    `  aws --endpoint-url ${plane.endpoint} ecs create-cluster --cluster-name demo`,
    `  aws --endpoint-url ${plane.endpoint} ecs list-clusters`,
    ...(plane.endpoint.startsWith('https:')
      ? ['  (a certificate no public CA signed: add --ca-bundle CA.pem, or export AWS_CA_BUNDLE=CA.pem)']
      : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function installShutdown(plane: ControlPlane, agent: Promise<Agent | undefined>, log: ShutdownLog): void {
  const stopMonitor = monitorEventLoop(log);
  exitOnSignals(async () => {
    stopMonitor();
    await (await agent)?.stop();
    await plane.close();
  }, log);
}
