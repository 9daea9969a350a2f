/** Folds a finished Docker step into the task's state (called only from the task's actor). */
import { StopCode } from '../../core/agent-protocol.ts';
import type { StepResult } from './engine-context.ts';
import { applyInspect } from './observe.ts';
import { advanceContainer, applyChange, requestStop } from './task-mutations.ts';
import { findContainer, type TaskState } from './task-state.ts';

/** What the actor must do besides the state change. */
export type Followup =
  | { type: 'none' }
  /** The deprovision step failed (daemon down): plan it again after a delay. */
  | { type: 'retry-deprovision'; reason: string }
  | { type: 'retry-stop'; container: string }
  | { type: 'log'; message: string };

export function applyStepResult(task: TaskState, result: StepResult, now: number): Followup {
  switch (result.type) {
    case 'provisioned':
      task.resources = result.resources;
      return { type: 'none' };
    case 'provision-failed':
      task.resources = result.resources;
      requestStop(task, now, StopCode.TaskFailedToStart, result.reason);
      return { type: 'none' };
    case 'deprovisioned':
      task.networkReleasedAt ??= now;
      return { type: 'none' };
    case 'deprovision-failed':
      return { type: 'retry-deprovision', reason: result.reason };
    default:
      break;
  }
  const c = findContainer(task, result.container);
  if (!c) return { type: 'log', message: `step result for unknown container ${result.container}` };
  switch (result.type) {
    case 'pulled':
      advanceContainer(c, 'PULLED', now);
      c.imageId = result.image.id;
      if (result.image.digest) c.imageDigest = result.image.digest;
      task.pullStoppedAt = now;
      return { type: 'none' };
    case 'created':
      c.runtimeId ??= result.runtimeId;
      advanceContainer(c, 'CREATED', now);
      c.createdAt ??= now;
      return { type: 'none' };
    case 'started':
    case 'observed':
      applyInspect(task, c, result.info, now);
      return { type: 'none' };
    case 'stopped':
      applyInspect(task, c, result.info, now);
      // Docker said it stopped yet it still runs (restart race): try the stop again later.
      return result.info?.running ? { type: 'retry-stop', container: c.name } : { type: 'none' };
    case 'failed':
      return applyFailure(task, result, now);
  }
}

function applyFailure(
  task: TaskState,
  result: Extract<StepResult, { type: 'failed' }>,
  now: number,
): Followup {
  switch (result.step) {
    case 'pull':
      task.pullStoppedAt = now;
      applyChange(
        task,
        { type: 'container-stopped', container: result.container, reason: result.reason },
        now,
      );
      return { type: 'none' };
    case 'create':
    case 'start':
      applyChange(
        task,
        { type: 'container-stopped', container: result.container, reason: result.reason },
        now,
      );
      return { type: 'none' };
    case 'stop':
      // The daemon is unreachable: keep the container RUNNING and stop it again later (a reconnect
      // also re-reads it). A daemon that answers with an error: the real agent treats it as stopped.
      if (result.retriable) return { type: 'retry-stop', container: result.container };
      applyChange(
        task,
        { type: 'container-stopped', container: result.container, reason: result.reason },
        now,
      );
      return { type: 'none' };
    case 'observe':
      return { type: 'log', message: result.reason };
  }
}
