/**
 * The task state machine's decision step (the real agent's progressTask, as a pure function):
 * given a task's state, the steps in flight and the time, what changes now and which Docker steps
 * to launch. The actor applies the changes, re-plans until nothing changes, persists, then acts.
 */
import { StopCode } from '../../core/agent-protocol.ts';
import { definitionOf, gateFor, mayStop } from './dependencies.ts';
import { StopReason } from './reasons.ts';
import { type ContainerState, needsNetworkRelease, type TaskState } from './task-state.ts';

/** Docker work for one container, or the task-level PROVISIONING / DEPROVISIONING work (key `TASK_STEP`). */
export type Action =
  | { type: 'provision' }
  | { type: 'deprovision' }
  | { type: 'pull'; container: string }
  | { type: 'create'; container: string }
  | { type: 'start'; container: string }
  | { type: 'stop'; container: string };

/** State changes that need no Docker call. */
export type Change =
  | { type: 'stop-task'; stopCode: StopCode; reason: string }
  | { type: 'container-stopped'; container: string; reason?: string; exitCode?: number }
  | { type: 'task-stopped' };

export interface Plan {
  changes: Change[];
  actions: Action[];
  /** Earliest time the plan could differ with nothing else happening (a dependency timeout). */
  wakeAt?: number;
}

/** In-flight key of the task-level step. */
export const TASK_STEP = '~task';

/** ECS marks a container that can never start as stopped with the exit code of SIGTERM. */
const NEVER_STARTED_EXIT_CODE = 143;

export function isEssential(task: TaskState, c: ContainerState): boolean {
  return definitionOf(task, c.name).essential !== false;
}

export function plan(task: TaskState, inflight: ReadonlySet<string>, now: number): Plan {
  if (task.known === 'STOPPED') return { changes: [], actions: [] };
  if (task.desired === 'RUNNING') {
    const exited = task.containers.find((c) => c.known === 'STOPPED' && isEssential(task, c));
    if (exited) return { changes: [stopTaskFor(exited)], actions: [] };
    if (!task.resources)
      return { changes: [], actions: inflight.has(TASK_STEP) ? [] : [{ type: 'provision' }] };
    return planStart(task, inflight, now);
  }
  return planStop(task, inflight);
}

/** Why the task stops when essential container `c` stopped while the task should run. */
function stopTaskFor(c: ContainerState): Change {
  // A container that ran and exited stops the task as ECS says; one that never started failed it.
  if (c.startedAt !== undefined) {
    return {
      type: 'stop-task',
      stopCode: StopCode.EssentialContainerExited,
      reason: StopReason.EssentialContainerExited,
    };
  }
  return {
    type: 'stop-task',
    stopCode: StopCode.TaskFailedToStart,
    reason: c.reason ?? StopReason.EssentialContainerExited,
  };
}

function planStart(task: TaskState, inflight: ReadonlySet<string>, now: number): Plan {
  const out: Plan = { changes: [], actions: [] };
  for (const c of task.containers) {
    if (inflight.has(c.name) || c.desired !== 'RUNNING') continue;
    const phase =
      c.known === 'NONE'
        ? 'pull'
        : c.known === 'PULLED'
          ? 'create'
          : c.known === 'CREATED'
            ? 'start'
            : undefined;
    if (!phase) continue;
    const gate = gateFor(task, c, phase, now);
    if (gate.type === 'terminal') {
      const reason = `CannotStartContainerError: ${gate.reason}`;
      out.changes.push({
        type: 'container-stopped',
        container: c.name,
        reason,
        exitCode: NEVER_STARTED_EXIT_CODE,
      });
    } else if (gate.type === 'blocked') {
      if (gate.wakeAt !== undefined) out.wakeAt = Math.min(out.wakeAt ?? gate.wakeAt, gate.wakeAt);
    } else {
      out.actions.push({ type: phase, container: c.name });
    }
  }
  return out;
}

function planStop(task: TaskState, inflight: ReadonlySet<string>): Plan {
  const out: Plan = { changes: [], actions: [] };
  if (inflight.has(TASK_STEP)) return out;
  for (const c of task.containers) {
    if (c.known === 'STOPPED' || inflight.has(c.name)) continue;
    if (c.known === 'RUNNING') {
      if (mayStop(task, c, inflight)) out.actions.push({ type: 'stop', container: c.name });
    } else {
      // Never started (or only created): nothing runs, so it is stopped without a Docker call.
      out.changes.push({ type: 'container-stopped', container: c.name });
    }
  }
  const allStopped = task.containers.every((c) => c.known === 'STOPPED');
  if (!allStopped || inflight.size > 0) return out;
  // awsvpc: the pause container goes (and its address with it) before the task is STOPPED.
  if (needsNetworkRelease(task)) out.actions.push({ type: 'deprovision' });
  else out.changes.push({ type: 'task-stopped' });
  return out;
}
