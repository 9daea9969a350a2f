/** Image pull with ECS's two bounds: a total timeout and an inactivity timeout on the progress stream. */
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { RegistryAuth } from './runtime.ts';
import { classifyDockerError, DockerErrorName, DockerRetriableError, DockerTerminalError } from './errors.ts';

/** ECS_IMAGE_PULL_TIMEOUT's default. */
const PULL_TIMEOUT_MS = 2 * 60 * 60_000;
/** ECS_IMAGE_PULL_INACTIVITY_TIMEOUT's default: no progress for this long aborts the pull. */
const PULL_INACTIVITY_TIMEOUT_MS = 60_000;

/** Pulls `ref`; a failure reported inside the progress stream (`{"error": ...}`) is terminal. */
export async function pullWithProgress(docker: Dockerode, ref: string, auth?: RegistryAuth): Promise<void> {
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
    await drainProgress(stream, controller);
  } finally {
    clearTimeout(total);
  }
}

function drainProgress(stream: Readable, controller: AbortController): Promise<void> {
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
        if (line) failure ??= progressError(line);
        newline = buffered.indexOf('\n');
      }
    });
    stream.on('error', (error) => {
      clearTimeout(idle);
      reject(classifyDockerError(DockerErrorName.CannotPullContainer, error));
    });
    stream.on('end', () => {
      clearTimeout(idle);
      if (buffered.trim()) failure ??= progressError(buffered.trim());
      if (failure) reject(new DockerTerminalError(DockerErrorName.CannotPullContainer, failure));
      else resolve();
    });
  });
}

function progressError(line: string): string | undefined {
  try {
    const message = JSON.parse(line) as { error?: string; errorDetail?: { message?: string } };
    const text = message.errorDetail?.message ?? message.error;
    return text ? `Error response from daemon: ${text}` : undefined;
  } catch {
    // A progress line that is not JSON carries no error; the stream's end decides.
    return undefined;
  }
}
