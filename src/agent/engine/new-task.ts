/** A fresh TaskState for a newly assigned task: names and metadata ids chosen (and persisted) up front. */
import { StopCode, type TaskAssignment } from '../../core/agent-protocol.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import { dockerNameFor } from './naming.ts';
import { requestStop } from './task-mutations.ts';
import type { TaskState } from './task-state.ts';
import { validateAssignment } from './task-validation.ts';

/** An unguessable id in UUID form: the secret path segment of a container's metadata endpoint. */
export function metadataIdFrom(rng: Rng): string {
  const h = rng.hex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function newTaskState(assignment: TaskAssignment, rng: Rng, clock: Clock): TaskState {
  const task: TaskState = {
    assignment,
    known: 'PROVISIONING',
    desired: 'RUNNING',
    containers: assignment.containers.map((c) => ({
      name: c.name,
      dockerName: dockerNameFor(assignment, c.name, rng),
      metadataId: metadataIdFrom(rng),
      known: 'NONE',
      desired: 'RUNNING',
      health: 'UNKNOWN',
      networkBindings: [],
    })),
    ackedSeq: 0,
  };
  const now = clock.now();
  if (assignment.desiredStatus === 'STOPPED')
    requestStop(task, now, assignment.stopCode, assignment.stoppedReason);
  const rejection = validateAssignment(assignment);
  if (rejection) {
    requestStop(task, now, StopCode.TaskFailedToStart, rejection.reason);
    const culprit = task.containers.find((c) => c.name === rejection.container);
    if (culprit) culprit.reason = rejection.reason;
  }
  return task;
}
