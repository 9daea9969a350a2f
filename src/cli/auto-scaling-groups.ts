/**
 * EC2 Auto Scaling's part of the control plane: the built-in launchers (made on first use, one set
 * per control plane, stopped with it so no instance outlives it) and, per region, the Auto Scaling
 * group controller and ECS managed scaling (docs/capacity-providers.md).
 */
import type { Logger } from 'pino';
import { join } from 'node:path';
import type { SimulatedLauncher } from '../autoscaling/launchers/simulated-launcher.ts';
import type { Launchers } from '../autoscaling/model/launcher.ts';
import { putMetricData } from '../cloudwatch/model/metric-data.ts';
import { AutoScalingGroupsController } from '../controllers/auto-scaling-groups/auto-scaling-groups-controller.ts';
import { ManagedScalingController } from '../controllers/managed-scaling/managed-scaling-controller.ts';
import type { EcsContext } from '../ecs/model/context.ts';
import { builtInLaunchers } from '../autoscaling/launchers/index.ts';
import type { Runnable } from './running-set.ts';

export interface GroupLaunchers {
  /** The launchers (made on first call). */
  get(): Launchers & { simulated: SimulatedLauncher };
  /** Stops every instance the launchers run. */
  close(): Promise<void>;
}

export function groupLaunchers(o: {
  endpoint(): string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  dataDir: string;
  log: Logger;
}): GroupLaunchers {
  let made: (Launchers & { simulated: SimulatedLauncher }) | undefined;
  return {
    get() {
      made ??= builtInLaunchers({
        endpoint: o.endpoint,
        credentials: o.credentials,
        dataDir: join(o.dataDir, 'instances'),
        log: o.log,
      });
      return made;
    },
    async close() {
      if (!made) return;
      await Promise.all(Object.values(made).map((l) => l.close()));
    },
  };
}

/** The region's group controller and managed scaling, for the RunningSet. */
export function autoScalingControllers(
  ctx: EcsContext,
  o: { launchers: GroupLaunchers; periodSeconds: number; log: Logger },
): [string, Runnable][] {
  // Launchers are made when a group first needs one, not at start-up.
  const launchers = new Proxy({} as Launchers, {
    get: (_t, key: string) => o.launchers.get()[key as keyof Launchers],
  });
  return [
    ['auto scaling group controller', new AutoScalingGroupsController(ctx, { launchers, log: o.log })],
    [
      'managed scaling controller',
      new ManagedScalingController(ctx, {
        periodSeconds: o.periodSeconds,
        publish: (data) => putMetricData(ctx.store, data, { now: ctx.clock.now() }),
        log: o.log,
      }),
    ],
  ];
}
