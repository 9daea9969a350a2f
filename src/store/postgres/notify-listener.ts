/**
 * The nudge half of the change feed: one dedicated connection that LISTENs on the changes channel
 * and reconnects (with backoff) whenever it is lost. A notification only says "something was
 * committed"; the store then reads what it missed by revision, so a lost notification costs
 * latency (until the next poll or reconnect), never a change.
 */
import pg from 'pg';
import { CHANGES_CHANNEL } from './schema.ts';

/** First reconnect delay; doubles per failure up to RECONNECT_MAX_MS. */
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 2_000;

export class NotifyListener {
  readonly #url: string;
  readonly #nudge: () => void;
  #client: pg.Client | undefined;
  #delay = RECONNECT_MIN_MS;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  /** `nudge` runs on every notification and after every (re)connect (notifications may have been missed meanwhile). */
  constructor(url: string, nudge: () => void) {
    this.#url = url;
    this.#nudge = nudge;
  }

  /** True while the LISTEN connection is up. */
  get connected(): boolean {
    return this.#client !== undefined;
  }

  /** Connects and LISTENs; rejects when the first connection fails (the caller decides to retry). */
  async start(): Promise<void> {
    await this.#connect();
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url, keepAlive: true });
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      if (this.#client === client) this.#client = undefined;
      client.end().catch(() => {});
      this.#scheduleReconnect();
    };
    // Registered before connecting: an error event with no listener would crash the process.
    client.on('error', onLost);
    client.on('end', onLost);
    client.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL) this.#nudge();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      lost = true;
      client.end().catch(() => {});
      throw error;
    }
    if (this.#stopped) {
      lost = true;
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
    this.#delay = RECONNECT_MIN_MS;
    this.#nudge();
  }

  #scheduleReconnect(): void {
    if (this.#stopped || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#connect().catch(() => {
        this.#delay = Math.min(this.#delay * 2, RECONNECT_MAX_MS);
        this.#scheduleReconnect();
      });
    }, this.#delay);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }
}
