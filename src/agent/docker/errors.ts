/** Typed Docker errors: retriable (the daemon is unreachable or slow) versus terminal (ECS's named errors). */

/**
 * ECS's names for runtime failures; a container's or task's reason is `${name}: ${message}`, the
 * text users see in `stoppedReason` (e.g. `CannotPullContainerError: pull access denied ...`).
 */
export const DockerErrorName = {
  CannotPullContainer: 'CannotPullContainerError',
  CannotCreateContainer: 'CannotCreateContainerError',
  CannotStartContainer: 'CannotStartContainerError',
  CannotStopContainer: 'CannotStopContainerError',
  CannotInspectContainer: 'CannotInspectContainerError',
  CannotRemoveContainer: 'CannotRemoveContainerError',
  CannotCreateVolume: 'CannotCreateVolumeError',
  CannotCreateNetwork: 'CannotCreateNetworkError',
  CannotRemoveNetwork: 'CannotRemoveNetworkError',
  ContainerVanished: 'ContainerVanishedError',
  DockerTimeout: 'DockerTimeoutError',
} as const;
export type DockerErrorName = (typeof DockerErrorName)[keyof typeof DockerErrorName];

/** The daemon could not be reached or did not answer in time: the same call may succeed later. */
export class DockerRetriableError extends Error {
  readonly retriable = true;
  readonly errorName: DockerErrorName;
  constructor(errorName: DockerErrorName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DockerRetriableError';
    this.errorName = errorName;
  }
  /** ECS-style reason text, used once retries are exhausted. */
  get reason(): string {
    return `${this.errorName}: ${this.message}`;
  }
}

/** The daemon answered with an error that retrying will not fix (bad config, missing image...). */
export class DockerTerminalError extends Error {
  readonly retriable = false;
  readonly errorName: DockerErrorName;
  readonly statusCode: number | undefined;
  constructor(
    errorName: DockerErrorName,
    message: string,
    statusCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DockerTerminalError';
    this.errorName = errorName;
    this.statusCode = statusCode;
  }
  get reason(): string {
    return `${this.errorName}: ${this.message}`;
  }
}

export type DockerError = DockerRetriableError | DockerTerminalError;

/** Socket-level failures that mean "no daemon right now" (stopped, restarting, socket missing). */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'ECONNRESET',
  'EPIPE',
  'EAGAIN',
  'EHOSTUNREACH',
]);

interface ModemError {
  code?: string;
  statusCode?: number;
  json?: { message?: string } | null;
  message?: string;
  name?: string;
}

/** The daemon's own message (`json.message`), as the docker CLI prints it after "Error response from daemon". */
export function daemonMessage(error: unknown): string {
  const e = error as ModemError;
  const fromJson = e?.json && typeof e.json === 'object' ? e.json.message : undefined;
  if (fromJson) return `Error response from daemon: ${fromJson}`;
  return e?.message?.trim() || String(error);
}

/** HTTP status of a daemon answer, when there was one. */
export function statusCodeOf(error: unknown): number | undefined {
  const code = (error as ModemError)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** True for errors raised because an AbortSignal timed out. */
function isTimeout(error: unknown): boolean {
  const e = error as ModemError;
  return e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}

/** Classifies a dockerode failure for the operation named `errorName`. */
export function classifyDockerError(errorName: DockerErrorName, error: unknown): DockerError {
  if (error instanceof DockerRetriableError || error instanceof DockerTerminalError) return error;
  const e = error as ModemError;
  if (isTimeout(error)) {
    return new DockerRetriableError(
      DockerErrorName.DockerTimeout,
      `${errorName}: timed out waiting for the Docker daemon`,
      {
        cause: error,
      },
    );
  }
  if (e?.code && UNREACHABLE_CODES.has(e.code)) {
    return new DockerRetriableError(
      errorName,
      `Cannot connect to the Docker daemon (${e.code}). Is the docker daemon running?`,
      { cause: error },
    );
  }
  if (e?.message === 'socket hang up') {
    return new DockerRetriableError(errorName, 'Docker daemon closed the connection (socket hang up)', {
      cause: error,
    });
  }
  return new DockerTerminalError(errorName, daemonMessage(error), statusCodeOf(error), { cause: error });
}

/** ECS trims container reasons to 255 characters and task reasons to 1024. */
export function trimReason(reason: string, max = 255): string {
  return reason.length <= max ? reason : reason.slice(0, max);
}
