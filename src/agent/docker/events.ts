/** One Docker event stream for the agent's containers, reopened with backoff whenever it breaks. */
import type { Readable } from 'node:stream';
import type { Logger } from '../log.ts';
import { describeError } from '../../core/errors.ts';
import type { ContainerRuntime } from './runtime.ts';

/** The container events the engine acts on; everything else (exec_*, attach...) is filtered out by Docker. */
const WATCHED_EVENTS = ['create', 'start', 'die', 'oom', 'destroy', 'health_status'];
/** Reconnect backoff: 250 ms doubling to 5 s, forever (the stream lives as long as the agent). */
const RECONNECT_INITIAL_MS = 250;
const RECONNECT_MAX_MS = 5000;

export interface ContainerEvent {
  id: string;
  /** `start`, `die`, `oom`, `destroy`, `create` or `health_status`. */
  action: string;
  health?: 'healthy' | 'unhealthy';
  exitCode?: number;
  labels: Record<string, string>;
}

export interface EventStreamOptions {
  runtime: ContainerRuntime;
  /** Only containers carrying all these labels (e.g. this agent's instance ARN). */
  labels: Record<string, string>;
  onEvent(event: ContainerEvent): void;
  /** Called after every (re)connect: events may have been missed, so state must be re-read. */
  onConnected(reconnected: boolean): void;
  logger: Logger;
}

export class DockerEventStream {
  readonly #options: EventStreamOptions;
  #stream: Readable | undefined;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #delay = RECONNECT_INITIAL_MS;
  #everConnected = false;

  constructor(options: EventStreamOptions) {
    this.#options = options;
  }

  /** Connects once; true when connected. On failure keeps retrying in the background. */
  async open(): Promise<boolean> {
    return this.#connect();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#stream?.destroy();
  }

  async #connect(): Promise<boolean> {
    if (this.#closed) return false;
    const { runtime, labels, logger } = this.#options;
    const filters = {
      type: ['container'],
      event: WATCHED_EVENTS,
      label: Object.entries(labels).map(([k, v]) => `${k}=${v}`),
    };
    try {
      const stream = await runtime.events(filters);
      if (this.#closed) {
        stream.destroy();
        return false;
      }
      this.#stream = stream;
      this.#delay = RECONNECT_INITIAL_MS;
      this.#consume(stream);
      const reconnected = this.#everConnected;
      this.#everConnected = true;
      this.#options.onConnected(reconnected);
      return true;
    } catch (error) {
      logger.warn({ err: describeError(error) }, 'docker event stream: connect failed; retrying');
      this.#scheduleReconnect();
      return false;
    }
  }

  #consume(stream: Readable): void {
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) this.#dispatch(line);
        newline = buffered.indexOf('\n');
      }
    });
    const onBroken = (reason: string) => {
      if (this.#stream !== stream) return;
      this.#stream = undefined;
      if (this.#closed) return;
      this.#options.logger.warn({ reason }, 'docker event stream broke; reconnecting');
      this.#scheduleReconnect();
    };
    stream.on('error', (error) => onBroken(describeError(error)));
    stream.on('end', () => onBroken('end'));
    stream.on('close', () => onBroken('close'));
  }

  #dispatch(line: string): void {
    let raw: { id?: string; Action?: string; Actor?: { ID?: string; Attributes?: Record<string, string> } };
    try {
      raw = JSON.parse(line);
    } catch (error) {
      this.#options.logger.warn(
        { line, err: describeError(error) },
        'docker event stream: unparseable event',
      );
      return;
    }
    const attributes = raw.Actor?.Attributes ?? {};
    const [action, detail] = (raw.Action ?? '').split(': ');
    const exitCode = attributes.exitCode === undefined ? undefined : Number(attributes.exitCode);
    const health = detail === 'healthy' || detail === 'unhealthy' ? detail : undefined;
    this.#options.onEvent({
      id: raw.Actor?.ID ?? raw.id ?? '',
      action,
      health,
      exitCode,
      labels: attributes,
    });
  }

  #scheduleReconnect(): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#connect(), this.#delay);
    this.#delay = Math.min(this.#delay * 2, RECONNECT_MAX_MS);
  }
}
