/**
 * One SIMULATED task's state and its timeline, as pure functions of time: the task walks ECS's
 * lifecycle PENDING -> RUNNING -> (STOPPING) -> STOPPED on due times computed from the simulation
 * profile, and `advanceSimTask` applies every event due by `now`, in time order. No process runs.
 */
import type {
  ContainerStatus,
  NetworkBinding,
  StopCode,
  TaskAssignment,
  TaskReport,
  TaskStatus,
} from '../../core/agent-protocol.ts';
import { StopReason } from '../engine/reasons.ts';
import {
  containerProfile,
  DEFAULT_STOP_TIMEOUT_S,
  SIGKILL_EXIT_CODE,
  SIGTERM_EXIT_CODE,
  SimHealth,
  type SimulationProfile,
} from './sim-profile.ts';

export type SimHealthStatus = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';

/** A simulated container. Due times are epoch ms; an event is pending while its time is set. */
export interface SimContainer {
  name: string;
  essential: boolean;
  image?: string;
  /** A fake 64-hex Docker id, reported from RUNNING on (the real id appears at create). */
  runtimeId: string;
  imageDigest?: string;
  status: ContainerStatus;
  /** Undefined when the definition has no healthCheck: then no health is reported, as on Docker. */
  health?: SimHealthStatus;
  exitCode?: number;
  reason?: string;
  bindings: NetworkBinding[];
  profile: SimulationProfile;
  healthAt?: number;
  exitAt?: number;
  /** Set when the agent sends SIGTERM: the container exits at this time with `stopExitCode`. */
  stopAt?: number;
  stopExitCode?: number;
}

export interface SimTask {
  assignment: TaskAssignment;
  status: TaskStatus;
  desired: 'RUNNING' | 'STOPPED';
  /** When the task goes RUNNING, unless stopped before. */
  startAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  stopCode?: StopCode;
  stoppedReason?: string;
  containers: SimContainer[];
  /** The last report emitted; its seq is the task's seq. */
  lastReport?: TaskReport;
  ackedSeq: number;
}

/** A new PENDING task; `failure` (validation, no host port) makes it fail to start right away. */
export function newSimTask(
  assignment: TaskAssignment,
  spec: {
    now: number;
    profile: SimulationProfile;
    bindings: ReadonlyMap<string, NetworkBinding[]>;
    runtimeId: () => string;
    imageDigest: (image: string) => string;
    failure?: { reason: string; container?: string };
  },
): SimTask {
  const containers = assignment.containers.map((c): SimContainer => {
    const profile = containerProfile(spec.profile, c.definition);
    const container: SimContainer = {
      name: c.name,
      essential: c.definition.essential !== false,
      runtimeId: spec.runtimeId(),
      status: 'PENDING',
      bindings: spec.bindings.get(c.name) ?? [],
      profile,
    };
    if (c.definition.image) {
      container.image = c.definition.image;
      container.imageDigest = spec.imageDigest(c.definition.image);
    }
    if (c.definition.healthCheck) container.health = 'UNKNOWN';
    return container;
  });
  // All containers start together, when the slowest of them is ready (dependsOn is not simulated).
  const startMs = Math.max(0, ...containers.map((c) => c.profile.startMs));
  const task: SimTask = {
    assignment,
    status: 'PENDING',
    desired: 'RUNNING',
    startAt: spec.now + startMs,
    pullStartedAt: spec.now,
    containers,
    ackedSeq: 0,
  };
  if (spec.failure) {
    const culprit = containers.find((c) => c.name === spec.failure?.container);
    if (culprit) culprit.reason = spec.failure.reason;
    task.pullStartedAt = undefined; // it never got as far as pulling
    stopSimTask(task, spec.now, 'TaskFailedToStart', spec.failure.reason);
  } else if (assignment.desiredStatus === 'STOPPED') {
    stopSimTask(task, spec.now, assignment.stopCode, assignment.stoppedReason);
  }
  return task;
}

/**
 * Desired -> STOPPED (the first stop cause wins). A task that never started stops at once, its
 * containers with no exit code; a running one is STOPPING while its containers take their stop delay.
 */
export function stopSimTask(task: SimTask, now: number, stopCode?: StopCode, reason?: string): void {
  if (task.status === 'STOPPED') return;
  if (task.desired !== 'STOPPED') {
    task.desired = 'STOPPED';
    task.stoppingAt = now;
  }
  task.stopCode ??= stopCode;
  task.stoppedReason ??= reason;
  for (const c of task.containers) {
    if (c.status === 'PENDING') c.status = 'STOPPED';
    else if (c.status === 'RUNNING' && c.stopAt === undefined) {
      // SIGTERM now; SIGKILL at the container's stopTimeout if it has not exited by then.
      const timeoutMs = (definitionOf(task, c.name)?.stopTimeout ?? DEFAULT_STOP_TIMEOUT_S) * 1000;
      const killed = c.profile.stopDelayMs >= timeoutMs;
      c.stopAt = now + (killed ? timeoutMs : c.profile.stopDelayMs);
      c.stopExitCode = killed ? SIGKILL_EXIT_CODE : SIGTERM_EXIT_CODE;
    }
  }
  settle(task, now);
}

type SimEvent =
  | { type: 'start'; at: number }
  | { type: 'health'; at: number; c: SimContainer }
  | { type: 'exit'; at: number; c: SimContainer }
  | { type: 'stop'; at: number; c: SimContainer };

/** The earliest pending event, or undefined when the task will not change by itself. */
function nextEvent(task: SimTask): SimEvent | undefined {
  if (task.status === 'STOPPED') return undefined;
  let best: SimEvent | undefined;
  const consider = (e: SimEvent) => {
    if (!best || e.at < best.at) best = e;
  };
  if (task.status === 'PENDING' && task.desired === 'RUNNING') consider({ type: 'start', at: task.startAt });
  for (const c of task.containers) {
    if (c.status !== 'RUNNING') continue;
    if (c.healthAt !== undefined) consider({ type: 'health', at: c.healthAt, c });
    if (c.exitAt !== undefined) consider({ type: 'exit', at: c.exitAt, c });
    if (c.stopAt !== undefined) consider({ type: 'stop', at: c.stopAt, c });
  }
  return best;
}

/** When the task next changes by itself (undefined: not until someone stops it). */
export function nextDue(task: SimTask): number | undefined {
  return nextEvent(task)?.at;
}

/** Applies every event due by `now`, each stamped with its own due time. Returns whether anything changed. */
export function advanceSimTask(task: SimTask, now: number): boolean {
  let changed = false;
  for (let e = nextEvent(task); e && e.at <= now; e = nextEvent(task)) {
    changed = true;
    switch (e.type) {
      case 'start':
        startContainers(task, e.at);
        break;
      case 'health':
        e.c.health = e.c.profile.health === SimHealth.Unhealthy ? 'UNHEALTHY' : 'HEALTHY';
        e.c.healthAt = undefined;
        break;
      case 'exit':
        finish(e.c, e.c.profile.exitCode);
        // An essential container that exits stops the task, as on ECS.
        if (e.c.essential && task.desired === 'RUNNING')
          stopSimTask(task, e.at, 'EssentialContainerExited', StopReason.EssentialContainerExited);
        break;
      case 'stop':
        finish(e.c, e.c.stopExitCode ?? SIGTERM_EXIT_CODE);
        break;
    }
    settle(task, e.at);
  }
  return changed;
}

function startContainers(task: SimTask, at: number): void {
  task.pullStoppedAt = task.pullStartedAt === undefined ? at : Math.round((task.pullStartedAt + at) / 2);
  for (const c of task.containers) {
    c.status = 'RUNNING';
    if (c.health !== undefined && c.profile.health !== SimHealth.None)
      c.healthAt = at + c.profile.healthDelayMs;
    if (c.profile.runMs !== undefined) c.exitAt = at + c.profile.runMs;
  }
  task.status = 'RUNNING';
  task.startedAt = at;
}

function finish(c: SimContainer, exitCode: number): void {
  c.status = 'STOPPED';
  c.exitCode = exitCode;
  c.healthAt = c.exitAt = c.stopAt = undefined;
}

/** Task status from its containers, forward only: STOPPING while a stop waits on running containers. */
function settle(task: SimTask, at: number): void {
  if (task.status === 'STOPPED' || task.desired !== 'STOPPED') return;
  if (task.containers.some((c) => c.status === 'RUNNING')) {
    task.status = 'STOPPING';
    return;
  }
  task.status = 'STOPPED';
  task.executionStoppedAt = at;
}

function definitionOf(task: SimTask, name: string) {
  return task.assignment.containers.find((c) => c.name === name)?.definition;
}
