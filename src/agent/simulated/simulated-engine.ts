/**
 * SimulatedEngine: a SIMULATION of the agent's task engine, for clusters larger than one machine
 * can run (architecture rule 7). It runs no containers and talks to no Docker Engine: each task
 * walks ECS's lifecycle on timers, from the simulation profile, and reports exactly what the Docker
 * engine would (statuses, seq, epoch-ms times, fake runtime ids, dynamic host ports, health).
 */
import { createHash } from 'node:crypto';
import type { TaskAssignment, TaskReport, TaskUsage } from '../../core/agent-protocol.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import { describeError } from '../../core/errors.ts';
import type { Engine } from '../agent.ts';
import { readJson, writeJsonAtomic } from '../state/atomic-file.ts';
import { cryptoRng, systemClock } from '../engine/defaults.ts';
import { realTimers } from '../../core/system.ts';
import type { Timers } from '../../core/timers.ts';
import { ENGINE_DEFAULTS } from '../engine/engine-options.ts';
import { DEFAULT_PORT_RANGE, type HostPortAllocator, type PortRange } from '../engine/host-ports.ts';
import { resourceInitializationError } from '../engine/reasons.ts';
import { validateAssignment } from '../engine/task-validation.ts';
import { DEFAULT_SIM_PROFILE, type SimulationProfile } from './sim-profile.ts';
import { simTaskUsage } from './sim-usage.ts';
import { allocateBindings, heldPorts, simPortAllocator } from './sim-ports.ts';
import { buildSimReport } from './sim-report.ts';
import { advanceSimTask, newSimTask, nextDue, type SimTask, stopSimTask } from './sim-task.ts';

export interface SimulatedEngineOptions {
  containerInstanceArn: string;
  /** Overrides of DEFAULT_SIM_PROFILE for every container of this agent. */
  profile?: Partial<SimulationProfile>;
  hostPortRange?: PortRange;
  clock?: Clock;
  timers?: Timers;
  rng?: Rng;
  /** How long a STOPPED task is remembered (ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION); default 3 h. */
  cleanupWaitMs?: number;
  /**
   * Where tasks are saved on `stop()` and loaded on `start()`, so a restarted simulated agent keeps
   * its tasks (and their seqs). Without it a restart forgets them: nothing real outlives a simulation.
   */
  stateFile?: string;
  log?: { warn(obj: object, msg: string): void };
}

interface SavedState {
  tasks: SimTask[];
  cleaned: string[];
}

export class SimulatedEngine implements Engine {
  readonly #o: SimulatedEngineOptions;
  readonly #profile: SimulationProfile;
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #rng: Rng;
  readonly #ports: HostPortAllocator;
  readonly #tasks = new Map<string, SimTask>();
  /** New tasks whose host ports are being allocated; a second assignment for one waits for it. */
  readonly #accepting = new Map<string, Promise<void>>();
  /** Pending timer per task: its next due event, or its cleanup once STOPPED. */
  readonly #wakes = new Map<string, unknown>();
  readonly #cleaned = new Set<string>();
  readonly #listeners = new Set<(report: TaskReport) => void>();
  #started = false;

  constructor(options: SimulatedEngineOptions) {
    this.#o = options;
    this.#profile = { ...DEFAULT_SIM_PROFILE, ...options.profile };
    this.#clock = options.clock ?? systemClock;
    this.#timers = options.timers ?? realTimers;
    this.#rng = options.rng ?? cryptoRng;
    this.#ports = simPortAllocator(options.hostPortRange ?? DEFAULT_PORT_RANGE, this.#rng);
  }

  onReport(listener: (report: TaskReport) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Loads saved tasks (when a state file is configured) and resumes their timelines where the clock is now. */
  async start(): Promise<void> {
    if (this.#o.stateFile) {
      const saved = await readJson<SavedState>(this.#o.stateFile);
      for (const arn of saved?.cleaned ?? []) this.#cleaned.add(arn);
      for (const task of saved?.tasks ?? []) {
        this.#tasks.set(task.assignment.taskArn, task);
        if (task.status !== 'STOPPED')
          this.#ports.reserve(task.assignment.taskArn, heldPorts(task.containers.flatMap((c) => c.bindings)));
      }
    }
    this.#started = true;
    for (const task of this.#tasks.values()) this.#step(task);
  }

  /** Idempotent by version: an older or repeated assignment changes nothing. */
  async apply(assignment: TaskAssignment): Promise<void> {
    if (!this.#started) throw new Error('SimulatedEngine.apply called before start()');
    const arn = assignment.taskArn;
    const accepting = this.#accepting.get(arn);
    if (accepting) {
      await accepting;
      return this.apply(assignment);
    }
    const task = this.#tasks.get(arn);
    if (task) {
      if (assignment.version <= task.assignment.version) return;
      task.assignment = {
        ...task.assignment,
        version: assignment.version,
        desiredStatus: assignment.desiredStatus,
      };
      if (assignment.desiredStatus === 'STOPPED')
        stopSimTask(task, this.#clock.now(), assignment.stopCode, assignment.stoppedReason);
      this.#step(task);
      return;
    }
    if (this.#cleaned.has(arn)) return;
    const accept = this.#accept(assignment);
    this.#accepting.set(arn, accept);
    try {
      await accept;
    } finally {
      this.#accepting.delete(arn);
    }
  }

  async #accept(assignment: TaskAssignment): Promise<void> {
    let failure = validateAssignment(assignment);
    let bindings = new Map();
    if (!failure && assignment.desiredStatus === 'RUNNING') {
      try {
        bindings = await allocateBindings(this.#ports, assignment);
      } catch (error) {
        failure = { reason: resourceInitializationError(describeError(error)) };
      }
    }
    const task = newSimTask(assignment, {
      now: this.#clock.now(),
      profile: this.#profile,
      bindings,
      runtimeId: () => this.#rng.hex(32),
      imageDigest: (image) => `sha256:${createHash('sha256').update(image).digest('hex')}`,
      ...(failure ? { failure } : {}),
    });
    this.#tasks.set(assignment.taskArn, task);
    this.#step(task);
  }

  /** Applies what is due, reports if anything changed, and sets the task's next timer. */
  #step(task: SimTask): void {
    const now = this.#clock.now();
    advanceSimTask(task, now);
    this.#report(task);
    const arn = task.assignment.taskArn;
    this.#timers.clearTimeout(this.#wakes.get(arn));
    if (task.status === 'STOPPED') {
      this.#ports.release(arn);
      const due =
        (task.executionStoppedAt ?? now) + (this.#o.cleanupWaitMs ?? ENGINE_DEFAULTS.taskCleanupWaitMs);
      this.#wakes.set(
        arn,
        this.#timers.setTimeout(() => this.#cleanup(arn), Math.max(0, due - now)),
      );
      return;
    }
    const due = nextDue(task);
    if (due === undefined) this.#wakes.delete(arn);
    else
      this.#wakes.set(
        arn,
        this.#timers.setTimeout(() => this.#step(task), Math.max(0, due - now)),
      );
  }

  #report(task: SimTask): void {
    const next = buildSimReport(task);
    const last = task.lastReport;
    if (last) {
      const { seq: _seq, ...rest } = last;
      if (JSON.stringify(rest) === JSON.stringify(next)) return;
    }
    const report: TaskReport = { ...next, seq: (last?.seq ?? 0) + 1 };
    task.lastReport = report;
    for (const listener of this.#listeners) {
      try {
        listener(report);
      } catch (error) {
        this.#o.log?.warn({ error: describeError(error) }, 'report listener threw');
      }
    }
  }

  /** Forgets a stopped task; a late assignment for it is ignored, as the Docker engine does. */
  #cleanup(arn: string): void {
    this.#wakes.delete(arn);
    this.#tasks.delete(arn);
    this.#cleaned.add(arn);
  }

  /** Stops the timers (saving the tasks when a state file is configured); the "containers" stop with them. */
  async stop(): Promise<void> {
    this.#started = false;
    await Promise.allSettled(this.#accepting.values());
    for (const handle of this.#wakes.values()) this.#timers.clearTimeout(handle);
    this.#wakes.clear();
    if (this.#o.stateFile) {
      const state: SavedState = { tasks: [...this.#tasks.values()], cleaned: [...this.#cleaned] };
      await writeJsonAtomic(this.#o.stateFile, state, false);
    }
  }

  knownTasks(): { taskArn: string; version: number }[] {
    return [...this.#tasks.values()].map((t) => ({
      taskArn: t.assignment.taskArn,
      version: t.assignment.version,
    }));
  }

  latestReports(): TaskReport[] {
    return [...this.#tasks.values()].flatMap((t) => (t.lastReport ? [t.lastReport] : []));
  }

  acknowledge(taskArn: string, seq: number): void {
    const task = this.#tasks.get(taskArn);
    if (task) task.ackedSeq = Math.max(task.ackedSeq, seq);
  }

  /** What RUNNING tasks whose containers name a simulated usage use (sim-usage.ts). */
  async sampleUsage(): Promise<TaskUsage[]> {
    const now = this.#clock.now();
    return [...this.#tasks.values()].flatMap((t) => simTaskUsage(t, now) ?? []);
  }

  /** A read-only view of one task, for tests and introspection. */
  task(taskArn: string): Readonly<SimTask> | undefined {
    return this.#tasks.get(taskArn);
  }

  /** Tasks not yet STOPPED. */
  get activeTasks(): number {
    let n = 0;
    for (const t of this.#tasks.values()) if (t.status !== 'STOPPED') n++;
    return n;
  }
}
