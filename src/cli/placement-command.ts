/** `longshore placement explain`: a placement dry run, per instance accepted (with scores) or the rule that rejected it. */
import { parseArgs } from 'node:util';
import type { PlacementConstraint, PlacementStrategy } from '@aws-sdk/client-ecs';
import { callLongshore } from './longshore-call.ts';
import { DEFAULT_PORT, DEFAULT_REGION } from './options.ts';

const USAGE = `usage: longshore placement explain --task-definition TD [--cluster NAME] [--count N] [--group G]
       [--constraint distinctInstance | --constraint 'memberOf:EXPRESSION' ...]
       [--strategy random | --strategy binpack:memory | --strategy spread:attribute:ecs.availability-zone ...]
       [--request-id ID] [--endpoint URL] [--region R] [--json]

Nothing is placed. The same --request-id over the same cluster state gives the same answer, so
a RunTask decision can be replayed (RunTask seeds its decision with its x-amzn-RequestId).`;

export async function placementCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      'task-definition': { type: 'string' },
      cluster: { type: 'string' },
      count: { type: 'string' },
      group: { type: 'string' },
      constraint: { type: 'string', multiple: true },
      strategy: { type: 'string', multiple: true },
      'request-id': { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (sub !== 'explain' || values.help || !values['task-definition']) {
    console.log(USAGE);
    if (!values.help) process.exitCode = 2;
    return;
  }
  const body = {
    taskDefinition: values['task-definition'],
    cluster: values.cluster,
    count: values.count === undefined ? undefined : Number(values.count),
    group: values.group,
    requestId: values['request-id'],
    placementConstraints: (values.constraint ?? []).map(parseConstraint),
    placementStrategy: (values.strategy ?? []).map(parseStrategy),
  };
  const out = await callLongshore(
    'ExplainPlacement',
    values.endpoint ?? `http://127.0.0.1:${DEFAULT_PORT}`,
    values.region ?? DEFAULT_REGION,
    body,
  );
  if (values.json) {
    console.log(JSON.stringify(out, null, 2));
    return;
  }
  printExplanation(out as Explanation);
}

interface Explanation {
  requestId: string;
  acceptedCount: number;
  instances: {
    containerInstanceArn: string;
    type: string;
    reason?: string;
    detail?: string;
    scores?: number[];
    rank?: number;
  }[];
  placements: { containerInstanceArn: string }[];
  failures: { reason: string; detail: string }[];
}

function printExplanation(e: Explanation): void {
  console.log(`request id ${e.requestId}: ${e.acceptedCount} of ${e.instances.length} instances accepted`);
  const rows = [...e.instances].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9));
  for (const i of rows) {
    const id = i.containerInstanceArn.split('/').pop();
    if (i.type === 'accepted')
      console.log(`  #${i.rank}  ${id}  accepted  scores [${(i.scores ?? []).join(', ')}]`);
    else console.log(`  --  ${id}  rejected  ${i.reason}: ${i.detail}`);
  }
  for (const p of e.placements) console.log(`would place on ${p.containerInstanceArn}`);
  for (const f of e.failures) console.log(`would fail: ${f.reason} (${f.detail})`);
}

function parseConstraint(text: string): PlacementConstraint {
  const colon = text.indexOf(':');
  if (colon < 0) return { type: text as PlacementConstraint['type'] };
  return { type: text.slice(0, colon) as PlacementConstraint['type'], expression: text.slice(colon + 1) };
}

function parseStrategy(text: string): PlacementStrategy {
  const colon = text.indexOf(':');
  if (colon < 0) return { type: text as PlacementStrategy['type'] };
  return { type: text.slice(0, colon) as PlacementStrategy['type'], field: text.slice(colon + 1) };
}
