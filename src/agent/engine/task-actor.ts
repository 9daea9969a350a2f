/**
 * One actor per task: the only writer of its task's state. Every input (assignment, Docker event,
 * finished step, timer) is a job in one serial mailbox; each job changes state, re-plans, persists,
 * reports, and only then launches Docker steps, whose results come back as new jobs.
 */
import {
  StopCode,
  type TaskAssignment,
  type TaskFirewall,
  type TaskReport,
} from '../../core/agent-protocol.ts';
import { describeError } from '../../core/errors.ts';
import type { ContainerEvent } from '../docker/events.ts';
import { observeStep } from './container-steps.ts';
import type { EngineContext, StepResult } from './engine-context.ts';
import { Mailbox } from './mailbox.ts';
import { EcsLabel } from './naming.ts';
import { type Action, plan, TASK_STEP } from './plan.ts';
import { runStep } from './run-step.ts';
import { applyStepResult } from './step-results.ts';
import { applyChange, deriveTaskStatus, requestStop, setHealth } from './task-mutations.ts';
import { TaskJournal } from './task-journal.ts';
import { findContainer, type TaskState } from './task-state.ts';
import { ACK_WAIT_MAX_MS, mayForget, removeTaskResources } from './task-cleanup.ts';
import { healthFromDocker } from './observe.ts';
import { StopReason } from './reasons.ts';
import { PAUSE_CONTAINER_NAME } from '../network/pause-container.ts';

/** Each plan round moves something forward, so a handful of rounds per container is the most possible. */
const MAX_PLAN_ROUNDS = 64;
/** After a stop the daemon could not carry out, wait this long before trying again. */
const STOP_RETRY_DELAY_MS = 2000;
/** After a failed deprovision (daemon down), try again this much later. */
const DEPROVISION_RETRY_DELAY_MS = 2000;
/** After a firewall that could not be applied (namespace busy, daemon down), try again this much later. */
const FIREWALL_RETRY_DELAY_MS = 2000;
/** After a failed cleanup (daemon down, cgroup busy), try again this much later. */
const CLEANUP_RETRY_DELAY_MS = 60_000;

export interface ActorHooks {
  emit(report: TaskReport): void;
  /** The task's containers and state are gone; the engine forgets the actor. */
  cleanedUp(taskArn: string): void;
}

export class TaskActor {
  readonly taskArn: string;
  readonly #task: TaskState;
  readonly #ctx: EngineContext;
  readonly #hooks: ActorHooks;
  readonly #mailbox: Mailbox;
  readonly #inflight = new Set<string>();
  /** Containers being inspected, with whether another inspect was asked for meanwhile. */
  readonly #observing = new Map<string, boolean>();
  readonly #retryAt = new Map<string, number>();
  #wake: unknown;
  #cleanup: unknown;
  #firewallRetry: unknown;
  /** The firewall revision in the task's namespace now (none: default deny, or not known after a restart). */
  #appliedFirewall: string | undefined;
  readonly #journal: TaskJournal;
  #closed = false;

  /** `persisted`: the task was loaded from disk as it is, so it need not be written again until it changes. */
  constructor(ctx: EngineContext, hooks: ActorHooks, task: TaskState, persisted: boolean) {
    this.taskArn = task.assignment.taskArn;
    this.#task = task;
    this.#journal = new TaskJournal(ctx.store, (report) => hooks.emit(report), task, persisted);
    this.#ctx = ctx;
    this.#hooks = hooks;
    this.#mailbox = new Mailbox((error) =>
      ctx.logger.error({ task: this.taskArn, err: describeError(error) }, 'task actor job failed'),
    );
  }

  /** The task's state for readers (metadata endpoint, introspection); only the actor writes it. */
  get state(): Readonly<TaskState> {
    return this.#task;
  }

  /** First run (new task) or restart (restored task): re-read Docker, then carry on. */
  start(reconcile: boolean): Promise<void> {
    return this.#post(async () => {
      await this.#adoptNetwork();
      if (reconcile) await this.#reconcileNow();
      await this.#advance();
      await this.#syncFirewall();
    });
  }

  /**
   * awsvpc: the task's security groups as the control plane sent them. Persisted first, then
   * applied to the namespace (atomically replacing the previous rules), or once it exists.
   */
  firewall(rules: TaskFirewall, revision: string): Promise<void> {
    return this.#post(async () => {
      if (this.#task.assignment.taskDefinition.networkMode !== 'awsvpc') return;
      if (this.#task.firewall?.revision !== revision) {
        this.#task.firewall = { rules, revision };
        await this.#persistAndReport();
      }
      await this.#syncFirewall();
    });
  }

  /** A newer assignment (higher version): today only the desired status may change. */
  apply(assignment: TaskAssignment): Promise<void> {
    return this.#post(async () => {
      if (assignment.version <= this.#task.assignment.version) return;
      this.#task.assignment = {
        ...this.#task.assignment,
        version: assignment.version,
        desiredStatus: assignment.desiredStatus,
      };
      if (assignment.desiredStatus === 'STOPPED') {
        requestStop(this.#task, this.#ctx.clock.now(), assignment.stopCode, assignment.stoppedReason);
      }
      await this.#advance();
    });
  }

  dockerEvent(event: ContainerEvent): void {
    void this.#post(async () => {
      if (event.labels[EcsLabel.ContainerName] === PAUSE_CONTAINER_NAME) {
        if (event.action === 'die' || event.action === 'destroy') await this.#checkPause();
        return;
      }
      const c = findContainer(this.#task, event.labels[EcsLabel.ContainerName] ?? '');
      if (!c || (c.runtimeId && c.runtimeId !== event.id)) return;
      if (event.action === 'health_status') {
        if (setHealth(c, healthFromDocker(event.health), this.#ctx.clock.now())) await this.#advance();
      } else if (event.action === 'oom') {
        c.oomEvent = true;
        // The kernel's oom event can reach us after `die` was already observed: name the kill then.
        if (c.known === 'STOPPED' && !c.reason) {
          c.reason = StopReason.OutOfMemory;
          await this.#advance();
        }
      } else if (event.action === 'die' || event.action === 'destroy') {
        this.#observe(c.name);
      } else if (event.action === 'start' && c.known !== 'RUNNING' && !this.#inflight.has(c.name)) {
        // Started by someone else (our own start step inspects the container itself).
        this.#observe(c.name);
      }
    });
  }

  /** Re-reads every container from Docker (after the event stream reconnected). */
  reconcile(): Promise<void> {
    return this.#post(async () => {
      await this.#reconcileNow();
      await this.#advance();
      await this.#syncFirewall();
    });
  }

  /** The control plane holds reports up to `seq`; a cleaned-up task waiting for that is forgotten. */
  acknowledge(seq: number): void {
    void this.#post(async () => {
      if (seq <= this.#task.ackedSeq) return;
      this.#task.ackedSeq = seq;
      if (this.#task.cleanedAt !== undefined) await this.#forgetIfAcknowledged();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#ctx.timers.clearTimeout(this.#wake);
    this.#ctx.timers.clearTimeout(this.#cleanup);
    this.#ctx.timers.clearTimeout(this.#firewallRetry);
    await this.#mailbox.idle();
  }

  #post(job: () => Promise<void> | void): Promise<void> {
    return this.#mailbox.post(() => (this.#closed ? undefined : job()));
  }

  /** After a restart: the task's network is still in use (the VPC bridge must not go). */
  async #adoptNetwork(): Promise<void> {
    const network = this.#task.resources?.network;
    if (network && this.#task.networkReleasedAt === undefined)
      await this.#ctx.network.adopt(this.taskArn, network);
  }

  /**
   * awsvpc: the pause container holds the namespace every container of the task lives in; if it
   * stopped while the task should run, the task stops (ECS treats it as essential).
   */
  async #checkPause(): Promise<void> {
    const task = this.#task;
    const network = task.resources?.network;
    if (!network || task.desired !== 'RUNNING' || task.networkReleasedAt !== undefined) return;
    const info = await this.#ctx.runtime.inspectContainer(network.pauseId).catch(() => 'unknown' as const);
    if (info === 'unknown' || info?.running) return;
    requestStop(
      task,
      this.#ctx.clock.now(),
      StopCode.EssentialContainerExited,
      StopReason.PauseContainerExited,
    );
    await this.#advance();
  }

  /** Applies the recorded firewall when the namespace has another one (or an unknown one, after a restart). */
  async #syncFirewall(): Promise<void> {
    const task = this.#task;
    const network = task.resources?.network;
    const firewall = task.firewall;
    if (!network || !firewall || task.networkReleasedAt !== undefined || task.known === 'STOPPED') return;
    if (firewall.revision === this.#appliedFirewall) return;
    try {
      await this.#ctx.network.applyFirewall(network, firewall.rules);
      this.#appliedFirewall = firewall.revision;
    } catch (error) {
      this.#ctx.logger.warn(
        { task: this.taskArn, revision: firewall.revision, err: describeError(error) },
        'could not apply the task firewall; will retry',
      );
      this.#ctx.timers.clearTimeout(this.#firewallRetry);
      this.#firewallRetry = this.#ctx.timers.setTimeout(
        () => void this.#post(() => this.#syncFirewall()),
        FIREWALL_RETRY_DELAY_MS,
      );
    }
  }

  async #reconcileNow(): Promise<void> {
    await this.#checkPause();
    const now = this.#ctx.clock.now();
    for (const c of this.#task.containers) {
      if (c.known === 'STOPPED' || (c.known === 'NONE' && !c.runtimeId)) continue;
      const result = await observeStep(this.#ctx, c);
      const followup = applyStepResult(this.#task, result, now);
      if (followup.type === 'log')
        this.#ctx.logger.warn({ task: this.taskArn, container: c.name }, followup.message);
    }
  }

  async #advance(): Promise<void> {
    const task = this.#task;
    const now = this.#ctx.clock.now();
    let next = plan(task, this.#inflight, now);
    for (let round = 0; next.changes.length > 0 && round < MAX_PLAN_ROUNDS; round++) {
      for (const change of next.changes) applyChange(task, change, now);
      deriveTaskStatus(task, now);
      next = plan(task, this.#inflight, now);
    }
    deriveTaskStatus(task, now);
    const actions = next.actions.filter(
      (a) => (a.type !== 'stop' && a.type !== 'deprovision') || (this.#retryAt.get(actionKey(a)) ?? 0) <= now,
    );
    for (const a of actions) this.#prepare(a, now);
    await this.#persistAndReport();
    for (const a of actions) this.#launch(a);
    this.#scheduleWake(next.wakeAt, now);
    if (task.known === 'STOPPED') this.#scheduleCleanup();
  }

  #prepare(action: Action, now: number): void {
    this.#inflight.add(actionKey(action));
    if (action.type === 'pull') {
      this.#task.pullStartedAt ??= now;
      const c = findContainer(this.#task, action.container);
      if (c) c.pullStartedAt = now;
    }
  }

  /** Persist, then report (see task-journal.ts). */
  #persistAndReport(): Promise<void> {
    return this.#journal.commit(this.#task);
  }

  #launch(action: Action): void {
    const key = actionKey(action);
    void runStep(this.#ctx, this.#task, action).then((result) =>
      this.#post(async () => {
        this.#inflight.delete(key);
        this.#handleResult(result);
        await this.#advance();
        if (result.type === 'provisioned' && result.resources.network) {
          this.#appliedFirewall = result.firewallRevision;
          await this.#syncFirewall();
        }
      }),
    );
  }

  #handleResult(result: StepResult): void {
    const now = this.#ctx.clock.now();
    const followup = applyStepResult(this.#task, result, now);
    if (followup.type === 'retry-stop') this.#retryAt.set(followup.container, now + STOP_RETRY_DELAY_MS);
    if (followup.type === 'retry-deprovision') {
      this.#retryAt.set(TASK_STEP, now + DEPROVISION_RETRY_DELAY_MS);
      this.#ctx.logger.warn(
        { task: this.taskArn, reason: followup.reason },
        'could not remove the task network; will retry',
      );
    }
    if (followup.type === 'log') this.#ctx.logger.warn({ task: this.taskArn }, followup.message);
  }

  #observe(name: string): void {
    if (this.#observing.has(name)) {
      this.#observing.set(name, true);
      return;
    }
    this.#observing.set(name, false);
    const c = findContainer(this.#task, name)!;
    void observeStep(this.#ctx, c).then((result) =>
      this.#post(async () => {
        const again = this.#observing.get(name);
        this.#observing.delete(name);
        this.#handleResult(result);
        await this.#advance();
        if (again) this.#observe(name);
      }),
    );
  }

  #scheduleWake(wakeAt: number | undefined, now: number): void {
    const retries = [...this.#retryAt.values()].filter((t) => t > now);
    const at = Math.min(wakeAt ?? Number.POSITIVE_INFINITY, ...retries);
    this.#ctx.timers.clearTimeout(this.#wake);
    if (!Number.isFinite(at)) return;
    this.#wake = this.#ctx.timers.setTimeout(
      () => void this.#post(() => this.#advance()),
      Math.max(0, at - now),
    );
  }

  #scheduleCleanup(delayMs?: number): void {
    if (this.#cleanup !== undefined && delayMs === undefined) return;
    this.#ctx.ports.release(this.taskArn);
    const now = this.#ctx.clock.now();
    const due = (this.#task.stoppedAt ?? now) + this.#ctx.config.cleanupWaitMs;
    const wait = delayMs ?? Math.max(0, due - now);
    this.#ctx.timers.clearTimeout(this.#cleanup);
    this.#cleanup = this.#ctx.timers.setTimeout(() => void this.#post(() => this.#cleanupNow()), wait);
  }

  async #cleanupNow(): Promise<void> {
    const task = this.#task;
    if (task.cleanedAt === undefined) {
      try {
        await removeTaskResources(this.#ctx, task);
      } catch (error) {
        this.#ctx.logger.warn(
          { task: this.taskArn, err: describeError(error) },
          'task cleanup failed; will retry',
        );
        this.#scheduleCleanup(CLEANUP_RETRY_DELAY_MS);
        return;
      }
      task.cleanedAt = this.#ctx.clock.now();
      await this.#persistAndReport();
    }
    await this.#forgetIfAcknowledged();
  }

  /** Drops the task once its final report is acknowledged (or ECS's longest wait passed). */
  async #forgetIfAcknowledged(): Promise<void> {
    const now = this.#ctx.clock.now();
    if (!mayForget(this.#task, now)) {
      if (this.#task.cleanedAt !== undefined) {
        const giveUpAt = (this.#task.stoppedAt ?? now) + ACK_WAIT_MAX_MS;
        this.#scheduleCleanup(Math.max(0, giveUpAt - now));
      }
      return;
    }
    await this.#ctx.store.deleteTask(this.taskArn);
    this.#closed = true;
    this.#hooks.cleanedUp(this.taskArn);
  }
}

/** The in-flight key of an action: the container's name, or TASK_STEP for task-level steps. */
function actionKey(action: Action): string {
  return action.type === 'provision' || action.type === 'deprovision' ? TASK_STEP : action.container;
}
