/**
 * The `simulated` launcher (a SIMULATION, for tests and benchmarks): each instance is a simulated
 * agent in this process (src/agent/simulated/): a real `Agent` that registers through the ECS API
 * and holds its own control channel, with a SimulatedEngine that runs no container. Its shape is
 * the group's `longshore:cpu` / `longshore:memory` / `longshore:instance-type`.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ECSClient } from '@aws-sdk/client-ecs';
import type { Agent } from '../../agent/agent.ts';
import type { SimulationProfile } from '../../agent/simulated/sim-profile.ts';
import type { Launcher, LaunchRequest } from '../model/launcher.ts';
import type { LauncherEnv } from './launcher-env.ts';

const PORT_RANGE = { from: 32768, to: 60999 } as const;

export class SimulatedLauncher implements Launcher {
  readonly #env: LauncherEnv;
  readonly #profile: Partial<SimulationProfile> | undefined;
  readonly #agents = new Map<string, Agent>();
  #ecs: ECSClient | undefined;

  constructor(env: LauncherEnv, profile?: Partial<SimulationProfile>) {
    this.#env = env;
    this.#profile = profile;
  }

  async launch(r: LaunchRequest): Promise<Record<string, string>> {
    const dir = join(this.#env.dataDir, r.instanceId);
    mkdirSync(dir, { recursive: true });
    // One client for every simulated agent: one keep-alive pool (start-simulated-agents.ts).
    this.#ecs ??= new ECSClient({
      endpoint: this.#env.endpoint(),
      region: r.region,
      credentials: this.#env.credentials,
      maxAttempts: 5,
    });
    const log = this.#env.log;
    // The agent's modules load with the first simulated instance: a control plane that never
    // launches one does not carry them.
    const [{ Agent }, { cryptoRng }, { SIM_RESERVED_PORTS, simInstanceAttributes }, { SimulatedEngine }] =
      await Promise.all([
        import('../../agent/agent.ts'),
        import('../../agent/engine/defaults.ts'),
        import('../../agent/simulated/sim-instances.ts'),
        import('../../agent/simulated/simulated-engine.ts'),
      ]);
    const agent = new Agent({
      endpoint: this.#env.endpoint(),
      cluster: r.spec.cluster,
      region: r.region,
      credentials: this.#env.credentials,
      dataDir: dir,
      instanceId: r.instanceId,
      cpu: r.spec.cpu,
      memory: r.spec.memory,
      reservedPorts: SIM_RESERVED_PORTS,
      reservedUdpPorts: [],
      hostPortRange: PORT_RANGE,
      attributes: simInstanceAttributes({
        cpu: r.spec.cpu,
        memory: r.spec.memory,
        availabilityZone: r.availabilityZone,
        instanceType: r.spec.instanceType,
        attributes: [],
      }),
      dockerVersion: 'simulated',
      rng: cryptoRng,
      log,
      ecs: this.#ecs,
      createEngine: (containerInstanceArn) =>
        new SimulatedEngine({
          containerInstanceArn,
          hostPortRange: PORT_RANGE,
          ...(this.#profile ? { profile: this.#profile } : {}),
          log,
        }),
    });
    this.#agents.set(r.instanceId, agent);
    try {
      await agent.start();
    } catch (error) {
      this.#agents.delete(r.instanceId);
      await agent.stop().catch(() => undefined);
      throw error;
    }
    return { dataDir: dir };
  }

  async terminate(r: LaunchRequest, handle: Record<string, string>): Promise<void> {
    const agent = this.#agents.get(r.instanceId);
    this.#agents.delete(r.instanceId);
    await agent?.stop();
    if (handle.dataDir) rmSync(handle.dataDir, { recursive: true, force: true });
  }

  alive(r: LaunchRequest): boolean {
    return this.#agents.has(r.instanceId);
  }

  /** Stops the instance's agent as a crash would (tests: the group must replace it). */
  async crash(instanceId: string): Promise<void> {
    const agent = this.#agents.get(instanceId);
    this.#agents.delete(instanceId);
    await agent?.stop();
  }

  async close(): Promise<void> {
    const all = [...this.#agents.values()];
    this.#agents.clear();
    await Promise.all(all.map((a) => a.stop()));
    this.#ecs?.destroy();
    this.#ecs = undefined;
  }
}
