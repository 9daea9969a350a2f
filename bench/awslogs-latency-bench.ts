/**
 * Container line -> visible in CloudWatch Logs, on real Docker: a task prints a line every 100 ms
 * through Docker's awslogs driver (pointed at Longshore, as tasks' awslogs configurations are),
 * in the default `blocking` mode and in `non-blocking` mode; then every event's `ingestionTime`
 * (when Longshore stored it, readable at once by GetLogEvents) minus its `timestamp` (when Docker
 * read the line from the container) gives the latency, p50/p99 per mode.
 *
 *   node_modules/.bin/node --disable-warning=ExperimentalWarning bench/awslogs-latency-bench.ts [--seconds 30]
 */
import { parseArgs } from 'node:util';
import {
  CloudWatchLogsClient,
  GetLogEventsCommand,
  type OutputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { startTestAgent, waitFor } from '../test/support/agents.ts';
import { startTestPlane, TEST_CREDENTIALS } from '../test/support/control-plane.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '30' } } });
const SECONDS = Number(values.seconds);
const MODES = ['blocking', 'non-blocking'] as const;

const t = await startTestPlane();
const agent = await startTestAgent(t, { cluster: 'default' });
const logs = new CloudWatchLogsClient({
  endpoint: t.plane.endpoint,
  region: 'us-east-1',
  credentials: TEST_CREDENTIALS,
  maxAttempts: 1,
});

try {
  const tasks = new Map<string, string>();
  for (const mode of MODES) {
    const td = await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: `latency-${mode}`,
        containerDefinitions: [
          {
            name: 'talker',
            image: 'longshore-test/busybox:latest',
            memory: 32,
            stopTimeout: 1,
            command: ['sh', '-c', 'i=0; while :; do echo "line $i"; i=$((i+1)); usleep 100000; done'],
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': '/bench/latency',
                'awslogs-region': 'us-east-1',
                'awslogs-stream-prefix': mode,
                'awslogs-create-group': 'true',
                ...(mode === 'non-blocking' ? { mode: 'non-blocking', 'max-buffer-size': '4m' } : {}),
              },
            },
          },
        ],
      }),
    );
    const run = await t.ecs.send(
      new RunTaskCommand({ taskDefinition: td.taskDefinition?.taskDefinitionArn }),
    );
    tasks.set(mode, run.tasks?.[0]?.taskArn ?? '');
  }
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  for (const [mode, taskArn] of tasks) {
    await t.ecs.send(new StopTaskCommand({ task: taskArn }));
    const stream = `${mode}/talker/${taskArn.split('/').pop()}`;
    // The driver flushes what it holds when the container stops.
    const events = await waitFor(
      `${mode}: the events of the stream`,
      async () => {
        const all: OutputLogEvent[] = [];
        let token: string | undefined;
        for (;;) {
          const out = await logs
            .send(
              new GetLogEventsCommand({
                logGroupName: '/bench/latency',
                logStreamName: stream,
                startFromHead: true,
                ...(token ? { nextToken: token } : {}),
              }),
            )
            .catch(() => undefined);
          if (!out) return undefined;
          all.push(...(out.events ?? []));
          if (!out.nextForwardToken || out.nextForwardToken === token) break;
          token = out.nextForwardToken;
        }
        return all.length >= SECONDS * 5 ? all : undefined;
      },
      30_000,
      500,
    );
    const latencies = events.map((e) => (e.ingestionTime ?? 0) - (e.timestamp ?? 0)).sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    console.log(
      `${mode}: ${latencies.length} lines over ${SECONDS} s; line -> visible p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${latencies.at(-1)} ms`,
    );
  }
} finally {
  logs.destroy();
  await agent.stop();
  await t.stop();
}
