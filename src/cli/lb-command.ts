/** `longshore lb listeners [NAME]`: where each load balancer listener listens on this host (DescribeListenerAddresses). */
import { parseArgs } from 'node:util';
import type { ListenerAddress } from '../longshore-api/describe-listener-addresses.ts';
import { callLongshore } from './longshore-call.ts';
import { DEFAULT_PORT, DEFAULT_REGION } from './options.ts';

const USAGE = `usage: longshore lb listeners [LOAD_BALANCER_NAME] [--endpoint URL] [--region R] [--json|--url]

Each listener's DNS name and port as ELBv2 knows them, and where it listens on this host: the
same port when it was free, another one when it was taken or needs privileges Longshore lacks.
--url prints only the URLs (one per line), for scripts: curl "$(longshore lb listeners web --url)"`;

export async function lbCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      endpoint: { type: 'string' },
      region: { type: 'string' },
      json: { type: 'boolean' },
      url: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (sub !== 'listeners' || values.help || positionals.length > 1) {
    console.log(USAGE);
    if (!values.help) process.exitCode = 2;
    return;
  }
  const out = (await callLongshore(
    'DescribeListenerAddresses',
    values.endpoint ?? process.env.LONGSHORE_ENDPOINT ?? `http://127.0.0.1:${DEFAULT_PORT}`,
    values.region ?? process.env.AWS_REGION ?? DEFAULT_REGION,
    positionals[0] ? { loadBalancerName: positionals[0] } : {},
  )) as { listeners: ListenerAddress[] };
  if (values.json) {
    console.log(JSON.stringify(out, null, 2));
    return;
  }
  if (values.url) {
    for (const l of out.listeners) if (l.url) console.log(l.url);
    return;
  }
  if (out.listeners.length === 0) {
    console.log('no listeners');
    return;
  }
  for (const l of out.listeners) {
    const where = l.error
      ? `cannot listen: ${l.error}`
      : l.hostPort === undefined
        ? 'starting'
        : `${l.url}  (listens on ${l.hostAddress}:${l.hostPort})`;
    console.log(`${l.loadBalancerName}  ${l.protocol} ${l.port}  ${where}`);
  }
}
