/**
 * The control-plane endpoints an agent may use: those it was given (`--endpoint a,b,c`) and those
 * the control plane named in its `welcome` (every live replica, in cluster mode). The channel
 * moves to the next one each time a connection fails or drops; the agent's other calls (the ECS
 * API, secrets, the containers' API relay) follow the channel's current one.
 */
export class AgentEndpoints {
  readonly #list: string[];
  #at = 0;

  constructor(configured: readonly string[]) {
    const list = [...new Set(configured.map(normalize).filter((e) => e !== ''))];
    if (list.length === 0) throw new Error('the agent needs at least one control-plane endpoint');
    this.#list = list;
  }

  /** A comma-separated `--endpoint` value. */
  static parse(flag: string): AgentEndpoints {
    return new AgentEndpoints(flag.split(','));
  }

  /** The endpoint to use now. */
  current(): string {
    return this.#list[this.#at] ?? this.#list[0];
  }

  /** After a failed or dropped connection: the next endpoint in turn (the same one when there is one). */
  next(): string {
    this.#at = (this.#at + 1) % this.#list.length;
    return this.current();
  }

  /** Adds endpoints the control plane named (kept after the configured ones, never removed). */
  learn(endpoints: readonly string[]): void {
    for (const e of endpoints.map(normalize)) if (e !== '' && !this.#list.includes(e)) this.#list.push(e);
  }

  /** Every endpoint known, in the order they are tried. */
  all(): readonly string[] {
    return this.#list;
  }
}

/** `http://host:port` without a trailing slash or path; an unparseable entry is dropped (''). */
function normalize(endpoint: string): string {
  const trimmed = endpoint.trim();
  if (trimmed === '') return '';
  try {
    return new URL(trimmed).origin;
  } catch {
    throw new Error(`'${trimmed}' is not an endpoint URL (http://host:port)`);
  }
}
