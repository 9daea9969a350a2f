/** `longshore logs TASK [--follow] [--tail N]`: a task's container logs from the local Docker Engine. */
import { parseArgs } from 'node:util';
import { DockerRuntime } from '../agent/docker/docker-runtime.ts';
import { readTaskLogs } from '../agent/logs.ts';

const USAGE = `usage: longshore logs TASK [--follow] [--tail N]

TASK is a task ARN or id. Reads the logs of the task's containers on this host's Docker Engine,
each line prefixed with its container name.`;

export async function logsCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      follow: { type: 'boolean', short: 'f' },
      tail: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.log(USAGE);
    if (!values.help) process.exitCode = 2;
    return;
  }
  const tail = values.tail === undefined ? undefined : Number(values.tail);
  if (tail !== undefined && (!Number.isInteger(tail) || tail < 0))
    throw new Error(`--tail must be a whole number, got '${values.tail}'`);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  await readTaskLogs({
    runtime: new DockerRuntime(),
    task: positionals[0],
    follow: values.follow ?? false,
    tail,
    signal: controller.signal,
    onLine: (line) =>
      (line.stream === 'stderr' ? process.stderr : process.stdout).write(
        `${line.container} | ${line.text}\n`,
      ),
  });
}
