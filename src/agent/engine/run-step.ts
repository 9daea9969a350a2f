/** Runs one planned Docker step; always resolves with a StepResult (an unexpected throw becomes a failure). */
import { describeError } from '../../core/errors.ts';
import { createStep, pullStep, startStep, stopStep } from './container-steps.ts';
import type { EngineContext, StepResult } from './engine-context.ts';
import type { Action } from './plan.ts';
import { deprovisionTask, provisionTask } from './provision.ts';
import { findContainer, type TaskState } from './task-state.ts';

export async function runStep(ctx: EngineContext, task: TaskState, action: Action): Promise<StepResult> {
  try {
    if (action.type === 'provision') return await provisionTask(ctx, task);
    if (action.type === 'deprovision') return await deprovisionTask(ctx, task);
    const c = findContainer(task, action.container);
    if (!c) throw new Error(`no container ${action.container} in task ${task.assignment.taskArn}`);
    switch (action.type) {
      case 'pull':
        return await pullStep(ctx, task, c);
      case 'create':
        return await createStep(ctx, task, c);
      case 'start':
        return await startStep(ctx, c);
      case 'stop':
        return await stopStep(ctx, task, c);
    }
  } catch (error) {
    // Steps report their own failures; reaching here is a bug, still reported rather than lost.
    ctx.logger.error({ task: task.assignment.taskArn, err: describeError(error) }, 'step threw');
    const reason = `TaskStateError: ${(error as Error)?.message ?? String(error)}`;
    if (action.type === 'provision')
      return { type: 'provision-failed', reason, resources: { hostPorts: [], volumes: [] } };
    if (action.type === 'deprovision') return { type: 'deprovision-failed', reason };
    return { type: 'failed', container: action.container, step: action.type, reason, retriable: false };
  }
}
