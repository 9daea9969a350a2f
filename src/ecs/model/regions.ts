/** Every region's ECS context: AWS keeps regions apart, and so does one Longshore endpoint. */
import type { EcsContext } from './context.ts';

export interface EcsRegions {
  /** The region `longshore` commands default to, whose records keep the store's plain collections. */
  readonly home: string;
  /** The context of `region` (any valid AWS region name), made on first use. */
  context(region: string): EcsContext;
  /** The regions made so far. */
  all(): readonly EcsContext[];
  /** `listener` hears of every region context, those already made included. */
  onRegion(listener: (ctx: EcsContext) => void): void;
}
