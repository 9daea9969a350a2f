/**
 * EFS volumes from a task vs the host's local disk, same run: sequential write and read (MB/s) and
 * small-file creates (/s), plus the time an EFS volume adds to a task's start.
 *
 *   node_modules/.bin/node bench/efs-volume-bench.ts [--mb 256] [--files 2000] [--starts 5]
 *
 * Three targets, the same BusyBox commands on each: the host's disk (a temporary directory, the
 * commands run on the host), an EFS volume mounted by rootDirectory (a plain bind of the backend
 * directory into the task), and one through an access point with a POSIX user (the bindfs mount
 * that maps ownership). The file system's backend is a local directory on the same disk, so the
 * ratios are what Longshore's mount path costs, not what a network file system would. Task-side
 * commands run in a one-shot container with the task container's mounts (VolumesFrom), timed by
 * Docker's StartedAt/FinishedAt; host commands are timed around the process. Page caches are
 * dropped before each read.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import Dockerode from 'dockerode';
import pino from 'pino';
import { mountedUnder } from '../src/agent/engine/access-point-mount.ts';
import { TaskEngine } from '../src/agent/engine/task-engine.ts';
import type { TaskAssignment, TaskEfsVolume, TaskReport } from '../src/core/agent-protocol.ts';

const run = promisify(execFile);
const ROOT = new URL('../', import.meta.url).pathname;
const IMAGE = 'longshore-test/busybox:latest';
const INSTANCE = `arn:aws:ecs:us-east-1:000000000000:container-instance/bench/${process.pid}`;
const RUNNING_TIMEOUT_MS = 30_000;

const { values } = parseArgs({
  options: { mb: { type: 'string' }, files: { type: 'string' }, starts: { type: 'string' } },
});
const MB = Number(values.mb ?? 256);
const FILES = Number(values.files ?? 2000);
const STARTS = Number(values.starts ?? 5);
const docker = new Dockerode();
let counter = 0;

function assignment(efs: TaskEfsVolume | undefined): TaskAssignment {
  const id = `${process.pid}${String(++counter).padStart(8, '0')}`;
  const definition = {
    name: 'app',
    image: IMAGE,
    command: ['sleep', '3600'],
    memory: 256,
    ...(efs ? { mountPoints: [{ sourceVolume: 'data', containerPath: '/mnt/efs' }] } : {}),
  };
  const volumes = efs ? [{ name: 'data', efsVolumeConfiguration: { fileSystemId: efs.fileSystemId } }] : [];
  return {
    taskArn: `arn:aws:ecs:us-east-1:000000000000:task/bench/${id}`,
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/bench',
    containerInstanceArn: INSTANCE,
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/efsbench:1',
    taskDefinition: { family: 'efsbench', revision: 1, containerDefinitions: [definition], volumes },
    overrides: {},
    containers: [{ name: 'app', containerArn: `${id}/app`, definition }],
    desiredStatus: 'RUNNING',
    version: 1,
    ...(efs ? { efsVolumes: { data: efs } } : {}),
  };
}

/** The three workloads as BusyBox shell in directory `dir`. */
const WORKLOADS = {
  write: (dir: string) => `dd if=/dev/zero of=${dir}/seq bs=1M count=${MB} conv=fsync 2>/dev/null`,
  read: (dir: string) => `dd if=${dir}/seq of=/dev/null bs=1M 2>/dev/null`,
  creates: (dir: string) =>
    `mkdir -p ${dir}/small && i=0; while [ $i -lt ${FILES} ]; do echo x > ${dir}/small/$i; i=$((i+1)); done; sync`,
  cleanup: (dir: string) => `rm -rf ${dir}/seq ${dir}/small`,
};

async function dropCaches(): Promise<void> {
  await writeFile('/proc/sys/vm/drop_caches', '3\n');
}

async function timeHost(script: string): Promise<number> {
  const start = performance.now();
  await run('/bin/busybox', ['sh', '-c', script]);
  return performance.now() - start;
}

/**
 * Runs `script` in a one-shot container that takes the task container's mounts (`VolumesFrom`),
 * timed by Docker's own StartedAt/FinishedAt (nanoseconds): container set-up is not counted.
 */
async function timeInTask(taskContainerId: string, script: string): Promise<number> {
  const c = await docker.createContainer({
    Image: IMAGE,
    Cmd: ['sh', '-c', script],
    HostConfig: { VolumesFrom: [taskContainerId] },
    Labels: { 'longshore.instance': INSTANCE },
  });
  try {
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    if (StatusCode !== 0) throw new Error(`exited ${StatusCode}: ${script}`);
    const { State } = await c.inspect();
    return nanos(State.FinishedAt) - nanos(State.StartedAt);
  } finally {
    await c.remove({ force: true });
  }
}

/** Milliseconds since the epoch from Docker's RFC 3339 time with nanoseconds. */
function nanos(rfc3339: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(rfc3339);
  if (!m) throw new Error(`unexpected time ${rfc3339}`);
  return Date.parse(`${m[1]}Z`) + Number(`0.${m[2] ?? '0'}`) * 1000;
}

interface Figures {
  writeMBs: number;
  readMBs: number;
  createsPerS: number;
}

async function measure(timer: (script: string) => Promise<number>, dir: string): Promise<Figures> {
  const write = await timer(WORKLOADS.write(dir));
  await dropCaches();
  const read = await timer(WORKLOADS.read(dir));
  const creates = await timer(WORKLOADS.creates(dir));
  await timer(WORKLOADS.cleanup(dir));
  return {
    writeMBs: (MB * 1000) / write,
    readMBs: (MB * 1000) / read,
    createsPerS: (FILES * 1000) / creates,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  await run('bash', [join(ROOT, 'scripts/ensure-docker.sh')]);
  await run('bash', [join(ROOT, 'scripts/build-test-images.sh')]);
  const dataDir = await mkdtemp(join(tmpdir(), 'longshore-efsbench-agent-'));
  const fsRoot = await mkdtemp(join(tmpdir(), 'longshore-efsbench-fs-'));
  const hostDir = await mkdtemp(join(tmpdir(), 'longshore-efsbench-host-'));
  const engine = new TaskEngine({
    dataDir,
    containerInstanceArn: INSTANCE,
    logger: pino({ level: 'silent' }),
    imagePullBehavior: 'prefer-cached',
    metadataEndpoint: false,
    containerStopTimeoutSeconds: 1,
    taskCleanupWaitMs: 0,
  });
  const reports: TaskReport[] = [];
  const waiters = new Set<() => void>();
  engine.onReport((r) => {
    reports.push(r);
    for (const w of waiters) w();
  });
  await engine.start();
  const running = async (a: TaskAssignment): Promise<TaskReport> => {
    const deadline = Date.now() + RUNNING_TIMEOUT_MS;
    for (;;) {
      const r = reports.find(
        (x) => x.taskArn === a.taskArn && (x.lastStatus === 'RUNNING' || x.lastStatus === 'STOPPED'),
      );
      if (r?.lastStatus === 'RUNNING') return r;
      if (r) throw new Error(`task stopped: ${r.stoppedReason}`);
      if (Date.now() > deadline) throw new Error('task did not start');
      await new Promise<void>((resolve) => {
        const wake = () => {
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
        setTimeout(wake, 200);
      });
    }
  };
  const started: TaskAssignment[] = [];
  const start = async (efs: TaskEfsVolume | undefined): Promise<{ id: string; ms: number }> => {
    const a = assignment(efs);
    started.push(a);
    const t0 = performance.now();
    await engine.apply(a);
    const r = await running(a);
    return { id: r.containers[0].runtimeId ?? '', ms: performance.now() - t0 };
  };
  const plain: TaskEfsVolume = { fileSystemId: 'fs-0123456789abcdef0', path: fsRoot };
  const viaAccessPoint: TaskEfsVolume = {
    fileSystemId: 'fs-0123456789abcdef0',
    path: fsRoot,
    accessPoint: {
      accessPointId: 'fsap-0123456789abcdef0',
      posixUser: { uid: 1000, gid: 1000 },
      rootDirectory: { path: '/ap', creationInfo: { ownerUid: 1000, ownerGid: 1000, permissions: '755' } },
    },
  };
  try {
    // Start latency: no volume, EFS by rootDirectory, EFS through an access point (interleaved).
    const startMs: Record<string, number[]> = { none: [], efs: [], accessPoint: [] };
    for (let i = 0; i < STARTS; i++) {
      startMs.none.push((await start(undefined)).ms);
      startMs.efs.push((await start(plain)).ms);
      startMs.accessPoint.push((await start(viaAccessPoint)).ms);
    }
    const bindfsMs: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      const target = join(dataDir, `probe-${i}`);
      await run('mkdir', ['-p', target]);
      const t0 = performance.now();
      await run('bindfs', ['-o', 'allow_other', '--force-user=1000', '--force-group=1000', fsRoot, target]);
      bindfsMs.push(performance.now() - t0);
      await run('umount', [target]);
    }

    const efsTask = await start(plain);
    const apTask = await start(viaAccessPoint);
    const host = await measure(timeHost, hostDir);
    const efs = await measure((s) => timeInTask(efsTask.id, s), '/mnt/efs');
    const ap = await measure((s) => timeInTask(apTask.id, s), '/mnt/efs');

    const f = (n: number) => n.toFixed(0);
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log(`EFS volume bench: ${MB} MB sequential, ${FILES} small files, ${STARTS} starts each`);
    console.log('target                          write MB/s  read MB/s  creates/s');
    console.log(
      `host local disk                 ${f(host.writeMBs).padStart(10)} ${f(host.readMBs).padStart(10)} ${f(host.createsPerS).padStart(10)}`,
    );
    console.log(
      `task, EFS by rootDirectory      ${f(efs.writeMBs).padStart(10)} ${f(efs.readMBs).padStart(10)} ${f(efs.createsPerS).padStart(10)}`,
    );
    console.log(
      `task, EFS via access point      ${f(ap.writeMBs).padStart(10)} ${f(ap.readMBs).padStart(10)} ${f(ap.createsPerS).padStart(10)}`,
    );
    console.log(
      `ratios vs host: rootDirectory write ${ratio(efs.writeMBs, host.writeMBs)} read ${ratio(efs.readMBs, host.readMBs)} creates ${ratio(efs.createsPerS, host.createsPerS)}; access point write ${ratio(ap.writeMBs, host.writeMBs)} read ${ratio(ap.readMBs, host.readMBs)} creates ${ratio(ap.createsPerS, host.createsPerS)}`,
    );
    console.log(
      `task start (apply -> RUNNING) median ms: no volume ${f(median(startMs.none))}, EFS ${f(median(startMs.efs))}, EFS via access point ${f(median(startMs.accessPoint))}; bindfs mount alone ${median(bindfsMs).toFixed(1)} ms`,
    );
  } finally {
    for (const a of started) await engine.apply({ ...a, desiredStatus: 'STOPPED', version: 2 });
    const deadline = Date.now() + RUNNING_TIMEOUT_MS;
    while (started.some((a) => !engine.task(a.taskArn)?.cleanedAt) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    await engine.stop();
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`longshore.instance=${INSTANCE}`] },
    });
    await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true })));
    for (const m of await mountedUnder(dataDir)) await run('umount', ['-l', m]);
    await rm(dataDir, { recursive: true, force: true });
    await rm(fsRoot, { recursive: true, force: true });
    await rm(hostDir, { recursive: true, force: true });
  }
}

await main();
