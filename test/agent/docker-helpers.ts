/** Shared setup for the agent tests: a Docker Engine, the test image, engines on temp dirs, cleanup. */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ContainerDefinition, TaskDefinition } from '@aws-sdk/client-ecs';
import Dockerode from 'dockerode';
import pino from 'pino';
import type { TaskAssignment, TaskReport } from '../../src/core/agent-protocol.ts';
import type { TaskEngineOptions } from '../../src/agent/engine/engine-options.ts';
import { DockerRuntime } from '../../src/agent/docker/docker-runtime.ts';
import { INSTANCE_LABEL } from '../../src/agent/engine/naming.ts';
import { readTaskLogs } from '../../src/agent/logs.ts';
import { TaskEngine } from '../../src/agent/engine/task-engine.ts';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
/** ensure-docker waits up to 60 s for a cold daemon; apt-get on a fresh machine takes longer. */
const SETUP_TIMEOUT_MS = 5 * 60_000;

export const TEST_IMAGE = 'longshore-test/busybox:latest';
export const docker = new Dockerode();

let ready: Promise<void> | undefined;

/** Starts Docker if needed and builds the test image, once per test process. */
export function ensureDocker(): Promise<void> {
  ready ??= (async () => {
    await run('bash', [join(ROOT, 'scripts/ensure-docker.sh')], { timeout: SETUP_TIMEOUT_MS });
    await run('bash', [join(ROOT, 'scripts/build-test-images.sh')], { timeout: SETUP_TIMEOUT_MS });
  })();
  return ready;
}

export function uniqueId(): string {
  return randomBytes(8).toString('hex');
}

export function instanceArn(id: string): string {
  return `arn:aws:ecs:us-east-1:000000000000:container-instance/agent-test/${id}`;
}

/** A task assignment for `containers` (image defaults to the test image, essential defaults to ECS's true). */
export function assignment(
  family: string,
  containers: (Partial<ContainerDefinition> & { name: string })[],
  taskDefinition: Partial<TaskDefinition> = {},
): TaskAssignment {
  const id = uniqueId() + uniqueId();
  const defs = containers.map((c) => ({ image: TEST_IMAGE, ...c }));
  return {
    taskArn: `arn:aws:ecs:us-east-1:000000000000:task/agent-test/${id}`,
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/agent-test',
    containerInstanceArn: '',
    taskDefinitionArn: `arn:aws:ecs:us-east-1:000000000000:task-definition/${family}:1`,
    taskDefinition: { family, revision: 1, containerDefinitions: defs, ...taskDefinition },
    overrides: {},
    containers: defs.map((definition) => ({
      name: definition.name,
      containerArn: `arn:aws:ecs:us-east-1:000000000000:container/agent-test/${id}/${definition.name}`,
      definition,
    })),
    desiredStatus: 'RUNNING',
    version: 1,
  };
}

/** Collects reports and waits (bounded) for one that matches. */
export class Reports {
  readonly all: TaskReport[] = [];
  readonly #waiters = new Set<() => void>();

  push(report: TaskReport): void {
    this.all.push(report);
    for (const wake of this.#waiters) wake();
  }

  for(taskArn: string): TaskReport[] {
    return this.all.filter((r) => r.taskArn === taskArn);
  }

  async waitFor(taskArn: string, match: (r: TaskReport) => boolean, timeoutMs = 20_000): Promise<TaskReport> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.for(taskArn).find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        const last = this.for(taskArn).at(-1);
        throw new Error(`timed out waiting for a report of ${taskArn}; last: ${JSON.stringify(last)}`);
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.#waiters.add(wake);
      });
    }
  }

  status(taskArn: string, status: TaskReport['lastStatus'], timeoutMs?: number): Promise<TaskReport> {
    return this.waitFor(taskArn, (r) => r.lastStatus === status, timeoutMs);
  }
}

export interface TestEngine {
  engine: TaskEngine;
  reports: Reports;
  dataDir: string;
  instanceArn: string;
  /** Stops the engine, removes every container and volume it labelled, and its data dir. */
  dispose(): Promise<void>;
}

export const quietLogger = pino({ level: process.env.LONGSHORE_TEST_LOG ?? 'silent' });

export async function startEngine(options: Partial<TaskEngineOptions> = {}): Promise<TestEngine> {
  await ensureDocker();
  const id = uniqueId();
  const arn = options.containerInstanceArn ?? instanceArn(id);
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'longshore-agent-')));
  const engine = new TaskEngine({
    logger: quietLogger,
    imagePullBehavior: 'prefer-cached',
    durableWrites: false,
    metadataEndpoint: { port: 0 },
    // busybox httpd and sleep as PID 1 ignore SIGTERM: keep the SIGKILL fallback short in tests.
    containerStopTimeoutSeconds: 2,
    ...options,
    dataDir,
    containerInstanceArn: arn,
  });
  const reports = new Reports();
  engine.onReport((r) => reports.push(r));
  await engine.start();
  return {
    engine,
    reports,
    dataDir,
    instanceArn: arn,
    async dispose() {
      await engine.stop();
      await removeLabelled(arn);
      await removeTaskCgroups(reports.all.map((r) => r.taskArn));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Force-removes the containers and volumes carrying this agent's instance label. */
export async function removeLabelled(arn: string): Promise<void> {
  const filters = { label: [`${INSTANCE_LABEL}=${arn}`] };
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })));
  const { Volumes } = await docker.listVolumes({ filters });
  await Promise.all((Volumes ?? []).map((v) => docker.getVolume(v.Name).remove()));
}

/** Removes the task cgroups the engine made (its own cleanup runs hours after a task stops). */
export async function removeTaskCgroups(taskArns: string[]): Promise<void> {
  const ids = new Set(taskArns.map((arn) => arn.slice(arn.lastIndexOf('/') + 1)));
  const root = '/sys/fs/cgroup';
  const missing = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT' && error.code !== 'ENOTDIR') throw error;
  };
  for (const controller of await readdir(root)) {
    for (const id of ids) await rmdir(join(root, controller, 'longshore', id)).catch(missing);
  }
}

/**
 * HTTP GET from the host, retried while the connection fails: RUNNING means the container's process
 * started, not that it listens yet (Docker's proxy resets connections until it does).
 */
export async function httpGet(url: string, timeoutMs = 10_000): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
      return { status: res.status, body: await res.text() };
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await sleep(100);
    }
  }
}

/**
 * A task's log lines (`container: text`), read until `done` accepts them or the time is up:
 * dockerd writes json-file logs asynchronously, a moment after the process printed them.
 */
export async function taskLogs(
  taskArn: string,
  done: (lines: string[]) => boolean,
  timeoutMs = 10_000,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines: string[] = [];
    await readTaskLogs({
      runtime: logRuntime,
      task: taskArn,
      onLine: (l) => lines.push(`${l.container}: ${l.text}`),
    });
    if (done(lines) || Date.now() >= deadline) return lines;
    await sleep(200);
  }
}

const logRuntime = new DockerRuntime();

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}
