/** Starts real agents (Docker runtime) in-process against a test control plane. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { pino } from 'pino';
import { INSTANCE_LABEL } from '../../src/agent/engine/naming.ts';
import type { Agent } from '../../src/agent/agent.ts';
import { startDockerAgent } from '../../src/cli/agent-command.ts';
import { TEST_CREDENTIALS, type TestPlane } from './control-plane.ts';

export interface TestAgent {
  agent: Agent;
  dataDir: string;
  stop(): Promise<void>;
}

/** `flags` are `longshore agent` flags by name (cluster, cpu, memory, host-port-range ...). */
export async function startTestAgent(
  t: TestPlane,
  flags: Record<string, string | string[]> = {},
  existingDataDir?: string,
  extra: { usageSampleMs?: number } = {},
): Promise<TestAgent> {
  const dataDir = existingDataDir ?? mkdtempSync(join(tmpdir(), 'longshore-agent-'));
  const agent = await startDockerAgent({
    endpoint: t.plane.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    dataDir,
    values: { 'metadata-port': '0', 'cleanup-wait': '2s', ...flags },
    log: pino({ level: process.env.LONGSHORE_TEST_LOG ?? 'silent' }),
    ...extra,
  });
  return {
    agent,
    dataDir,
    async stop() {
      await agent.stop();
      await removeAgentContainers(agent.containerInstanceArn);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * An agent that stops leaves its containers running (the next start re-adopts them); a test's
 * agent never starts again, so its containers go with it.
 */
export async function removeAgentContainers(containerInstanceArn: string): Promise<void> {
  const docker = new Docker();
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`${INSTANCE_LABEL}=${containerInstanceArn}`] },
  });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
}

/** Polls `probe` every `everyMs` until it returns a value, failing after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
