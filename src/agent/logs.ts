/**
 * Reads (and optionally follows) a task's container logs from Docker's json-file driver, line by
 * line with the container's name, for `longshore logs TASK [--follow]`.
 */
import type { Readable } from 'node:stream';
import type { ContainerRuntime } from './docker/runtime.ts';
import { EcsLabel } from './engine/naming.ts';

export interface LogLine {
  container: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface TaskLogsOptions {
  runtime: ContainerRuntime;
  /** Task ARN, or the task id (the ARN's last segment). */
  task: string;
  follow?: boolean;
  /** Only the last N lines of each container. */
  tail?: number;
  onLine(line: LogLine): void;
  /** Ends following. */
  signal?: AbortSignal;
  /** Containers (by name) read elsewhere (awslogs ones, from CloudWatch Logs). */
  skip?: ReadonlySet<string>;
}

/** The task's containers on this Docker Engine, found by the ECS task-arn label. */
export async function findTaskContainers(
  runtime: ContainerRuntime,
  task: string,
): Promise<{ name: string; id: string }[]> {
  const all = await runtime.listContainers({});
  return all
    .filter((c) => {
      const arn = c.labels[EcsLabel.TaskArn];
      return arn !== undefined && (arn === task || arn.endsWith(`/${task}`));
    })
    .map((c) => ({ name: c.labels[EcsLabel.ContainerName] ?? c.name, id: c.id }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Resolves when every container's log has ended (without `follow`, once all is read); rejects if none exist. */
export async function readTaskLogs(options: TaskLogsOptions): Promise<void> {
  const containers = (await findTaskContainers(options.runtime, options.task)).filter(
    (c) => !options.skip?.has(c.name),
  );
  if (containers.length === 0) {
    if (options.skip?.size) return;
    throw new Error(`no containers found for task ${options.task}`);
  }
  await Promise.all(
    containers.map(async ({ name, id }) => {
      const info = await options.runtime.inspectContainer(id);
      const stream = await options.runtime.containerLogs(id, {
        follow: options.follow ?? false,
        tail: options.tail,
      });
      options.signal?.addEventListener('abort', () => stream.destroy(), { once: true });
      await consume(stream, info?.tty ?? false, (kind, text) =>
        options.onLine({ container: name, stream: kind, text }),
      );
    }),
  );
}

/** Header of Docker's multiplexed stream: [stream type, 0, 0, 0, payload size (uint32 BE)]. */
const HEADER_BYTES = 8;

function consume(
  stream: Readable,
  tty: boolean,
  emit: (kind: 'stdout' | 'stderr', text: string) => void,
): Promise<void> {
  const partial = { stdout: '', stderr: '' };
  const push = (kind: 'stdout' | 'stderr', text: string) => {
    const lines = (partial[kind] + text).split('\n');
    partial[kind] = lines.pop() ?? '';
    for (const line of lines) emit(kind, line);
  };
  let pending = Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      if (tty) return push('stdout', chunk.toString('utf8'));
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= HEADER_BYTES) {
        const size = pending.readUInt32BE(4);
        if (pending.length < HEADER_BYTES + size) break;
        const kind = pending[0] === 2 ? 'stderr' : 'stdout';
        push(kind, pending.subarray(HEADER_BYTES, HEADER_BYTES + size).toString('utf8'));
        pending = pending.subarray(HEADER_BYTES + size);
      }
    });
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      for (const kind of ['stdout', 'stderr'] as const) if (partial[kind]) emit(kind, partial[kind]);
      resolve();
    };
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
  });
}
