/** What every launcher needs from the control plane that runs it. */
import type { Logger } from 'pino';

export interface LauncherEnv {
  /** The control plane's endpoint, known once it listens. */
  endpoint(): string;
  /** The key pair agents sign with (the installation's root key until agent credentials exist). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Where instances keep their data directories: `<dir>/<instance-id>/`. */
  dataDir: string;
  log: Logger;
}
