/** The built-in launchers, one each per control plane. */
import type { SimulationProfile } from '../../agent/simulated/sim-profile.ts';
import type { Launchers } from '../model/launcher.ts';
import { CommandLauncher } from './command-launcher.ts';
import type { LauncherEnv } from './launcher-env.ts';
import { LocalLauncher } from './local-launcher.ts';
import { SimulatedLauncher } from './simulated-launcher.ts';

export type { LauncherEnv } from './launcher-env.ts';
export { CommandLauncher, LocalLauncher, SimulatedLauncher };

export function builtInLaunchers(
  env: LauncherEnv,
  options: { simulationProfile?: Partial<SimulationProfile> } = {},
): Launchers & { simulated: SimulatedLauncher } {
  return {
    local: new LocalLauncher(env),
    simulated: new SimulatedLauncher(env, options.simulationProfile),
    command: new CommandLauncher(env),
  };
}
