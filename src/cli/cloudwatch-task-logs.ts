/**
 * A task's awslogs output read back from Longshore's CloudWatch Logs, for `longshore logs`: the
 * stream of each awslogs container (`prefix/container/task-id`, as the agent names them), read
 * with FilterLogEvents (time range, filter pattern), and followed by polling once a second the
 * way `aws logs tail --follow` does. Events are printed once (by event id).
 */
import type { ContainerDefinition, TaskDefinition } from '@aws-sdk/client-ecs';

export interface AwslogsStream {
  container: string;
  group: string;
  region: string;
  stream: string;
}

/** The awslogs containers of a task that name their streams (an `awslogs-stream-prefix`). */
export function awslogsStreams(taskArn: string, td: TaskDefinition): AwslogsStream[] {
  const taskId = taskArn.split('/').pop() ?? '';
  return (td.containerDefinitions ?? []).flatMap((c: ContainerDefinition) => {
    const log = c.logConfiguration;
    const prefix = log?.options?.['awslogs-stream-prefix'];
    const group = log?.options?.['awslogs-group'];
    if (log?.logDriver !== 'awslogs' || !prefix || !group) return [];
    return [
      {
        container: c.name ?? '',
        group,
        region: log.options?.['awslogs-region'] ?? '',
        stream: `${prefix}/${c.name}/${taskId}`,
      },
    ];
  });
}

export interface CloudWatchLogsReadOptions {
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  streams: readonly AwslogsStream[];
  /** Epoch ms; events from then on. */
  since?: number;
  filterPattern?: string;
  follow: boolean;
  signal: AbortSignal;
  onLine(container: string, timestamp: number, message: string): void;
}

const POLL_MS = 1_000;

export async function readCloudWatchTaskLogs(o: CloudWatchLogsReadOptions): Promise<void> {
  const { CloudWatchLogsClient, FilterLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  const clients = new Map<string, InstanceType<typeof CloudWatchLogsClient>>();
  const clientFor = (region: string) => {
    let c = clients.get(region);
    if (!c) {
      c = new CloudWatchLogsClient({
        endpoint: o.endpoint,
        region,
        credentials: o.credentials,
        maxAttempts: 2,
      });
      clients.set(region, c);
    }
    return c;
  };
  // One FilterLogEvents per log group, over that group's streams of the task.
  const groups = new Map<string, AwslogsStream[]>();
  for (const s of o.streams)
    groups.set(`${s.region}|${s.group}`, [...(groups.get(`${s.region}|${s.group}`) ?? []), s]);
  const seen = new Set<string>();
  let from = o.since;
  try {
    for (;;) {
      let newest = from ?? 0;
      for (const streams of groups.values()) {
        const { region, group } = streams[0];
        const byStream = new Map(streams.map((s) => [s.stream, s.container]));
        let nextToken: string | undefined;
        do {
          const out = await clientFor(region).send(
            new FilterLogEventsCommand({
              logGroupName: group,
              logStreamNames: streams.map((s) => s.stream),
              ...(from !== undefined ? { startTime: from } : {}),
              ...(o.filterPattern ? { filterPattern: o.filterPattern } : {}),
              ...(nextToken ? { nextToken } : {}),
            }),
            { abortSignal: o.signal },
          );
          for (const e of out.events ?? []) {
            const id = e.eventId ?? `${e.logStreamName}/${e.timestamp}/${e.message}`;
            if (seen.has(id)) continue;
            seen.add(id);
            newest = Math.max(newest, e.timestamp ?? 0);
            o.onLine(
              byStream.get(e.logStreamName ?? '') ?? e.logStreamName ?? '',
              e.timestamp ?? 0,
              e.message ?? '',
            );
          }
          nextToken = out.nextToken;
        } while (nextToken && !o.signal.aborted);
      }
      if (!o.follow || o.signal.aborted) return;
      // Ask again from the newest event seen (events of that millisecond are deduplicated by id).
      from = newest || from;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        o.signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
      if (o.signal.aborted) return;
    }
  } catch (error) {
    if (o.signal.aborted) return;
    throw error;
  } finally {
    for (const c of clients.values()) c.destroy();
  }
}
