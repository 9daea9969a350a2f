/**
 * The services a gateway serves. ECS is loaded at start; a sibling service is registered lazily,
 * because the SDK package its model comes from costs tens of MiB and ~100 ms to load (EC2's costs
 * 93 MiB and 0.5 s): the lazy ones load together, once, when a request names no loaded service.
 */
import type { AwsService } from './service.ts';

/** A service whose module (and SDK model) loads on first use. */
export interface LazyService {
  name: string;
  load(): Promise<AwsService>;
}

export type ServiceEntry = AwsService | LazyService;

const isLazy = (entry: ServiceEntry): entry is LazyService => 'load' in entry;

export class ServiceSet {
  #loaded: AwsService[];
  #lazy: LazyService[];
  #loading: Promise<readonly AwsService[]> | undefined;

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
    if (!this.pending) return Promise.resolve(this.#loaded);
    this.#loading ??= Promise.all(this.#lazy.map((l) => l.load())).then(
      (services) => {
        this.#loaded = [...this.#loaded, ...services];
        this.#lazy = [];
        return this.#loaded;
      },
      (error: unknown) => {
        this.#loading = undefined;
        throw error;
      },
    );
    return this.#loading;
  }
}
