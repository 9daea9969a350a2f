/**
 * The rules of an event bus, indexed for matching: a rule whose pattern requires exact `source`
 * values is only tried on events from those sources; the others are tried on every event. With
 * ECS-style rules (`"source": ["aws.ecs"]`), an event is tried against a handful of patterns,
 * not all of a bus's rules. Pure.
 */
import type { EventPattern } from './compile-pattern.ts';

export class RuleIndex<R> {
  readonly #bySource = new Map<string, Map<R, EventPattern>>();
  readonly #anySource = new Map<R, EventPattern>();
  readonly #where = new Map<R, string[] | undefined>();

  /** Adds (or replaces) a rule's compiled pattern. */
  set(rule: R, pattern: EventPattern): void {
    this.delete(rule);
    const sources = pattern.sources;
    this.#where.set(rule, sources);
    if (!sources) {
      this.#anySource.set(rule, pattern);
      return;
    }
    for (const s of sources) {
      const rules = this.#bySource.get(s) ?? new Map<R, EventPattern>();
      rules.set(rule, pattern);
      this.#bySource.set(s, rules);
    }
  }

  delete(rule: R): void {
    if (!this.#where.has(rule)) return;
    const sources = this.#where.get(rule);
    this.#where.delete(rule);
    if (!sources) {
      this.#anySource.delete(rule);
      return;
    }
    for (const s of sources) {
      const rules = this.#bySource.get(s);
      rules?.delete(rule);
      if (rules?.size === 0) this.#bySource.delete(s);
    }
  }

  get size(): number {
    return this.#where.size;
  }

  /** The rules `event` matches. */
  match(event: { source?: unknown }): R[] {
    const out: R[] = [];
    const candidates = typeof event.source === 'string' ? this.#bySource.get(event.source) : undefined;
    if (candidates) for (const [rule, p] of candidates) if (p.matches(event)) out.push(rule);
    for (const [rule, p] of this.#anySource) if (p.matches(event)) out.push(rule);
    return out;
  }
}
