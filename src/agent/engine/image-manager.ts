/**
 * Image pulls under ECS_IMAGE_PULL_BEHAVIOR:
 * - `default`: pull; if the pull fails, a cached image is used; fail only when there is none.
 * - `always`: pull; a failed pull fails the container even when the image is cached.
 * - `once`: pull only if this agent never pulled the image (or it was removed since).
 * - `prefer-cached`: use a cached image; pull only when there is none.
 * Concurrent pulls of one image share one Docker pull.
 */
import { registryOf } from '../registry-login.ts';
import { DockerErrorName, DockerRetriableError, DockerTerminalError } from '../docker/errors.ts';
import type { RetryPolicy } from '../docker/retry.ts';
import { withRetry } from '../docker/retry.ts';
import type { ContainerRuntime, ImageInfo, PullProgress, RegistryAuth } from '../docker/runtime.ts';

export const ImagePullBehavior = {
  Default: 'default',
  Always: 'always',
  Once: 'once',
  PreferCached: 'prefer-cached',
} as const;
export type ImagePullBehavior = (typeof ImagePullBehavior)[keyof typeof ImagePullBehavior];

export interface ResolvedImage {
  id: string;
  /** `sha256:...` from the registry, when the image came from one. */
  digest?: string;
}

/** Adds `:latest` when a reference names neither a tag nor a digest (Docker would pull every tag). */
export function normalizeImageRef(ref: string): string {
  if (ref.includes('@')) return ref;
  const lastSlash = ref.lastIndexOf('/');
  return ref.slice(lastSlash + 1).includes(':') ? ref : `${ref}:latest`;
}

export class ImageManager {
  readonly #runtime: ContainerRuntime;
  readonly #behavior: ImagePullBehavior;
  readonly #retry: RetryPolicy;
  readonly #pulled: Set<string>;
  readonly #onPulled: (ref: string) => Promise<void>;
  readonly #auth: ((ref: string) => Promise<RegistryAuth | undefined>) | undefined;
  readonly #source: ((ref: string) => Promise<string>) | undefined;
  readonly #authRejected: ((ref: string) => void) | undefined;
  readonly #log: PullLog | undefined;
  readonly #inflight = new Map<string, Promise<void>>();
  readonly #inspecting = new Map<string, Promise<ImageInfo | undefined>>();

  constructor(options: {
    runtime: ContainerRuntime;
    behavior: ImagePullBehavior;
    retry: RetryPolicy;
    pulledImages: string[];
    /** Persists that this agent pulled `ref` (for `once`). */
    onPulled(ref: string): Promise<void>;
    /** Credentials for `ref`'s registry, when it is a private one the agent can log in to. */
    registryAuth?: (ref: string) => Promise<RegistryAuth | undefined>;
    /**
     * Where to pull `ref` from when that is not its own name (Longshore's registry, named by a
     * loopback URI, seen from another host); the pulled image is then tagged `ref`.
     */
    pullSource?: (ref: string) => Promise<string>;
    /** The registry refused the credentials `registryAuth` gave for `ref` (they are fetched again once). */
    registryAuthRejected?: (ref: string) => void;
    /** Where a long pull's progress goes (every PROGRESS_EVERY_MS) and each pull's size and time. */
    log?: PullLog;
  }) {
    this.#runtime = options.runtime;
    this.#behavior = options.behavior;
    this.#retry = options.retry;
    this.#pulled = new Set(options.pulledImages);
    this.#onPulled = options.onPulled;
    this.#auth = options.registryAuth;
    this.#source = options.pullSource;
    this.#authRejected = options.registryAuthRejected;
    this.#log = options.log;
  }

  /**
   * Makes `image` available locally; rejects with a DockerTerminalError named CannotPullContainerError.
   * `auth`: the registry credentials to pull with instead of `registryAuth`'s (a task's execution role).
   */
  async ensure(image: string, auth?: RegistryAuth): Promise<ResolvedImage> {
    const ref = normalizeImageRef(image);
    const cached = await this.#inspectShared(ref);
    const usable =
      cached && (this.#behavior === 'prefer-cached' || (this.#behavior === 'once' && this.#pulled.has(ref)));
    if (usable) return resolved(cached);
    try {
      await this.#pullShared(ref, auth);
    } catch (error) {
      if (this.#behavior === 'default' && cached) return resolved(cached);
      throw asPullError(error);
    }
    const after = await withRetry(() => this.#runtime.inspectImage(ref), this.#retry);
    if (!after)
      throw new DockerTerminalError(DockerErrorName.CannotPullContainer, `image ${ref} missing after pull`);
    return resolved(after);
  }

  /** Concurrent task starts of one image share one inspect. */
  #inspectShared(ref: string): Promise<ImageInfo | undefined> {
    let inspect = this.#inspecting.get(ref);
    if (!inspect) {
      inspect = withRetry(() => this.#runtime.inspectImage(ref), this.#retry).finally(() =>
        this.#inspecting.delete(ref),
      );
      this.#inspecting.set(ref, inspect);
    }
    return inspect;
  }

  /**
   * Pulls `name` with the credentials for its registry; when the registry refuses them (a cached
   * password it no longer accepts), they are fetched afresh and the pull tried once more.
   */
  async #pullAuthorized(name: string, given?: RegistryAuth): Promise<void> {
    const auth = given
      ? { ...given, serveraddress: registryOf(name) ?? given.serveraddress }
      : await this.#auth?.(name);
    const progress = new PullReporter(name, this.#log);
    try {
      await this.#runtime.pullImage(name, auth, progress.update);
    } catch (error) {
      if (given || !auth || !this.#authRejected || !AUTH_REFUSED.test((error as Error).message ?? ''))
        throw error;
      this.#authRejected(name);
      await this.#runtime.pullImage(name, await this.#auth?.(name), progress.update);
    }
    progress.finished();
  }

  #pullShared(ref: string, given?: RegistryAuth): Promise<void> {
    // Pulls with given credentials are shared only by callers with the same ones.
    const key = given ? `${ref}\u0000${given.username}:${given.password}` : ref;
    let pull = this.#inflight.get(key);
    if (!pull) {
      pull = withRetry(async () => {
        const source = (await this.#source?.(ref)) ?? ref;
        try {
          await this.#pullAuthorized(ref, given);
        } catch (error) {
          // The registry as named is unreachable from here: pull it where it is, keep the name.
          if (source === ref) throw error;
          await this.#pullAuthorized(source, given);
          await this.#runtime.tagImage(source, ref);
        }
      }, this.#retry)
        .then(async () => {
          this.#pulled.add(ref);
          await this.#onPulled(ref);
        })
        .finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pull);
    }
    return pull;
  }
}

export interface PullLog {
  info(obj: object, msg: string): void;
}

/** How often a pull still running says how far it got. */
const PROGRESS_EVERY_MS = 5_000;
const mb = (bytes: number) => Math.round(bytes / 100_000) / 10;

/** Logs a pull's progress every PROGRESS_EVERY_MS while it runs, and its size and time at the end. */
class PullReporter {
  readonly #ref: string;
  readonly #log: PullLog | undefined;
  readonly #started = performance.now();
  #last = this.#started;
  #progress: PullProgress = { layers: 0, layersDone: 0, bytes: 0, totalBytes: 0 };

  constructor(ref: string, log: PullLog | undefined) {
    this.#ref = ref;
    this.#log = log;
  }

  readonly update = (progress: PullProgress): void => {
    this.#progress = progress;
    const now = performance.now();
    if (now - this.#last < PROGRESS_EVERY_MS) return;
    this.#last = now;
    this.#log?.info(
      {
        image: this.#ref,
        layers: `${progress.layersDone}/${progress.layers}`,
        mb: `${mb(progress.bytes)}/${mb(progress.totalBytes)}`,
        seconds: Math.round((now - this.#started) / 1000),
      },
      'pulling image',
    );
  };

  finished(): void {
    const seconds = (performance.now() - this.#started) / 1000;
    this.#log?.info(
      {
        image: this.#ref,
        layers: this.#progress.layers,
        mb: mb(this.#progress.totalBytes),
        seconds: Math.round(seconds * 10) / 10,
      },
      'pulled image',
    );
  }
}

/** The registry's answer to credentials it does not take (Docker words it per registry; these are the usual ones). */
const AUTH_REFUSED = /unauthorized|authentication required|invalid or has expired|no basic auth credentials/i;

function resolved(info: ImageInfo): ResolvedImage {
  const digest = info.repoDigests[0]?.split('@')[1];
  return digest ? { id: info.id, digest } : { id: info.id };
}

/** Retries exhausted on an unreachable daemon still fail the pull with ECS's error name. */
function asPullError(error: unknown): Error {
  if (error instanceof DockerRetriableError) {
    return new DockerTerminalError(DockerErrorName.CannotPullContainer, error.message, undefined, {
      cause: error,
    });
  }
  return error as Error;
}
