/** The feasibility checker contract (Nomad's "feasibility checker"): one rule, one named reason. */
import type { RejectReason } from '../reasons.ts';
import type { SlotView, WorkingState } from '../state/working-state.ts';

/** How far an instance is from passing a rule, to pick the "closest matching container instance". */
export interface Shortfall {
  /** Smaller is closer: MiB or CPU units short, ports in conflict, 1 for yes/no rules. */
  readonly amount: number;
  /** A few words for the failure detail, e.g. "short 128 MiB memory". */
  readonly text: string;
}

export interface Checker {
  readonly reason: RejectReason;
  /**
   * True when the rule reads only what placing tasks never changes (status, agent, attributes,
   * ids, registeredAt). Static checkers are folded into one cached verdict per snapshot lineage.
   */
  readonly static: boolean;
  /** What the rule checks, stable across requests: part of the static-verdict cache key. */
  readonly key: string;
  /** True when the viewed instance cannot take one more task of this request. */
  rejects(view: SlotView, ws: WorkingState): boolean;
  /** Why, for a rejected instance. */
  shortfall(view: SlotView, ws: WorkingState): Shortfall;
}

/** The verdict of the whole chain on one instance. */
export type Verdict =
  | { readonly type: 'accept' }
  | {
      readonly type: 'reject';
      readonly reason: RejectReason;
      readonly depth: number;
      readonly shortfall: Shortfall;
    };

/** Shortfall of a yes/no rule. */
export function flat(text: string): Shortfall {
  return { amount: 1, text };
}
