/**
 * Rolling deployment benchmark (target: 100 tasks, min 100% / max 200%, health 5 s x 2, <= 30 s
 * simulated, <= 2 min on one real host). Times UpdateService to the PRIMARY deployment's
 * rolloutState COMPLETED (one deployment left, every task of the new revision healthy).
 *
 * 1. Simulated: 100 tasks on 20 SIMULATED agents whose containers pass their health check 10 s
 *    after RUNNING (a 5 s interval, 2 checks). Baseline: that health delay alone, the floor any
 *    rollout that waits for health must pay.
 * 2. Real Docker, one host: 10 BusyBox httpd tasks with a `wget` health check every 5 s.
 *    Baseline in the same run: `docker run` of 10 such containers and the wait until Docker
 *    reports all of them healthy.
 *
 *   node_modules/.bin/node bench/deployment-bench.ts [--tasks 100] [--docker-tasks 10] [--skip-docker]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import {
  type ContainerDefinition,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { pino } from 'pino';
import { startSimulatedAgents } from '../src/agent/simulated/start-simulated-agents.ts';
import { startDockerAgent } from '../src/cli/agent-command.ts';
import { startControlPlane } from '../src/cli/control-plane.ts';
import { BENCH_CREDENTIALS } from './support.ts';

const { values } = parseArgs({
  options: {
    tasks: { type: 'string' },
    'docker-tasks': { type: 'string' },
    'skip-docker': { type: 'boolean' },
  },
});
const TASKS = Number(values.tasks ?? 100);
const DOCKER_TASKS = Number(values['docker-tasks'] ?? 10);
const HEALTH_INTERVAL_S = 5;
const HEALTH_CHECKS = 2;
const SIM_HEALTHY_AFTER_MS = HEALTH_INTERVAL_S * HEALTH_CHECKS * 1000;
const TARGET_SIM_S = 30;
const TARGET_DOCKER_S = 120;
const IMAGE = 'longshore-test/busybox:latest';
const config = { minimumHealthyPercent: 100, maximumPercent: 200 };

const log = pino({ level: 'warn' });
const sim = await simulated();
const docker = values['skip-docker'] ? undefined : await realDocker();
console.log('\n== rolling deployment, min 100% / max 200%');
console.log(
  `simulated: ${TASKS} tasks -> COMPLETED in ${sim.toFixed(1)} s (target <= ${TARGET_SIM_S} s); ` +
    `health floor ${SIM_HEALTHY_AFTER_MS / 1000} s, ratio ${(sim / (SIM_HEALTHY_AFTER_MS / 1000)).toFixed(2)}x`,
);
if (docker) {
  console.log(
    `real Docker: ${DOCKER_TASKS} tasks -> COMPLETED in ${docker.rollout.toFixed(1)} s (target <= ${TARGET_DOCKER_S} s); ` +
      `docker run + healthy baseline ${docker.baseline.toFixed(1)} s, ratio ${(docker.rollout / docker.baseline).toFixed(2)}x`,
  );
}
process.exit(0);

async function plane() {
  const dataDir = mkdtempSync(join(tmpdir(), 'longshore-deploy-bench-'));
  const p = await startControlPlane({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    region: 'us-east-1',
    accountId: '000000000000',
    credentials: { ...BENCH_CREDENTIALS, source: 'environment' },
    throttle: 0,
    motoReset: false,
    log,
  });
  const ecs = new ECSClient({ endpoint: p.endpoint, region: 'us-east-1', credentials: BENCH_CREDENTIALS });
  return {
    p,
    ecs,
    async close() {
      ecs.destroy();
      await p.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates `web` (revision 1), waits for it, then times the rollout to revision 2. */
async function rollout(
  ecs: ECSClient,
  cluster: string,
  count: number,
  container: (v: string) => ContainerDefinition,
) {
  for (const v of ['1', '2'])
    await ecs.send(
      new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [container(v)] }),
    );
  await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: 'web',
      taskDefinition: 'web:1',
      desiredCount: count,
      deploymentConfiguration: config,
    }),
  );
  const created = performance.now();
  await completed(ecs, cluster, 600_000);
  console.log(
    `  created ${count} tasks: COMPLETED in ${((performance.now() - created) / 1000).toFixed(1)} s`,
  );
  const started = performance.now();
  await ecs.send(new UpdateServiceCommand({ cluster, service: 'web', taskDefinition: 'web:2' }));
  await completed(ecs, cluster, 600_000);
  return (performance.now() - started) / 1000;
}

async function completed(ecs: ECSClient, cluster: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const s = (await ecs.send(new DescribeServicesCommand({ cluster, services: ['web'] }))).services?.[0];
    if (s?.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no COMPLETED deployment within ${timeoutMs} ms`);
}

async function simulated(): Promise<number> {
  console.log(`simulated: ${TASKS} tasks on ${Math.max(5, TASKS / 5)} simulated agents`);
  const { p, ecs, close } = await plane();
  const agents = await startSimulatedAgents({
    endpoint: p.endpoint,
    cluster: 'bench',
    region: 'us-east-1',
    credentials: BENCH_CREDENTIALS,
    count: Math.max(5, TASKS / 5),
    profile: { startMs: 300, stopDelayMs: 100, healthDelayMs: SIM_HEALTHY_AFTER_MS },
  });
  try {
    return await rollout(ecs, 'bench', TASKS, (v) => ({
      name: 'web',
      image: `bench/web:${v}`,
      memory: 64,
      essential: true,
      healthCheck: { command: ['CMD-SHELL', 'true'], interval: HEALTH_INTERVAL_S, retries: HEALTH_CHECKS },
    }));
  } finally {
    await agents.stop();
    await close();
  }
}

async function realDocker(): Promise<{ rollout: number; baseline: number }> {
  console.log(`real Docker: ${DOCKER_TASKS} tasks on one host`);
  const baseline = await dockerBaseline();
  const { p, ecs, close } = await plane();
  await ecs.send(new CreateClusterCommand({ clusterName: 'default' }));
  const dataDir = mkdtempSync(join(tmpdir(), 'longshore-deploy-bench-agent-'));
  const agent = await startDockerAgent({
    endpoint: p.endpoint,
    region: 'us-east-1',
    credentials: BENCH_CREDENTIALS,
    dataDir,
    values: { 'metadata-port': '0', 'cleanup-wait': '10s' },
    log,
  });
  try {
    const seconds = await rollout(ecs, 'default', DOCKER_TASKS, (v) => ({
      name: 'web',
      image: IMAGE,
      memory: 32,
      essential: true,
      command: ['httpd', '-f', '-p', '80', '-h', '/www'],
      environment: [{ name: 'VERSION', value: v }],
      portMappings: [{ containerPort: 80, hostPort: 0 }],
      healthCheck: {
        command: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1/ || exit 1'],
        interval: HEALTH_INTERVAL_S,
        retries: HEALTH_CHECKS,
      },
      stopTimeout: 2,
    }));
    await ecs.send(new UpdateServiceCommand({ cluster: 'default', service: 'web', desiredCount: 0 }));
    await new Promise((r) => setTimeout(r, 4_000));
    return { rollout: seconds, baseline };
  } finally {
    await agent.stop();
    await close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `docker run -d` of the same containers with the same health check, until Docker says all are healthy. */
async function dockerBaseline(): Promise<number> {
  const run = promisify(execFile);
  const names = Array.from({ length: DOCKER_TASKS }, (_, i) => `longshore-deploy-bench-${process.pid}-${i}`);
  const started = performance.now();
  await Promise.all(
    names.map((name) =>
      run('docker', [
        'run',
        '-d',
        '--name',
        name,
        '-p',
        '80',
        '--memory',
        '32m',
        '--health-cmd',
        'wget -q -O /dev/null http://127.0.0.1/ || exit 1',
        '--health-interval',
        `${HEALTH_INTERVAL_S}s`,
        '--health-retries',
        String(HEALTH_CHECKS),
        IMAGE,
        'httpd',
        '-f',
        '-p',
        '80',
        '-h',
        '/www',
      ]),
    ),
  );
  try {
    for (;;) {
      const { stdout } = await run('docker', ['inspect', '-f', '{{.State.Health.Status}}', ...names]);
      if (
        stdout
          .trim()
          .split('\n')
          .every((s) => s === 'healthy')
      )
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`  docker baseline: ${DOCKER_TASKS} containers healthy in ${seconds.toFixed(1)} s`);
    return seconds;
  } finally {
    await run('docker', ['rm', '-f', ...names]);
  }
}
