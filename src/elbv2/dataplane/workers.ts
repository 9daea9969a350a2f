/**
 * Proxy worker processes for HTTP listeners. The primary (the process the control plane talks to)
 * owns health checks, draining decisions and reports; each worker runs the same data plane on the
 * same HTTP ports (SO_REUSEPORT: the kernel spreads connections over the processes) and follows:
 * it gets the config with the ports the primary bound, the health the primary's checks found,
 * and sends back its metrics and when it has nothing left in flight to a draining target.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { DataplaneConfig, MetricsSample } from './config.ts';
import type { CheckedHealth } from './targets.ts';

export interface HealthUpdate {
  targetGroupArn: string;
  key: string;
  health: CheckedHealth;
  healthySince?: number;
}

export type ToWorker =
  | { type: 'config'; config: DataplaneConfig; health: HealthUpdate[] }
  | { type: 'health'; updates: HealthUpdate[] }
  | { type: 'shutdown' };
export type FromWorker =
  | { type: 'drained'; targetGroupArn: string; key: string }
  | { type: 'metrics'; sample: MetricsSample }
  | { type: 'listen-failed'; listenerArn: string; message: string };

export interface WorkerPoolOptions {
  count: number;
  bindAddress: string;
  onDrained(index: number, targetGroupArn: string, key: string): void;
  onMetrics(index: number, sample: MetricsSample): void;
}

const ENTRY = new URL('./worker-main.ts', import.meta.url).pathname;
const RESTART_DELAY_MS = 1000;

export class WorkerPool {
  readonly #workers: ChildProcess[] = [];
  #last: ToWorker | undefined;
  #closing = false;
  /** The latest health of every target, for a worker started again. */
  #health = new Map<string, HealthUpdate>();

  constructor(options: WorkerPoolOptions) {
    for (let i = 0; i < options.count; i++) this.#start(i, options);
  }

  pids(): number[] {
    return this.#workers.map((w) => w.pid ?? 0);
  }

  get size(): number {
    return this.#workers.length;
  }

  #start(index: number, options: WorkerPoolOptions): void {
    const child = fork(ENTRY, [], {
      execArgv: ['--disable-warning=ExperimentalWarning'],
      env: { ...process.env, LONGSHORE_LB_BIND: options.bindAddress },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (m: FromWorker) => {
      if (m.type === 'drained') options.onDrained(index, m.targetGroupArn, m.key);
      else if (m.type === 'metrics') options.onMetrics(index, m.sample);
      else if (m.type === 'listen-failed')
        process.stderr.write(`load-balancer worker ${index}: ${m.message}\n`);
    });
    child.on('error', () => {});
    // A worker that dies is started again and given the last config; meanwhile the other
    // processes on the port take its share (the kernel stops sending to a closed socket).
    child.on('exit', (code, signal) => {
      if (this.#closing) return;
      process.stderr.write(`load-balancer worker ${index} exited (${signal ?? code}); starting it again\n`);
      const timer = setTimeout(() => {
        if (this.#closing) return;
        this.#start(index, options);
        const last = this.#last;
        if (last?.type === 'config')
          this.#workers[index].send({
            type: 'config',
            config: last.config,
            health: [...this.#health.values()],
          });
      }, RESTART_DELAY_MS);
      timer.unref();
    });
    child.unref();
    child.channel?.unref();
    this.#workers[index] = child;
  }

  send(message: ToWorker): void {
    if (message.type === 'config') {
      this.#last = message;
      this.#health = new Map(message.health.map((u) => [`${u.targetGroupArn} ${u.key}`, u]));
    } else if (message.type === 'health')
      for (const u of message.updates) this.#health.set(`${u.targetGroupArn} ${u.key}`, u);
    for (const w of this.#workers) if (w.connected) w.send(message);
  }

  /** The config last sent (a restarted worker would get it; kept for tests). */
  get lastConfig(): ToWorker | undefined {
    return this.#last;
  }

  close(): void {
    this.#closing = true;
    for (const w of this.#workers) {
      if (w.connected) w.send({ type: 'shutdown' });
      setTimeout(() => w.kill('SIGKILL'), 2000).unref();
    }
  }
}

/** What a worker serves: the ALBs' HTTP listeners, on the ports the primary got (others are the primary's alone). */
export function workerConfig(
  config: DataplaneConfig,
  hostPort: (listenerArn: string) => number | undefined,
): DataplaneConfig {
  return {
    ...config,
    loadBalancers: config.loadBalancers
      .filter((lb) => lb.type === 'application')
      .map((lb) => ({
        ...lb,
        listeners: lb.listeners
          .filter((l) => l.protocol === 'HTTP' && hostPort(l.arn) !== undefined)
          .map((l) => ({ ...l, port: hostPort(l.arn) as number })),
      })),
  };
}
