/**
 * The agent's Prometheus metrics (`longshore agent --metrics-port N`), on 127.0.0.1 only: whether
 * its control channel is up, its tasks by known status, and Node's process metrics. Opt-in: an
 * agent opens no port it was not asked to.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { http } from './http-request.ts';

export interface AgentMetricsSource {
  readonly connected: boolean;
  /** Tasks by the status the engine knows them in. */
  taskCounts(): Record<string, number>;
}

export interface AgentMetricsServer {
  port: number;
  close(): Promise<void>;
}

export async function startAgentMetrics(
  source: AgentMetricsSource,
  port: number,
): Promise<AgentMetricsServer> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'longshore_agent_' });
  new Gauge({
    name: 'longshore_agent_connected',
    help: '1 while the control channel to the control plane is up',
    registers: [registry],
    collect() {
      this.set(source.connected ? 1 : 0);
    },
  });
  new Gauge({
    name: 'longshore_agent_tasks',
    help: "The agent's tasks by known status",
    labelNames: ['status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [status, n] of Object.entries(source.taskCounts())) this.set({ status }, n);
    },
  });
  const server: Server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
