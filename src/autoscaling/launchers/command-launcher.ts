/**
 * The `command` launcher: runs the group's `longshore:command` through `/bin/sh -c`, once with
 * LONGSHORE_ACTION=launch and once with LONGSHORE_ACTION=terminate, for machines Longshore does
 * not start itself (a cloud CLI, Terraform, a hypervisor). The command's environment says which
 * instance and where its agent registers:
 *
 *   LONGSHORE_ACTION        launch | terminate
 *   LONGSHORE_INSTANCE_ID   the instance id (the agent must report it: LONGSHORE_INSTANCE_ID too)
 *   LONGSHORE_GROUP         the Auto Scaling group's name
 *   LONGSHORE_CLUSTER       the ECS cluster to register into
 *   LONGSHORE_ENDPOINT      the control plane's endpoint
 *   LONGSHORE_REGION, LONGSHORE_AVAILABILITY_ZONE, LONGSHORE_CPU, LONGSHORE_MEMORY, LONGSHORE_INSTANCE_TYPE
 *   LONGSHORE_ACCESS_KEY_ID, LONGSHORE_SECRET_ACCESS_KEY   the key pair the agent signs with
 *
 * A launch succeeds when the command exits 0 within LAUNCH_TIMEOUT_MS; the last line it prints
 * is kept as the instance's `ref` and handed back to terminate as LONGSHORE_INSTANCE_REF. The
 * command launcher cannot see the machine, so its instances always count as alive: when a machine
 * is lost, TerminateInstanceInAutoScalingGroup it and the group launches a replacement.
 */
import { spawn } from 'node:child_process';
import type { Launcher, LaunchRequest } from '../model/launcher.ts';
import type { LauncherEnv } from './launcher-env.ts';

export const LAUNCH_TIMEOUT_MS = 10 * 60_000;

export class CommandLauncher implements Launcher {
  readonly #env: LauncherEnv;

  constructor(env: LauncherEnv) {
    this.#env = env;
  }

  async launch(r: LaunchRequest): Promise<Record<string, string>> {
    const out = await this.#run(r, 'launch', {});
    const ref = out.trim().split('\n').pop() ?? '';
    return ref ? { ref } : {};
  }

  async terminate(r: LaunchRequest, handle: Record<string, string>): Promise<void> {
    await this.#run(r, 'terminate', handle.ref ? { LONGSHORE_INSTANCE_REF: handle.ref } : {});
  }

  alive(): boolean {
    return true;
  }

  async close(): Promise<void> {}

  #run(r: LaunchRequest, action: string, extra: Record<string, string>): Promise<string> {
    const env = {
      ...process.env,
      ...extra,
      LONGSHORE_ACTION: action,
      LONGSHORE_INSTANCE_ID: r.instanceId,
      LONGSHORE_GROUP: r.groupName,
      LONGSHORE_CLUSTER: r.spec.cluster,
      LONGSHORE_ENDPOINT: this.#env.endpoint(),
      LONGSHORE_REGION: r.region,
      LONGSHORE_AVAILABILITY_ZONE: r.availabilityZone,
      LONGSHORE_CPU: String(r.spec.cpu),
      LONGSHORE_MEMORY: String(r.spec.memory),
      LONGSHORE_INSTANCE_TYPE: r.spec.instanceType,
      LONGSHORE_ACCESS_KEY_ID: this.#env.credentials.accessKeyId,
      LONGSHORE_SECRET_ACCESS_KEY: this.#env.credentials.secretAccessKey,
    };
    return new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', r.spec.command ?? 'false'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: LAUNCH_TIMEOUT_MS,
        killSignal: 'SIGKILL',
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout = (stdout + d.toString()).slice(-64 * 1024);
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-4096);
      });
      child.once('error', reject);
      child.once('close', (code, signal) => {
        if (code === 0) resolve(stdout);
        else
          reject(
            new Error(
              `launcher command (${action}) for ${r.instanceId} failed: ${signal ?? `exit ${code}`}: ${stderr.trim()}`,
            ),
          );
      });
    });
  }
}
