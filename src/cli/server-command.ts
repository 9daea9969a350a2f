/** `longshore up` and `longshore server`: start the control plane (and, for `up`, a local agent). */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { type ControlPlane, startControlPlane } from './control-plane.ts';
import { loadCredentials } from './credentials.ts';
import { join } from 'node:path';
import type { Agent } from '../agent/agent.ts';
import { readServerFlags, serverFlags } from './options.ts';

const USAGE = `usage: longshore up|server [--port N] [--host ADDR] [--data-dir DIR] [--region R]
                 [--account-id ID] [--throttle X] [--stopped-task-retention 24h] [--log-level L]
       longshore up ... [--no-agent]   (control plane only, but with the embedded-mode reset endpoint)`;

export async function serverCommand(mode: 'up' | 'server', argv: string[]): Promise<void> {
  const { values: parsed } = parseArgs({
    args: argv,
    options: { ...serverFlags, 'no-agent': { type: 'boolean' } },
    strict: true,
  });
  if (mode === 'server' && parsed['no-agent']) throw new Error('--no-agent is a flag of `longshore up`');
  const values = parsed as Record<string, string | boolean | undefined>;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const flags = readServerFlags(values, process.env, mode);
  const log = pino({ level: flags.logLevel }, pino.destination(2));
  const credentials = loadCredentials(flags.dataDir, process.env);
  const plane = await startControlPlane({
    dataDir: flags.dataDir,
    host: flags.host,
    port: flags.port,
    region: flags.region,
    accountId: flags.accountId,
    credentials,
    throttle: flags.throttle,
    embedded: mode === 'up',
    stoppedTaskRetentionMs: flags.stoppedTaskRetentionMs,
    log,
  });
  printBanner(mode, plane, flags.region, credentials, performance.now() /* since this process started */);
  let agent: Agent | undefined;
  if (mode === 'up' && !values['no-agent']) {
    try {
      const { startDockerAgent } = await import('./agent-command.ts');
      agent = await startDockerAgent({
        endpoint: plane.endpoint,
        region: flags.region,
        credentials,
        dataDir: join(flags.dataDir, 'agent'),
        values: {},
        log,
      });
      process.stdout.write(
        `Local agent: container instance ${agent.containerInstanceArn} in cluster default\n`,
      );
    } catch (error) {
      process.stdout.write(
        `Local agent not started: ${error instanceof Error ? error.message : String(error)}\n` +
          'The API works; tasks need an agent. Fix the above and restart, or run `longshore agent` separately.\n',
      );
    }
  }
  installShutdown(plane, agent, log);
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
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function installShutdown(
  plane: ControlPlane,
  agent: Agent | undefined,
  log: { info(msg: string): void },
): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info(`${signal}: shutting down`);
    (agent?.stop() ?? Promise.resolve())
      .then(() => plane.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
