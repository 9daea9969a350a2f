/** `longshore spot interrupt TASK`: a Fargate Spot interruption on demand (InterruptSpotTask), to test a task's handling of one. */
import { parseArgs } from 'node:util';
import { callLongshore } from './longshore-call.ts';
import { DEFAULT_PORT, DEFAULT_REGION } from './options.ts';

const USAGE = `usage: longshore spot interrupt TASK [--cluster NAME] [--endpoint URL] [--region R] [--json]

Does to a FARGATE_SPOT task what a Spot interruption does on AWS: stop code SpotInterruption,
reason "Your Spot Task was interrupted.", SIGTERM to its containers and their stopTimeout before
SIGKILL; a service starts a replacement.`;

export async function spotCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      cluster: { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (sub !== 'interrupt' || values.help || positionals.length !== 1) {
    console.log(USAGE);
    if (!values.help) process.exitCode = 2;
    return;
  }
  const out = (await callLongshore(
    'InterruptSpotTask',
    values.endpoint ?? `http://127.0.0.1:${DEFAULT_PORT}`,
    values.region ?? DEFAULT_REGION,
    { cluster: values.cluster, task: positionals[0] },
  )) as { task: { taskArn?: string; desiredStatus?: string; stopCode?: string } };
  if (values.json) {
    console.log(JSON.stringify(out, null, 2));
    return;
  }
  console.log(`${out.task.taskArn}: desired ${out.task.desiredStatus}, stop code ${out.task.stopCode}`);
}
