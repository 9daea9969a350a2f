/**
 * The control plane's Prometheus metrics (prom-client), served unauthenticated at `GET /metrics`
 * on the API port for operators who scrape: API requests by service, operation and status with
 * their latency, connected agents, tasks, services and container instances by status per region,
 * the store's revision, and Node's process metrics (event loop lag, heap, GC). Counts are read
 * from the store when scraped, never kept in step by hand.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Gauge, type Metric, Registry } from 'prom-client';
import type { ContainerInstanceRecord, ServiceRecord, TaskRecord } from '../ecs/model/records.ts';
import { Kind, type Store } from '../store/store.ts';
import type { RequestMetrics } from './request-metrics.ts';

export interface ControlPlaneMetricsSources {
  /** Every region's store view, by region. */
  regions(): { region: string; store: Store }[];
  /** The root store (its revision). */
  store: Store;
  agentsConnected(): number;
  /** API requests, counted by the control plane from its start. */
  requests: RequestMetrics;
}

export interface ControlPlaneMetrics {
  registry: Registry;
  /** `GET /metrics`. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function controlPlaneMetrics(sources: ControlPlaneMetricsSources): ControlPlaneMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'longshore_' });
  // prom-client's custom-metric interface: any object with name, help, type and get().
  for (const metric of sources.requests.promMetrics()) registry.registerMetric(metric as unknown as Metric);
  new Gauge({
    name: 'longshore_agents_connected',
    help: 'Agents connected to this control plane',
    registers: [registry],
    collect() {
      this.set(sources.agentsConnected());
    },
  });
  new Gauge({
    name: 'longshore_store_revision',
    help: 'Revision of the last committed store transaction',
    registers: [registry],
    collect() {
      this.set(sources.store.revision());
    },
  });
  new Gauge({
    name: 'longshore_tasks',
    help: 'Tasks known (STOPPED ones until they expire), by region and last status',
    labelNames: ['region', 'last_status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { region, store } of sources.regions()) {
        for (const [status, n] of countBy(
          await store.list<TaskRecord>(Kind.Task),
          (t) => t.task.lastStatus ?? 'PROVISIONING',
        ))
          this.set({ region, last_status: status }, n);
      }
    },
  });
  new Gauge({
    name: 'longshore_services',
    help: 'Services, by region and status',
    labelNames: ['region', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { region, store } of sources.regions()) {
        for (const [status, n] of countBy(
          await store.list<ServiceRecord>(Kind.Service),
          (s) => s.service.status ?? 'ACTIVE',
        ))
          this.set({ region, status }, n);
      }
    },
  });
  new Gauge({
    name: 'longshore_container_instances',
    help: 'Container instances, by region, status and whether their agent is connected',
    labelNames: ['region', 'status', 'agent_connected'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { region, store } of sources.regions()) {
        const instances = await store.list<ContainerInstanceRecord>(Kind.ContainerInstance);
        for (const [key, n] of countBy(
          instances,
          (i) => `${i.instance.status ?? 'ACTIVE'}|${i.instance.agentConnected === true}`,
        )) {
          const [status, connected] = key.split('|');
          this.set({ region, status, agent_connected: connected }, n);
        }
      }
    },
  });
  return {
    registry,
    async handle(_req, res) {
      const text = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(text) });
      res.end(text);
    },
  };
}

function countBy<T>(rows: readonly { value: T }[], keyOf: (value: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const { value } of rows) {
    const k = keyOf(value);
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}
