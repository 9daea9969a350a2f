/** Resource checkers: the instance must have at least the task's CPU, memory and GPUs left. */
import { Reason } from '../reasons.ts';
import { type Checker, flat } from './checker.ts';

/**
 * Remaining CPU units >= the task's. Example: 1024 registered, 900 reserved, task 256: 124 left,
 * rejected "short 132 CPU units".
 */
export function cpuChecker(need: number): Checker {
  return {
    reason: Reason.Cpu,
    static: false,
    key: 'cpu',
    rejects: (view) => view.state.cpu < need,
    shortfall: (view) => ({
      amount: need - view.state.cpu,
      text: `short ${need - view.state.cpu} CPU units`,
    }),
  };
}

/** Remaining MiB >= the task's reservation (memoryReservation when set, see task-resources.ts). */
export function memoryChecker(need: number): Checker {
  return {
    reason: Reason.Memory,
    static: false,
    key: 'memory',
    rejects: (view) => view.state.memory < need,
    shortfall: (view) => ({
      amount: need - view.state.memory,
      text: `short ${need - view.state.memory} MiB memory`,
    }),
  };
}

/** Unassigned GPUs (registered GPU ids minus those active tasks hold) >= the task's GPU count. */
export function gpuChecker(need: number): Checker {
  return {
    reason: Reason.Gpu,
    static: false,
    key: 'gpu',
    rejects: (view) => view.state.gpu < need,
    shortfall: (view) =>
      view.state.instance.registered.gpuIds.length === 0
        ? flat('no GPUs')
        : { amount: need - view.state.gpu, text: `short ${need - view.state.gpu} GPU` },
  };
}
