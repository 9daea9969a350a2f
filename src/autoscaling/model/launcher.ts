/**
 * The launcher interface: what starts and stops a group's "instances". Built in: `local` (a
 * `longshore agent` process on this machine per instance), `simulated` (a simulated agent in the
 * control plane's process) and `command` (a user's command). docs/capacity-providers.md says how
 * to write one. Launchers are given to the Auto Scaling group controller by the CLI; the model
 * only knows this interface.
 */
import type { LaunchSpec, LauncherType } from './launch-spec.ts';

export interface LaunchRequest {
  instanceId: string;
  groupName: string;
  availabilityZone: string;
  region: string;
  spec: LaunchSpec;
}

export interface Launcher {
  /**
   * Starts the instance: its agent registers into `spec.cluster` reporting `instanceId` as its EC2
   * instance id. Resolves once the instance runs (not once it registered); returns what
   * `terminate` and `alive` need later. A rejection fails the launch (the group tries again).
   */
  launch(request: LaunchRequest): Promise<Record<string, string>>;
  /** Stops the instance for good; idempotent (an instance already gone is fine). */
  terminate(request: LaunchRequest, handle: Record<string, string>): Promise<void>;
  /** False once the instance is known dead (the group replaces it); true when unsure. */
  alive(request: LaunchRequest, handle: Record<string, string>): boolean;
  /** Stops everything this launcher runs in this process (the control plane is closing). */
  close(): Promise<void>;
}

export type Launchers = Readonly<Record<LauncherType, Launcher>>;
