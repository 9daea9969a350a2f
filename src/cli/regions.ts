/**
 * Regions on one endpoint: a region's context (its view of the store, change feed and snapshot
 * cache, with its controllers and retention sweep) is made the first time a request or an agent
 * names the region, and remembered in the store so a restart brings its controllers back.
 */
import type { Partition } from '../core/arn.ts';
import type { Clock, Rng } from '../core/clock.ts';
import { describeError } from '../core/errors.ts';
import { ChangeFeed } from '../ecs/model/changes.ts';
import type { EcsConfig, EcsContext } from '../ecs/model/context.ts';
import type { EcsRegions } from '../ecs/model/regions.ts';
import { SnapshotCache } from '../ecs/model/tasks/snapshot-cache.ts';
import { regionView } from '../store/region-view.ts';
import { Kind, type Store } from '../store/store.ts';

/** Meta records: the home region (fixed at the first start) and every region used since. */
export const HOME_REGION_KEY = 'home-region';
export const REGIONS_KEY = 'regions';

export interface RegionSetOptions {
  store: Store;
  home: string;
  accountId: string;
  clock: Clock;
  rng: Rng;
  config: EcsConfig;
  log: { warn(obj: object, msg: string): void };
}

export class RegionSet implements EcsRegions {
  readonly home: string;
  readonly #o: RegionSetOptions;
  readonly #contexts = new Map<string, EcsContext>();
  readonly #listeners: ((ctx: EcsContext) => void)[] = [];

  private constructor(options: RegionSetOptions, home: string) {
    this.#o = options;
    this.home = home;
  }

  /**
   * Opens the regions of `store`: the home region is the one recorded at its first start (else
   * `preferred`, recorded now), and every region used before gets its context back.
   */
  static async open(options: Omit<RegionSetOptions, 'home'> & { preferred: string }): Promise<RegionSet> {
    const { store } = options;
    const stored = await store.get<{ region: string }>(Kind.Meta, HOME_REGION_KEY);
    const home = stored?.value.region ?? options.preferred;
    if (!stored) await store.transact((tx) => tx.put(Kind.Meta, HOME_REGION_KEY, { region: home }, 'absent'));
    const set = new RegionSet({ ...options, home }, home);
    set.context(home);
    const known = await store.get<{ regions: string[] }>(Kind.Meta, REGIONS_KEY);
    for (const region of known?.value.regions ?? []) set.context(region);
    return set;
  }

  context(region: string): EcsContext {
    let ctx = this.#contexts.get(region);
    if (ctx) return ctx;
    const store = regionView(this.#o.store, region, this.home);
    const partition: Partition = { region, accountId: this.#o.accountId };
    ctx = {
      store,
      clock: this.#o.clock,
      rng: this.#o.rng,
      partition,
      config: this.#o.config,
      changes: new ChangeFeed(store),
      snapshots: new SnapshotCache(),
    };
    this.#contexts.set(region, ctx);
    if (region !== this.home) this.#remember(region);
    for (const listener of this.#listeners) listener(ctx);
    return ctx;
  }

  all(): readonly EcsContext[] {
    return [...this.#contexts.values()];
  }

  onRegion(listener: (ctx: EcsContext) => void): void {
    this.#listeners.push(listener);
    for (const ctx of this.#contexts.values()) listener(ctx);
  }

  /** Records a newly used region (its records are already kept apart; this brings its controllers back after a restart). */
  #remember(region: string): void {
    this.#o.store
      .transact(async (tx) => {
        const known = await tx.get<{ regions: string[] }>(Kind.Meta, REGIONS_KEY);
        const regions = known?.value.regions ?? [];
        if (regions.includes(region)) return;
        await tx.put(
          Kind.Meta,
          REGIONS_KEY,
          { regions: [...regions, region].sort() },
          known?.version ?? 'absent',
        );
      })
      .catch((error: unknown) =>
        this.#o.log.warn(
          { region, error: describeError(error) },
          'recording a new region failed: after a restart, its controllers wait for its next request',
        ),
      );
  }
}
