/** What is left on one instance: remaining resources, task counts and groups, computed once per object. */
import { isActiveTask } from '../active-tasks.ts';
import type { InstanceSnapshot, TaskOnInstance } from '../types.ts';
import { type PortUsage, portUsage, portsWithTask } from './port-usage.ts';

/**
 * Remaining resources are registered minus every active task's reservation (pending tasks count
 * from the moment they are placed). Example: 8192 MiB registered, tasks of 512 (RUNNING) and
 * 256 (PENDING) and 1024 (STOPPED) leave 8192 - 512 - 256 = 7424 MiB.
 */
export class SlotState {
  readonly instance: InstanceSnapshot;
  readonly cpu: number;
  readonly memory: number;
  readonly gpu: number;
  readonly running: number;
  readonly pending: number;
  /** Active tasks per group on this instance; only groups with at least one task appear. */
  readonly groups: ReadonlyMap<string, number>;
  #ports: PortUsage | undefined;
  /**
   * Counted with the resources, so that the ports of an instance whose tasks hold no port numbers
   * (dynamic ports not reported yet, awsvpc) come without going over its tasks a second time.
   */
  readonly #tasksHoldPorts: boolean;
  readonly #pendingTcp: number;
  readonly #pendingUdp: number;

  constructor(instance: InstanceSnapshot, previous?: { state: SlotState; task: TaskOnInstance }) {
    if (previous) {
      // The instance is the previous one plus `task`: O(groups) instead of O(tasks).
      const { state, task } = previous;
      const active = isActiveTask(task);
      this.instance = instance;
      this.cpu = active ? state.cpu - task.cpu : state.cpu;
      this.memory = active ? state.memory - task.memory : state.memory;
      this.gpu = active ? state.gpu - task.gpu : state.gpu;
      this.running = instance.runningTasksCount;
      this.pending = instance.pendingTasksCount;
      const groups = new Map<string, number>();
      state.groups.forEach((count, group) => {
        groups.set(group, count);
      });
      if (active) groups.set(task.group, (groups.get(task.group) ?? 0) + 1);
      this.groups = groups;
      this.#tasksHoldPorts = state.#tasksHoldPorts || (active && holdsPorts(task));
      this.#pendingTcp = state.#pendingTcp + (active ? (task.pendingDynamicTcpPorts ?? 0) : 0);
      this.#pendingUdp = state.#pendingUdp + (active ? (task.pendingDynamicUdpPorts ?? 0) : 0);
      if (state.#ports) this.#ports = active ? portsWithTask(state.#ports, instance, task) : state.#ports;
      return;
    }
    let cpu = instance.registered.cpu;
    let memory = instance.registered.memory;
    let gpu = instance.registered.gpuIds.length;
    const groups = new Map<string, number>();
    let tasksHoldPorts = false;
    let pendingTcp = 0;
    let pendingUdp = 0;
    for (const task of instance.tasks) {
      if (!isActiveTask(task)) continue;
      cpu -= task.cpu;
      memory -= task.memory;
      gpu -= task.gpu;
      groups.set(task.group, (groups.get(task.group) ?? 0) + 1);
      tasksHoldPorts ||= holdsPorts(task);
      pendingTcp += task.pendingDynamicTcpPorts ?? 0;
      pendingUdp += task.pendingDynamicUdpPorts ?? 0;
    }
    this.#tasksHoldPorts = tasksHoldPorts;
    this.#pendingTcp = pendingTcp;
    this.#pendingUdp = pendingUdp;
    this.instance = instance;
    this.cpu = cpu;
    this.memory = memory;
    this.gpu = gpu;
    this.running = instance.runningTasksCount;
    this.pending = instance.pendingTasksCount;
    this.groups = groups;
  }

  /** Port sets are built only when a request has host ports. */
  get ports(): PortUsage {
    this.#ports ??= portUsage(
      this.instance,
      this.#tasksHoldPorts ? undefined : { pendingTcp: this.#pendingTcp, pendingUdp: this.#pendingUdp },
    );
    return this.#ports;
  }

  groupCount(group: string): number {
    return this.groups.get(group) ?? 0;
  }
}

function holdsPorts(task: TaskOnInstance): boolean {
  return task.tcpPorts.length > 0 || task.udpPorts.length > 0;
}

/**
 * States of caller-built instances live in a WeakMap; instances built by `withTask` carry theirs in
 * a non-enumerable symbol property set at construction (see cluster-index.ts for why: a WeakMap
 * entry per derived object makes V8 promote it).
 */
const memo = new WeakMap<InstanceSnapshot, SlotState>();
const STATE = Symbol('scheduler.slotState');

/** The state of an instance object; the same object always gives the same (cached) state. */
export function slotState(instance: InstanceSnapshot): SlotState {
  let state = (instance as { [STATE]?: SlotState })[STATE] ?? memo.get(instance);
  if (!state) {
    state = new SlotState(instance);
    memo.set(instance, state);
  }
  return state;
}

/** A new instance object with `task` added and ECS's counters moved the way placing it moves them. */
export function withTask(instance: InstanceSnapshot, task: TaskOnInstance): InstanceSnapshot {
  const next: InstanceSnapshot = {
    ...instance,
    tasks: [...instance.tasks, task],
    runningTasksCount: instance.runningTasksCount + (task.desiredStatus === 'RUNNING' ? 1 : 0),
    pendingTasksCount: instance.pendingTasksCount + (task.lastStatus === 'PENDING' ? 1 : 0),
  };
  const state = (instance as { [STATE]?: SlotState })[STATE] ?? memo.get(instance);
  return Object.defineProperty(next, STATE, {
    value: new SlotState(next, state && { state, task }),
  });
}
