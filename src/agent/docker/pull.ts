/** Image pull with ECS's two bounds: a total timeout and an inactivity timeout on the progress stream. */
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { PullProgress, RegistryAuth } from './runtime.ts';
import { classifyDockerError, DockerErrorName, DockerRetriableError, DockerTerminalError } from './errors.ts';

/** ECS_IMAGE_PULL_TIMEOUT's default. */
const PULL_TIMEOUT_MS = 2 * 60 * 60_000;
/** ECS_IMAGE_PULL_INACTIVITY_TIMEOUT's default: no progress for this long aborts the pull. */
const PULL_INACTIVITY_TIMEOUT_MS = 60_000;

/** Pulls `ref`; a failure reported inside the progress stream (`{"error": ...}`) is terminal. */
export async function pullWithProgress(
  docker: Dockerode,
  ref: string,
  auth?: RegistryAuth,
  onProgress?: (progress: PullProgress) => void,
): Promise<void> {
  const controller = new AbortController();
  const total = setTimeout(() => controller.abort(new Error('pull timed out')), PULL_TIMEOUT_MS);
  try {
    let stream: Readable;
    try {
      const options = { abortSignal: controller.signal, ...(auth ? { authconfig: auth } : {}) };
      stream = (await docker.pull(ref, options)) as unknown as Readable;
    } catch (error) {
      throw classifyDockerError(DockerErrorName.CannotPullContainer, error);
    }
    await drainProgress(stream, controller, onProgress ? progressTracker(onProgress) : undefined);
  } finally {
    clearTimeout(total);
  }
}

/** One line of the daemon's pull stream. */
interface ProgressLine {
  id?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

/** Folds the daemon's per-layer lines into totals for `report` (called on every line that moves them). */
function progressTracker(report: (progress: PullProgress) => void): (line: ProgressLine) => void {
  const layers = new Map<string, { current: number; total: number; done: boolean }>();
  return (line) => {
    const id = line.id;
    const status = line.status ?? '';
    // Lines without a layer id (or the tag's own "Pulling from") carry no layer progress.
    if (!id || status.startsWith('Pulling from') || !/^[0-9a-f]{12}$/.test(id)) return;
    const layer = layers.get(id) ?? { current: 0, total: 0, done: false };
    layers.set(id, layer);
    if (status === 'Downloading' && line.progressDetail) {
      layer.current = line.progressDetail.current ?? layer.current;
      layer.total = line.progressDetail.total ?? layer.total;
    } else if (status === 'Download complete') {
      layer.current = layer.total;
    } else if (status === 'Pull complete' || status === 'Already exists') {
      layer.current = layer.total;
      layer.done = true;
    }
    let bytes = 0;
    let totalBytes = 0;
    let layersDone = 0;
    for (const l of layers.values()) {
      bytes += l.current;
      totalBytes += l.total;
      if (l.done) layersDone++;
    }
    report({ layers: layers.size, layersDone, bytes, totalBytes });
  };
}

function drainProgress(
  stream: Readable,
  controller: AbortController,
  track?: (line: ProgressLine) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let failure: string | undefined;
    let idle = setTimeout(onIdle, PULL_INACTIVITY_TIMEOUT_MS);
    function onIdle(): void {
      controller.abort(new Error('pull inactivity timeout'));
      stream.destroy();
      reject(
        new DockerRetriableError(
          DockerErrorName.CannotPullContainer,
          `no pull progress for ${PULL_INACTIVITY_TIMEOUT_MS / 1000}s`,
        ),
      );
    }
    stream.on('data', (chunk: Buffer) => {
      clearTimeout(idle);
      idle = setTimeout(onIdle, PULL_INACTIVITY_TIMEOUT_MS);
      buffered += chunk.toString('utf8');
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) {
          const parsed = parseLine(line);
          failure ??= progressError(parsed);
          if (parsed && track) track(parsed);
        }
        newline = buffered.indexOf('\n');
      }
    });
    stream.on('error', (error) => {
      clearTimeout(idle);
      reject(classifyDockerError(DockerErrorName.CannotPullContainer, error));
    });
    stream.on('end', () => {
      clearTimeout(idle);
      if (buffered.trim()) failure ??= progressError(parseLine(buffered.trim()));
      if (failure) reject(new DockerTerminalError(DockerErrorName.CannotPullContainer, failure));
      else resolve();
    });
  });
}

function parseLine(line: string): ProgressLine | undefined {
  try {
    const parsed = JSON.parse(line) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as ProgressLine) : undefined;
  } catch {
    // A progress line that is not JSON carries no error nor progress; the stream's end decides.
    return undefined;
  }
}

function progressError(message: ProgressLine | undefined): string | undefined {
  const text = message?.errorDetail?.message ?? message?.error;
  return text ? `Error response from daemon: ${text}` : undefined;
}
