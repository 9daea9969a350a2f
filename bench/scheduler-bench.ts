/**
 * Scheduler benchmark: single-task decisions on simulated clusters of 500, 1,000 and 5,000
 * instances (3 AZs, 4 instance types, a custom `stack` attribute, ~20% of memory pre-filled) with
 * binpack(memory) + spread(attribute:ecs.availability-zone) + memberOf(instance-type =~ ...).
 * Each placement is applied to the snapshot before the next decision, so later decisions see
 * earlier ones. Prints placements/s (wall clock, and per second of process CPU time, which holds
 * on a busy machine), p50/p99 decision latency per size, and the 5000/500 ratio.
 *
 *   node_modules/.bin/node bench/scheduler-bench.ts [decisions=10000]
 */
import { seededRng } from '../src/core/clock.ts';
import type { PlacementStrategy } from '@aws-sdk/client-ecs';
import {
  applyPlan,
  type ClusterSnapshot,
  DEFAULT_SERVICE_STRATEGY,
  type InstanceSnapshot,
  type PlacementRequest,
  place,
  type TaskOnInstance,
} from '../src/scheduler/index.ts';

const DECISIONS = Number(process.argv[2] ?? 10_000);
const SIZES = [500, 1_000, 5_000];
const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
/** [type, CPU units, MiB registered (total minus the agent's reservation)]. */
const TYPES: [string, number, number][] = [
  ['t3.large', 2048, 7680],
  ['m5.xlarge', 4096, 15_616],
  ['c5.2xlarge', 8192, 15_360],
  ['r5.xlarge', 4096, 31_488],
];
const TASK_SIZES = [128, 256, 512, 1024];

/** A simulated cluster; the RNG makes every run build the same one. */
function buildCluster(size: number): ClusterSnapshot {
  const rng = seededRng(`cluster-${size}`);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng.next() * list.length)];
  const instances: InstanceSnapshot[] = [];
  for (let n = 0; n < size; n++) {
    const [type, cpu, memory] = pick(TYPES);
    const id = (n + 1).toString(16).padStart(32, '0');
    const tasks: TaskOnInstance[] = [];
    let used = 0;
    while (used < memory * 0.2) {
      const mem = pick(TASK_SIZES);
      used += mem;
      tasks.push({
        taskArn: `arn:aws:ecs:us-east-1:123456789012:task/bench/${n}-${tasks.length}`,
        group: pick(['service:api', 'service:worker', 'family:batch']),
        family: 'prefill',
        desiredStatus: 'RUNNING',
        lastStatus: 'RUNNING',
        cpu: mem / 4,
        memory: mem,
        gpu: 0,
        tcpPorts: [],
        udpPorts: [],
      });
    }
    instances.push({
      arn: `arn:aws:ecs:us-east-1:123456789012:container-instance/bench/${id}`,
      id,
      ec2InstanceId: `i-${(n + 1).toString(16).padStart(17, '0')}`,
      status: 'ACTIVE',
      agentConnected: true,
      agentVersion: '1.80.0',
      registeredAt: 1_700_000_000_000 + n * 1000,
      attributes: {
        'ecs.instance-type': type,
        'ecs.availability-zone': AZS[n % AZS.length],
        'ecs.os-type': 'linux',
        'ecs.cpu-architecture': 'x86_64',
        'ecs.ami-id': 'ami-0abcdef1234567890',
        stack: pick(['prod', 'staging']),
      },
      registered: { cpu, memory, tcpPorts: [22, 2375, 2376, 51678, 51679], udpPorts: [], gpuIds: [] },
      tasks,
      runningTasksCount: tasks.length,
      pendingTasksCount: 0,
    });
  }
  return { instances };
}

/** The measured chain; the scan rows swap in another strategy to show the full-scan path's cost. */
const BENCH_STRATEGY: PlacementStrategy[] = [
  { type: 'binpack', field: 'memory' },
  { type: 'spread', field: 'attribute:ecs.availability-zone' },
];
const SCAN_CHAINS: [string, PlacementStrategy[]][] = [
  ['random (RunTask default)', [{ type: 'random' }]],
  ['service default', [...DEFAULT_SERVICE_STRATEGY]],
];

function benchRequest(i: number, placementStrategy: PlacementStrategy[] = BENCH_STRATEGY): PlacementRequest {
  return {
    requestId: `bench-${i}`,
    resources: {
      cpu: 32,
      memory: 256,
      gpu: 0,
      tcpPorts: [],
      udpPorts: [],
      dynamicTcpPorts: 1,
      dynamicUdpPorts: 0,
      networkMode: 'bridge',
    },
    count: 1,
    group: 'service:web',
    family: 'web',
    placementConstraints: [
      { type: 'memberOf', expression: "attribute:ecs.instance-type =~ '(t3|m5|r5)\\..*'" },
    ],
    placementStrategy,
  };
}

interface Result {
  size: number;
  placed: number;
  decisionsPerSecond: number;
  /** Decisions per second of process CPU time: what one core sustains, even on a busy machine. */
  decisionsPerCpuSecond: number;
  loopPerSecond: number;
  p50: number;
  p99: number;
  maxEvaluated: number;
}

function run(size: number, decisions = DECISIONS, strategy = BENCH_STRATEGY): Result {
  let snapshot = buildCluster(size);
  place(snapshot, benchRequest(-1, strategy)); // build the index and caches once, outside the timing
  const latencies = new Float64Array(decisions);
  let decisionTime = 0;
  let cpuMicros = 0;
  let placed = 0;
  let maxEvaluated = 0;
  const loopStart = performance.now();
  for (let i = 0; i < decisions; i++) {
    const request = benchRequest(i, strategy);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const plan = place(snapshot, request);
    const dt = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    cpuMicros += cpu.user + cpu.system;
    latencies[i] = dt;
    decisionTime += dt;
    const decided = plan.explanation.tasks[0];
    if (decided.type === 'placed') maxEvaluated = Math.max(maxEvaluated, decided.evaluated);
    if (plan.placements.length > 0) {
      placed++;
      snapshot = applyPlan(snapshot, request, plan, [
        `arn:aws:ecs:us-east-1:123456789012:task/bench/new-${i}`,
      ]);
    }
  }
  const loopTime = performance.now() - loopStart;
  latencies.sort();
  return {
    size,
    placed,
    decisionsPerSecond: decisions / (decisionTime / 1000),
    decisionsPerCpuSecond: decisions / (cpuMicros / 1e6),
    loopPerSecond: decisions / (loopTime / 1000),
    p50: latencies[Math.floor(decisions * 0.5)],
    p99: latencies[Math.floor(decisions * 0.99)],
    maxEvaluated,
  };
}

run(500, 3_000); // warm-up: let the JIT compile the hot paths before anything is measured
const results = SIZES.map((size) => run(size));
console.log(
  `scheduler-bench: ${DECISIONS} single-task decisions per size, binpack(memory)+spread(AZ)+memberOf`,
);
console.log('instances  placed  decisions/s  per CPU-s  incl. apply/s  p50 ms  p99 ms  max evaluated');
for (const r of results) {
  console.log(
    `${String(r.size).padStart(9)}  ${String(r.placed).padStart(6)}  ${r.decisionsPerSecond.toFixed(0).padStart(11)}  ` +
      `${r.decisionsPerCpuSecond.toFixed(0).padStart(9)}  ` +
      `${r.loopPerSecond.toFixed(0).padStart(13)}  ${r.p50.toFixed(3).padStart(6)}  ${r.p99.toFixed(3).padStart(6)}  ` +
      `${String(r.maxEvaluated).padStart(13)}`,
  );
}
const first = results[0];
const last = results[results.length - 1];
console.log(
  `ratio ${last.size}/${first.size}: decisions ${(last.decisionsPerSecond / first.decisionsPerSecond).toFixed(2)}, ` +
    `per CPU-s ${(last.decisionsPerCpuSecond / first.decisionsPerCpuSecond).toFixed(2)}, ` +
    `incl. apply ${(last.loopPerSecond / first.loopPerSecond).toFixed(2)} (target >= 0.50)`,
);
console.log('\nfull-scan path (first strategy not binpack), 2000 decisions:');
for (const [name, strategy] of SCAN_CHAINS) {
  const rows = [500, 5_000].map((size) => run(size, 2_000, strategy));
  console.log(
    `  ${name.padEnd(25)} ` +
      rows
        .map((r) => `${r.size}: ${r.decisionsPerCpuSecond.toFixed(0)}/CPU-s p50 ${r.p50.toFixed(3)} ms`)
        .join('   '),
  );
}
