/**
 * X-Amzn-Trace-Id as ALB writes it: `Root=1-<8 hex epoch seconds>-<24 hex>` when the client sent
 * none; when it sent one, ALB keeps it and adds (or replaces) a `Self=` field of its own in front.
 * The 24 hex digits are a random per-process prefix and a counter: unique, cheap, not secret.
 */
import type { Clock, Rng } from '../../core/clock.ts';

export class TraceIds {
  readonly #clock: Clock;
  readonly #prefix: string;
  #counter = 0;

  constructor(clock: Clock, rng: Rng) {
    this.#clock = clock;
    this.#prefix = rng.hex(6);
  }

  next(): string {
    this.#counter = (this.#counter + 1) % 0xffffffffffff;
    const epoch = Math.floor(this.#clock.now() / 1000)
      .toString(16)
      .padStart(8, '0');
    return `1-${epoch}-${this.#prefix}${this.#counter.toString(16).padStart(12, '0')}`;
  }

  /** The header to send to the target, given the client's (if any). */
  header(client: string | string[] | undefined): string {
    const id = this.next();
    const sent = Array.isArray(client) ? client[0] : client;
    if (!sent) return `Root=${id}`;
    const fields = sent.split(';').filter((f) => f.trim() !== '' && !/^\s*Self=/i.test(f));
    if (!fields.some((f) => /^\s*Root=/i.test(f)))
      return `Root=${id}${fields.length ? `;${fields.join(';')}` : ''}`;
    return [`Self=${id}`, ...fields].join(';');
  }
}
