/**
 * The agent's logger: what the agent calls on it (pino's Logger has this shape, and callers that
 * run an agent in their own process pass theirs), and `jsonLog`, the one `longshore agent` uses: it
 * writes pino's JSON lines (`{"level":30,"time":...,"pid":...,"hostname":...,...,"msg":...}`,
 * an `err` Error as type/message/stack) synchronously to a file descriptor, without pino, whose
 * modules (worker threads for transports among them) would cost an idle agent ~1 MiB.
 */
import { writeSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
}

/** pino's level numbers; `silent` logs nothing. */
export const LOG_LEVELS = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};
export type LogLevel = keyof typeof LOG_LEVELS;

export interface JsonLogOptions {
  /** The least level written (default info); an unknown name is an error, pino's. */
  level?: string;
  /** Where lines go (default 2, stderr). */
  fd?: number;
  /** Written as `name` in every line, as pino's option. */
  name?: string;
}

export function jsonLog(options: JsonLogOptions = {}): Logger {
  const level = options.level ?? 'info';
  if (!Object.hasOwn(LOG_LEVELS, level))
    throw new Error(`default level:${level} must be included in custom levels`);
  const least = LOG_LEVELS[level as LogLevel];
  const fd = options.fd ?? 2;
  const base = `"pid":${process.pid},"hostname":${JSON.stringify(hostname())}${options.name === undefined ? '' : `,"name":${JSON.stringify(options.name)}`}`;
  const at = (number: number): LogFn =>
    ((first: object | string, msg?: string) => {
      if (number < least) return;
      writeLine(fd, `${line(number, base, first, msg)}\n`);
    }) as LogFn;
  return {
    trace: at(LOG_LEVELS.trace),
    debug: at(LOG_LEVELS.debug),
    info: at(LOG_LEVELS.info),
    warn: at(LOG_LEVELS.warn),
    error: at(LOG_LEVELS.error),
    fatal: at(LOG_LEVELS.fatal),
  };
}

/** How long a line waits for a full pipe (EAGAIN) before it is dropped. */
const FULL_PIPE_WAIT_MS = 1_000;

/**
 * The whole line, as pino's synchronous destination writes it: a partial write is continued, a
 * full non-blocking pipe (EAGAIN) waited for; a line that cannot be written is dropped (a log
 * line never takes the agent down).
 */
function writeLine(fd: number, text: string): void {
  let rest = Buffer.from(text);
  let waited = 0;
  while (rest.length > 0) {
    try {
      rest = rest.subarray(writeSync(fd, rest));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || waited >= FULL_PIPE_WAIT_MS) return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      waited += 10;
    }
  }
}

function line(level: number, base: string, first: object | string, msg: string | undefined): string {
  let fields = '';
  let text = msg;
  if (typeof first === 'string') text = first;
  else if (first instanceof Error) {
    fields = `,"err":${stringify(serializeError(first))}`;
    text ??= first.message;
  } else {
    const own = stringify(withErr(first as Record<string, unknown>));
    if (own.length > 2) fields = `,${own.slice(1, -1)}`;
  }
  const message = text === undefined ? '' : `,"msg":${JSON.stringify(text)}`;
  return `{"level":${level},"time":${Date.now()},${base}${fields}${message}}`;
}

/** `err` holding an Error is written as pino's serializer writes it. */
function withErr(obj: Record<string, unknown>): Record<string, unknown> {
  return obj.err instanceof Error ? { ...obj, err: serializeError(obj.err) } : obj;
}

function serializeError(error: Error): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: error.constructor?.name ?? error.name,
    message: error.message,
    stack: error.stack,
  };
  for (const [key, value] of Object.entries(error)) if (!(key in out)) out[key] = value;
  return out;
}

/** JSON, with what JSON.stringify refuses (cycles, BigInt) written as strings instead of failing. */
function stringify(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '{}';
  } catch {
    const seen = new WeakSet<object>();
    return JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (v !== null && typeof v === 'object') {
        if (seen.has(v)) return '[Circular]';
        seen.add(v);
      }
      return v;
    });
  }
}
