/**
 * The services a gateway serves. ECS is loaded at start; a sibling service is registered lazily,
 * because the SDK package its model comes from costs tens of MiB and ~100 ms to load (EC2's would
 * cost ~100 MiB and 0.35-1.7 s of blocked loop, so it reads an extract of its model instead:
 * sdk-model-cache.ts): a request no loaded service claims loads the lazy services its signature
 * is scoped to (`.../us-east-1/monitoring/aws4_request` -> CloudWatch alone), or every lazy one
 * when its scope names none of them.
 */
import type { AwsService } from './service.ts';

/** A service whose module (and SDK model) loads on first use. */
export interface LazyService {
  name: string;
  /** The SigV4 signing name the service will declare: requests scoped to it load it. */
  signingName: string;
  load(): Promise<AwsService>;
}

export type ServiceEntry = AwsService | LazyService;

const isLazy = (entry: ServiceEntry): entry is LazyService => 'load' in entry;

export class ServiceSet {
  #loaded: AwsService[];
  #lazy: LazyService[];
  /** Loads in flight, by lazy service name (one load per service however many callers ask). */
  readonly #loading = new Map<string, Promise<AwsService>>();

  constructor(entries: readonly ServiceEntry[]) {
    this.#loaded = entries.filter((e): e is AwsService => !isLazy(e));
    this.#lazy = entries.filter(isLazy);
  }

  /** The services loaded so far (the dispatcher serves these). */
  get loaded(): readonly AwsService[] {
    return this.#loaded;
  }

  /** Some services are not loaded yet. */
  get pending(): boolean {
    return this.#lazy.length > 0;
  }

  /** Loads every lazy service (once, however many callers ask at the same time); resolves with all of them. */
  loadAll(): Promise<readonly AwsService[]> {
    return this.#load(this.#lazy);
  }

  /**
   * Loads the lazy services signed as `signingName`, or all of them when none is (or the request
   * named no scope); resolves with every loaded service.
   */
  loadFor(signingName: string | undefined): Promise<readonly AwsService[]> {
    const named = this.#lazy.filter((l) => l.signingName === signingName);
    return this.#load(named.length > 0 ? named : this.#lazy);
  }

  async #load(wanted: readonly LazyService[]): Promise<readonly AwsService[]> {
    await Promise.all(
      wanted.map((l) => {
        let loading = this.#loading.get(l.name);
        if (!loading) {
          loading = l.load().then(
            (service) => {
              if (this.#lazy.includes(l)) {
                this.#loaded = [...this.#loaded, service];
                this.#lazy = this.#lazy.filter((x) => x !== l);
              }
              return service;
            },
            (error: unknown) => {
              this.#loading.delete(l.name);
              throw error;
            },
          );
          this.#loading.set(l.name, loading);
        }
        return loading;
      }),
    );
    return this.#loaded;
  }
}
