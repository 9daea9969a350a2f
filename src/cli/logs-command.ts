/**
 * `longshore logs TASK [--follow] [--tail N] [--since 10m] [--filter PATTERN]`: a task's container
 * logs. Containers with the awslogs driver are read from Longshore's CloudWatch Logs (from any
 * host); the others from this host's Docker Engine (json-file).
 */
import { parseArgs } from 'node:util';
import { DockerRuntime } from '../agent/docker/docker-runtime.ts';
import { findTaskContainers, readTaskLogs } from '../agent/logs.ts';
import { type AwslogsStream, awslogsStreams, readCloudWatchTaskLogs } from './cloudwatch-task-logs.ts';
import { DEFAULT_PORT, DEFAULT_REGION, parseDuration } from './options.ts';

const USAGE = `usage: longshore logs TASK [--follow] [--tail N] [--since 10m] [--filter PATTERN]
                          [--cluster NAME] [--endpoint URL] [--region R]

TASK is a task ARN or id. Each line is prefixed with its container's name. Containers that log
with awslogs are read from Longshore's CloudWatch Logs (their streams prefix/container/task-id;
--since and --filter, a CloudWatch Logs filter pattern, apply to them); the others from this
host's Docker Engine (--tail applies to them). --follow keeps reading until Ctrl-C.`;

export async function logsCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      follow: { type: 'boolean', short: 'f' },
      tail: { type: 'string' },
      since: { type: 'string' },
      filter: { type: 'string' },
      cluster: { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
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
  const since = values.since === undefined ? undefined : Date.now() - parseDuration(values.since);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const task = positionals[0];
  const endpoint = values.endpoint ?? process.env.LONGSHORE_ENDPOINT ?? `http://127.0.0.1:${DEFAULT_PORT}`;
  const region = values.region ?? process.env.AWS_REGION ?? process.env.LONGSHORE_REGION ?? DEFAULT_REGION;
  const credentials = envCredentials();
  const cloud = credentials
    ? await awslogsOfTask(endpoint, region, credentials, values.cluster, task).catch(() => [])
    : [];
  const readers: Promise<void>[] = [];
  if (cloud.length > 0 && credentials) {
    readers.push(
      readCloudWatchTaskLogs({
        endpoint,
        credentials,
        streams: cloud,
        ...(since !== undefined ? { since } : {}),
        ...(values.filter ? { filterPattern: values.filter } : {}),
        follow: values.follow ?? false,
        signal: controller.signal,
        onLine: (container, _at, message) =>
          process.stdout.write(`${container} | ${message.replace(/\n$/, '')}\n`),
      }),
    );
  }
  const fromCloud = new Set(cloud.map((s) => s.container));
  const runtime = new DockerRuntime();
  const local = await findTaskContainers(runtime, task).catch(() => []);
  if (local.some((c) => !fromCloud.has(c.name)) || cloud.length === 0) {
    readers.push(
      readTaskLogs({
        runtime,
        task,
        follow: values.follow ?? false,
        tail,
        signal: controller.signal,
        skip: fromCloud,
        onLine: (line) =>
          (line.stream === 'stderr' ? process.stderr : process.stdout).write(
            `${line.container} | ${line.text}\n`,
          ),
      }),
    );
  }
  await Promise.all(readers);
}

function envCredentials(): { accessKeyId: string; secretAccessKey: string } | undefined {
  const env = process.env;
  const accessKeyId = env.LONGSHORE_ACCESS_KEY_ID ?? env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.LONGSHORE_SECRET_ACCESS_KEY ?? env.AWS_SECRET_ACCESS_KEY;
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
}

/** The awslogs streams of the task's containers, from DescribeTasks and DescribeTaskDefinition. */
async function awslogsOfTask(
  endpoint: string,
  region: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  cluster: string | undefined,
  task: string,
): Promise<AwslogsStream[]> {
  const { DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient } = await import(
    '@aws-sdk/client-ecs'
  );
  const ecs = new ECSClient({ endpoint, region, credentials, maxAttempts: 1 });
  try {
    const clusterName = cluster ?? (task.startsWith('arn:') ? task.split('/').slice(-2, -1)[0] : undefined);
    const got = await ecs.send(
      new DescribeTasksCommand({ ...(clusterName ? { cluster: clusterName } : {}), tasks: [task] }),
    );
    const found = got.tasks?.[0];
    if (!found?.taskDefinitionArn || !found.taskArn) return [];
    const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: found.taskDefinitionArn }));
    return td.taskDefinition ? awslogsStreams(found.taskArn, td.taskDefinition) : [];
  } finally {
    ecs.destroy();
  }
}
