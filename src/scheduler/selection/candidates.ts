/**
 * The running best of one selection: every path (scan, binpack probe, spread levels, random draws)
 * offers slots here, and the rule is the same for all of them, the lexicographic minimum of
 * (strategy keys, tie rank).
 *
 * Tie rank: each task draws an offset o; the slot at canonical position p ranks (p - o) mod n.
 * Ranks are distinct, so there is never a further tie, and a walk of the canonical order from o
 * (wrapping) meets slots in rank order: that is what lets the spread path stop early.
 */
import type { Chain } from '../checkers/chain.ts';
import type { SlotView, WorkingState } from '../state/working-state.ts';
import type { Scorer } from '../strategies/scorers.ts';

export interface Selection {
  readonly chain: Chain;
  /** The static checkers' cached verdict per slot (1 = passes). */
  readonly mask: Uint8Array;
  readonly scorers: readonly Scorer[];
  /** CPU units and MiB the task needs: inline checks and the probes' bounds. */
  readonly need: { readonly cpu: number; readonly memory: number };
  /** Scan every slot even when a faster path applies (tests compare both). */
  readonly exhaustive: boolean;
}

/** The offset for a task's tie salt (a 32-bit draw): o = floor(salt * n / 2^32). */
function tieOffset(tieSalt: number, n: number): number {
  return Math.floor((tieSalt * n) / 0x1_0000_0000);
}

export class Candidates {
  readonly ws: WorkingState;
  readonly selection: Selection;
  /** Strategy keys then the tie rank, of the best slot so far. */
  readonly best: Float64Array;
  bestSlot = -1;
  /** Slots looked at, feasible or not. */
  evaluated = 0;
  /** This task's tie offset. */
  offset = 0;
  readonly #current: Float64Array;
  readonly #pos: Int32Array;

  constructor(ws: WorkingState, selection: Selection) {
    this.ws = ws;
    this.selection = selection;
    this.best = new Float64Array(selection.scorers.length + 1);
    this.#current = new Float64Array(selection.scorers.length + 1);
    this.#pos = ws.table.canonical.pos;
  }

  /** Before each task: forget the previous best and let the scorers read this task's state. */
  begin(tieSalt: number): void {
    this.bestSlot = -1;
    this.evaluated = 0;
    this.offset = tieOffset(tieSalt, this.ws.n);
    for (const scorer of this.selection.scorers) scorer.prepare?.(this.ws);
  }

  tieRank(slot: number): number {
    const r = this.#pos[slot] - this.offset;
    return r < 0 ? r + this.ws.n : r;
  }

  /** Every checker passes: cached static verdict, CPU and memory inline, then the dynamic ones. */
  feasible(view: SlotView): boolean {
    return this.#fits(view) && this.#passesDynamic(view);
  }

  /**
   * Looks at one slot and keeps it if it is feasible and better. Once there is a best, keys come
   * first, one at a time, and most slots lose on the first one without the dynamic checkers
   * (ports, memberOf, ...) being asked at all; the answer is the same in either order.
   */
  offer(view: SlotView): void {
    this.evaluated++;
    if (!this.#fits(view)) return;
    const { scorers } = this.selection;
    const k = scorers.length;
    const current = this.#current;
    const best = this.best;
    if (this.bestSlot < 0) {
      if (!this.#passesDynamic(view)) return;
      for (let j = 0; j < k; j++) current[j] = scorers[j].key(view, this.ws);
      current[k] = this.tieRank(view.slot);
    } else {
      let decided = false;
      for (let j = 0; j < k; j++) {
        const key = scorers[j].key(view, this.ws);
        current[j] = key;
        if (!decided && key !== best[j]) {
          if (key > best[j]) return;
          decided = true;
        }
      }
      current[k] = this.tieRank(view.slot);
      if (!decided && current[k] > best[k]) return;
      if (!this.#passesDynamic(view)) return;
    }
    best.set(current);
    this.bestSlot = view.slot;
  }

  /** The static verdict, CPU and memory (the same rules as their checkers in the chain). */
  #fits(view: SlotView): boolean {
    const { mask, need } = this.selection;
    if (mask[view.slot] === 0) return false;
    const state = view.state;
    return !((need.cpu > 0 && state.cpu < need.cpu) || (need.memory > 0 && state.memory < need.memory));
  }

  /** The other non-static checkers: GPU, ports, dynamic memberOf, distinctInstance. */
  #passesDynamic(view: SlotView): boolean {
    const dynamic = this.selection.chain.remaining;
    for (let c = 0; c < dynamic.length; c++) if (dynamic[c].rejects(view, this.ws)) return false;
    return true;
  }

  /** Takes a feasible slot whose first key is already known to be the winning one (random draws). */
  accept(view: SlotView, firstKey: number): void {
    const { scorers } = this.selection;
    this.best[0] = firstKey;
    for (let j = 1; j < scorers.length; j++) this.best[j] = scorers[j].key(view, this.ws);
    this.best[scorers.length] = this.tieRank(view.slot);
    this.bestSlot = view.slot;
  }
}
