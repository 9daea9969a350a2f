/**
 * Runs the load-balancer data plane (`../dataplane/main.ts`) as a child process of the control
 * plane and keeps it converged on the store: whenever an ELBv2 record of any region changes (or an
 * agent's address does), the whole config is rebuilt from the records (`toDataplaneConfig`) and
 * sent if it differs from the last one sent. What the data plane reports comes back into the
 * store: target health (`recordTargetHealth`), finished drains (`forgetDrainedTarget`), and where
 * each listener listens (kept here for `longshore` and logged).
 *
 * The child starts with the first load balancer and is restarted (with backoff) if it dies; it
 * dies with the control plane (its IPC channel closes). It runs apart so that slow targets or
 * thousands of client connections never slow the API.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { describeError } from '../../core/errors.ts';
import { Kind, type Store } from '../../store/store.ts';
import { type ElbMetricDatum, sampleToMetricData } from './elb-metrics.ts';
import type {
  DataplaneCommand,
  DataplaneConfig,
  DataplaneReport,
  MetricsSample,
} from '../dataplane/config.ts';

type Elbv2Model = typeof import('../model/index.ts');

const ENTRY = new URL('../dataplane/main.ts', import.meta.url).pathname;
/** Changes arriving within this long are folded into one rebuild. */
const DEBOUNCE_MS = 50;
const RESTART_BACKOFF_MS = [200, 1_000, 5_000, 15_000];
const SHUTDOWN_GRACE_MS = 5_000;

const ELBV2_KINDS: ReadonlySet<string> = new Set([
  Kind.Elbv2LoadBalancer,
  Kind.Elbv2Listener,
  Kind.Elbv2Rule,
  Kind.Elbv2TargetGroup,
  Kind.Elbv2Target,
  Kind.Elbv2Certificate,
  Kind.ContainerInstance,
]);

/** What the supervisor reads of a container instance (ECS's record, read loosely: elbv2 does not depend on ECS). */
interface InstanceView {
  instance: {
    ec2InstanceId?: string;
    containerInstanceArn?: string;
    status?: string;
    agentConnected?: boolean;
  };
  /** Where the agent connects from, recorded by whichever replica holds its session (cluster mode). */
  agentSession?: { address: string };
}

export interface SupervisorLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface DataplaneSupervisorOptions {
  /** Where listeners bind (`--host` of the control plane; loopback by default). */
  bindAddress: string;
  /**
   * The address a container instance's agent connects from (its host, where Docker publishes
   * host ports): instance targets are reached there. Undefined while its agent is not connected.
   */
  agentAddress(containerInstanceArn: string): string | undefined;
  log: SupervisorLog;
  now(): number;
  /** Extra environment for the child (tests set LONGSHORE_LB_METRICS_MS, LONGSHORE_LB_WORKERS). */
  env?: Record<string, string>;
  /**
   * The load balancers' CloudWatch data (AWS/ApplicationELB, AWS/NetworkELB) for a region's store,
   * as each metrics sample comes (the control plane folds them into CloudWatch's minutes).
   */
  onMetrics?: (store: Store, data: ElbMetricDatum[]) => Promise<void>;
}

export interface ListenerAddress {
  listenerArn: string;
  hostAddress?: string;
  hostPort?: number;
  error?: string;
}

export class DataplaneSupervisor {
  readonly #o: DataplaneSupervisorOptions;
  readonly #regions = new Map<string, Store>();
  readonly #unwatch: (() => void)[] = [];
  readonly #listeners = new Map<string, ListenerAddress>();
  #child: ChildProcess | undefined;
  #modelLoad: Promise<Elbv2Model> | undefined;
  #generation = 0;
  #lastSent = '';
  #timer: NodeJS.Timeout | undefined;
  #building: Promise<void> | undefined;
  #again = false;
  #restarts = 0;
  #closed = false;

  constructor(options: DataplaneSupervisorOptions) {
    this.#o = options;
  }

  /** Watches a region's store (every region the control plane serves is added as it appears). */
  addRegion(region: string, store: Store): void {
    // Once per region: a replica that leads again (cluster mode) adds its regions again.
    if (this.#regions.has(region)) return;
    this.#regions.set(region, store);
    this.#unwatch.push(
      store.watch((batch) => {
        if (batch.gap || batch.changes.some((c) => ELBV2_KINDS.has(c.kind))) this.changed();
      }),
    );
    this.changed();
  }

  /** Something the config depends on changed outside the store (an agent connected or left). */
  changed(): void {
    if (this.#closed || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#rebuild();
    }, DEBOUNCE_MS);
    this.#timer.unref?.();
  }

  /** Where each listener listens (or why it cannot), by listener ARN. */
  listeners(): ListenerAddress[] {
    return [...this.#listeners.values()];
  }

  /** Resolves once the config in force now has been built and sent (tests). */
  async settled(): Promise<void> {
    while (this.#timer || this.#building) {
      await (this.#building ?? new Promise((r) => setTimeout(r, DEBOUNCE_MS)));
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    for (const u of this.#unwatch) u();
    await this.#building?.catch(() => {});
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.#send(child, { type: 'shutdown' });
    const timer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  async #rebuild(): Promise<void> {
    if (this.#building) {
      this.#again = true;
      return;
    }
    this.#building = this.#build()
      .catch((error: unknown) =>
        this.#o.log.error({ error: describeError(error) }, 'load balancer config could not be built'),
      )
      .finally(() => {
        this.#building = undefined;
        if (this.#again) {
          this.#again = false;
          this.changed();
        }
      });
    return this.#building;
  }

  /** ELBv2's model, loaded once some region has a load balancer (start-up does not pay for it). */
  #model(): Promise<Elbv2Model> {
    this.#modelLoad ??= import('../model/index.ts');
    return this.#modelLoad;
  }

  async #build(): Promise<void> {
    const merged: DataplaneConfig = { generation: 0, loadBalancers: [], targetGroups: [] };
    const now = this.#o.now();
    if (!this.#child && !this.#modelLoad) {
      let any = false;
      for (const store of this.#regions.values())
        any ||= (await store.list(Kind.Elbv2LoadBalancer)).length > 0;
      if (!any) return;
    }
    const { readElbv2Records, toDataplaneConfig } = await this.#model();
    for (const store of this.#regions.values()) {
      const { records, instances } = await store.transact(async (tx) => ({
        records: await readElbv2Records(tx, now),
        instances: await tx.list<InstanceView>(Kind.ContainerInstance),
      }));
      // EC2 instance id -> the container instance registered with it, in this region.
      const arnOf = new Map<string, string>();
      const recorded = new Map<string, string>();
      for (const { value } of instances) {
        const i = value.instance;
        if (!i.ec2InstanceId || !i.containerInstanceArn || i.status === 'INACTIVE') continue;
        arnOf.set(i.ec2InstanceId, i.containerInstanceArn);
        if (i.agentConnected && value.agentSession)
          recorded.set(i.containerInstanceArn, value.agentSession.address);
      }
      // This replica's own sessions first; an agent connected to another replica by its record.
      const resolve = (id: string) => {
        const arn = arnOf.get(id);
        return arn ? (this.#o.agentAddress(arn) ?? recorded.get(arn)) : undefined;
      };
      const config = toDataplaneConfig(records, 0, resolve);
      merged.loadBalancers.push(...config.loadBalancers);
      merged.targetGroups.push(...config.targetGroups);
    }
    const text = JSON.stringify(merged);
    if (merged.loadBalancers.length === 0 && !this.#child) return;
    const child = this.#ensureChild();
    if (text === this.#lastSent && child === this.#child && this.#generation > 0) return;
    this.#lastSent = text;
    merged.generation = ++this.#generation;
    this.#send(child, { type: 'config', config: merged });
  }

  #ensureChild(): ChildProcess {
    if (this.#child && this.#child.exitCode === null && this.#child.connected) return this.#child;
    const child = fork(ENTRY, [], {
      execArgv: ['--disable-warning=ExperimentalWarning'],
      env: { ...process.env, LONGSHORE_LB_BIND: this.#o.bindAddress, ...this.#o.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child = child;
    this.#lastSent = '';
    child.on('message', (report: DataplaneReport) => this.#onReport(report));
    child.on('error', (error) =>
      this.#o.log.warn({ error: describeError(error) }, 'load balancer data plane process error'),
    );
    child.once('exit', (code, signal) => {
      if (this.#child !== child) return;
      this.#child = undefined;
      if (this.#closed) return;
      const delay = RESTART_BACKOFF_MS[Math.min(this.#restarts, RESTART_BACKOFF_MS.length - 1)];
      this.#restarts++;
      this.#o.log.error(
        { code, signal, restartInMs: delay },
        'the load balancer data plane exited; restarting it',
      );
      setTimeout(() => this.changed(), delay).unref?.();
    });
    this.#o.log.info({ pid: child.pid }, 'load balancer data plane started');
    return child;
  }

  #send(child: ChildProcess, command: DataplaneCommand): void {
    if (child.connected) child.send(command);
  }

  #onReport(report: DataplaneReport): void {
    switch (report.type) {
      case 'listening': {
        const before = this.#listeners.get(report.listenerArn);
        this.#listeners.set(report.listenerArn, {
          listenerArn: report.listenerArn,
          hostAddress: report.hostAddress,
          hostPort: report.hostPort,
        });
        if (before?.hostPort !== report.hostPort) {
          this.#o.log.info(
            { listener: report.listenerArn, address: `${report.hostAddress}:${report.hostPort}` },
            'load balancer listener listening',
          );
        }
        this.#restarts = 0;
        return;
      }
      case 'listen-failed':
        this.#listeners.set(report.listenerArn, { listenerArn: report.listenerArn, error: report.message });
        this.#o.log.warn(
          { listener: report.listenerArn, error: report.message },
          'load balancer listener cannot listen',
        );
        return;
      case 'health':
        this.#recordHealth(report.targets);
        return;
      case 'drained': {
        const store = this.#storeOf(report.targetGroupArn);
        if (store)
          this.#guard(
            this.#model().then((m) => m.forgetDrainedTarget(store, report.targetGroupArn, report.key)),
            'a drained target',
          );
        return;
      }
      case 'metrics':
        this.#recordMetrics(report.sample);
        return;
    }
  }

  #recordHealth(targets: Extract<DataplaneReport, { type: 'health' }>['targets']): void {
    const byGroup = new Map<string, typeof targets>();
    for (const t of targets) byGroup.set(t.targetGroupArn, [...(byGroup.get(t.targetGroupArn) ?? []), t]);
    for (const [tgArn, healths] of byGroup) {
      const store = this.#storeOf(tgArn);
      if (store) {
        const now = this.#o.now();
        this.#guard(
          this.#model().then((m) => m.recordTargetHealth(store, tgArn, healths, now)),
          'target health',
        );
      }
    }
  }

  #recordMetrics(sample: MetricsSample): void {
    const onMetrics = this.#o.onMetrics;
    if (!onMetrics) return;
    const byRegion = new Map<Store, ElbMetricDatum[]>();
    for (const d of sampleToMetricData(sample)) {
      const lb = d.dimensions.find((x) => x.name === 'LoadBalancer')?.value ?? '';
      const tg = d.dimensions.find((x) => x.name === 'TargetGroup')?.value ?? '';
      const arn =
        sample.loadBalancers.find((l) => l.arn.endsWith(`loadbalancer/${lb}`))?.arn ??
        sample.targetGroups.find((g) => g.arn.endsWith(tg))?.arn ??
        '';
      const store = this.#storeOf(arn);
      if (store) byRegion.set(store, [...(byRegion.get(store) ?? []), d]);
    }
    for (const [store, data] of byRegion) this.#guard(onMetrics(store, data), 'load balancer metrics');
  }

  /** The store of the region an ELBv2 ARN names. */
  #storeOf(arn: string): Store | undefined {
    return this.#regions.get(arn.split(':')[3] ?? '');
  }

  #guard(work: Promise<unknown>, what: string): void {
    work.catch((error: unknown) =>
      this.#o.log.warn({ error: describeError(error) }, `recording ${what} from the data plane failed`),
    );
  }
}
