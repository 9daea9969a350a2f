/**
 * EventBridge pattern matching throughput: events/s matched against a bus of N rules on one core
 * (issue target: >= 10,000 events/s with 1,000 rules).
 *
 *   node_modules/.bin/node bench/event-patterns-bench.ts [--rules 1000] [--events 200000]
 *
 * Rules: 90 % name one of 50 sources (as ECS-style rules do) with detail-type and detail
 * conditions (exact, prefix, numeric, anything-but); 10 % have no source (tried on every event).
 * Events: ECS task state changes and others, from the same 50 sources.
 */
import { parseArgs } from 'node:util';
import { compilePattern } from '../src/events/pattern/compile-pattern.ts';
import { RuleIndex } from '../src/events/pattern/rule-index.ts';

const { values } = parseArgs({ options: { rules: { type: 'string' }, events: { type: 'string' } } });
const RULES = Number(values.rules ?? 1000);
const EVENTS = Number(values.events ?? 200_000);
const SOURCES = Array.from({ length: 50 }, (_, i) => (i === 0 ? 'aws.ecs' : `custom.app${i}`));
let seed = 42;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];

const index = new RuleIndex<number>();
for (let r = 0; r < RULES; r++) {
  const detail = {
    lastStatus: [pick(['STOPPED', 'RUNNING', 'PENDING'])],
    stoppedReason: [{ prefix: pick(['Essential container', 'Task stopped', 'Scaling']) }],
    cpu: [{ numeric: ['>=', Math.floor(rand() * 1024)] }],
    group: [{ 'anything-but': { prefix: 'family:' } }],
  };
  const pattern =
    rand() < 0.9
      ? { source: [pick(SOURCES)], 'detail-type': ['ECS Task State Change'], detail }
      : {
          'detail-type': [pick(['ECS Task State Change', 'ECS Service Action'])],
          detail: { lastStatus: detail.lastStatus },
        };
  index.set(r, compilePattern(pattern));
}
const events = Array.from({ length: 1000 }, () => ({
  version: '0',
  id: 'x',
  'detail-type': pick(['ECS Task State Change', 'ECS Service Action']),
  source: pick(SOURCES),
  account: '000000000000',
  time: '2026-11-29T00:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:ecs:us-east-1:000000000000:task/default/abc'],
  detail: {
    lastStatus: pick(['STOPPED', 'RUNNING', 'PENDING']),
    stoppedReason: pick([
      'Essential container in task exited',
      'Task stopped by user',
      'Scaling activity initiated',
    ]),
    cpu: Math.floor(rand() * 2048),
    group: pick(['service:web', 'family:batch']),
    containers: [{ name: 'web', exitCode: 1 }],
  },
}));
let matched = 0;
const t0 = performance.now();
for (let i = 0; i < EVENTS; i++) matched += index.match(events[i % events.length]).length;
const seconds = (performance.now() - t0) / 1000;
console.log(
  `${RULES} rules, ${EVENTS} events in ${seconds.toFixed(2)} s: ${Math.round(EVENTS / seconds).toLocaleString('en-US')} events/s matched on one core (${matched} rule matches)`,
);
