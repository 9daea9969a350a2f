/**
 * The raw HTTP/1.1 path of plain HTTP listeners, the hot path: heads are parsed here, the rules
 * run, and bytes go to a pooled upstream connection with ALB's headers spliced into the head;
 * bodies pass through unchanged (their framing is only scanned to know where a message ends), so
 * a request costs two small parses and a few writes instead of node:http's objects and streams.
 * Anything unusual (an Upgrade, Expect, HTTP/1.0, absolute-form targets, odd framing or syntax) is
 * handed, with the bytes already read, to the node:http server of the same binding
 * (`handoff`), which serves it with `alb.ts` / `websocket.ts`.
 */
import { connect, type Socket } from 'node:net';
import { albErrorBody } from './alb-responses.ts';
import { pickTarget, terminalAction } from './alb.ts';
import { plainIp, type RequestFacts } from './conditions.ts';
import { APP_COOKIE, encodeValue, setsCookie, stickyCookies } from './cookies.ts';
import {
  ChunkedScanner,
  CRLFCRLF,
  type Framing,
  type Head,
  headerCount,
  headerValue,
  parseHead,
  takeBody,
} from './http1-framing.ts';
import { countConnection } from './metrics.ts';
import { redirectFor, redirectStatus } from './redirect.ts';
import { selectActions } from './rules.ts';
import type { ListenerEntry, Runtime } from './runtime.ts';
import type { TargetGroupRuntime, TargetRuntime } from './targets.ts';

const MAX_HEAD_BYTES = 64 * 1024;
const MAX_XFF_ADDRESSES = 30;
/** Not forwarded: hop-by-hop, and the ones ALB writes itself. */
const DROP_REQUEST = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'http2-settings',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-amzn-trace-id',
]);
const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'proxy-connection']);
const REASONS: Record<number, string> = {
  301: 'Moved Permanently',
  302: 'Found',
  400: 'Bad Request',
  404: 'Not Found',
  431: 'Request Header Fields Too Large',
  463: 'Bad Request',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

export interface FastBinding {
  route(host: string): ListenerEntry | undefined;
  /** Gives the connection (with the bytes read so far) to node:http. */
  handoff(socket: Socket, buffered: Buffer): void;
  idleMs(): number;
}

/** The upstream connection's current exchange (pooled sockets have none). */
const EXCHANGE = Symbol('longshore.exchange');
type Upstream = Socket & { [EXCHANGE]?: Exchange };

function rawResponse(status: number, headers: string, body: string, close: boolean): string {
  return `HTTP/1.1 ${status} ${REASONS[status] ?? 'Unknown'}\r\nServer: awselb/2.0\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\n${close ? 'Connection: close\r\n' : ''}\r\n${body}`;
}

function albError(status: number, close: boolean): string {
  return rawResponse(status, 'Content-Type: text/html\r\n', albErrorBody(status), close);
}

/** One client connection to an HTTP listener. */
export class FastConnection {
  readonly rt: Runtime;
  readonly binding: FastBinding;
  readonly socket: Socket;
  #pending: Buffer | undefined;
  /** `head`: waiting for a request head; `busy`: a request is being served (bytes after it wait). */
  #state: 'head' | 'busy' | 'closed' = 'head';
  exchange: Exchange | undefined;
  readonly sourceIp: string;

  constructor(rt: Runtime, binding: FastBinding, socket: Socket) {
    this.rt = rt;
    this.binding = binding;
    this.socket = socket;
    this.sourceIp = plainIp(socket.remoteAddress);
    socket.setNoDelay(true);
    socket.setTimeout(binding.idleMs());
    socket.on('data', this.#onData);
    socket.on('timeout', this.#onTimeout);
    socket.on('error', () => socket.destroy());
    socket.once('close', this.#onClose);
  }

  #onData = (chunk: Buffer) => {
    if (this.exchange?.receivingBody) {
      this.exchange.clientData(chunk);
      return;
    }
    this.#pending = this.#pending ? Buffer.concat([this.#pending, chunk]) : chunk;
    if (this.#state === 'head') this.#next();
    else if (this.#pending.length > MAX_HEAD_BYTES) this.socket.pause();
  };

  #onTimeout = () => {
    // ALB's idle timeout: no data either way for that long (an exchange has its own on the upstream).
    if (!this.exchange) this.socket.destroy();
  };

  #onClose = () => {
    this.#state = 'closed';
    this.exchange?.clientClosed();
  };

  /** The exchange ended: the next request may start (a pipelined one may already be here). */
  done(close: boolean): void {
    this.exchange = undefined;
    if (this.#state === 'closed') return;
    if (close) {
      this.#state = 'closed';
      this.socket.end();
      return;
    }
    this.#state = 'head';
    this.socket.resume();
    if (this.#pending) this.#next();
  }

  #next(): void {
    const buf = this.#pending as Buffer;
    const end = buf.indexOf(CRLFCRLF);
    if (end < 0) {
      if (buf.length > MAX_HEAD_BYTES) this.#fail(431);
      else if (buf.includes('\n\n')) this.#handoff();
      return;
    }
    const head = parseHead(buf, end, false);
    if (!head || !this.#plain(head)) {
      this.#handoff();
      return;
    }
    const rest = buf.subarray(end + 4);
    this.#pending = undefined;
    this.#state = 'busy';
    this.#serve(head, rest);
  }

  /** Whether the fast path can serve this request; the rest goes to node:http. */
  #plain(head: Head): boolean {
    const [method, target, version] = head.start;
    if (version !== 'HTTP/1.1' || target.charCodeAt(0) !== 47 /* / */ || method === 'CONNECT') return false;
    if (
      headerCount(head, 'host') !== 1 ||
      headerCount(head, 'upgrade') > 0 ||
      headerCount(head, 'expect') > 0
    )
      return false;
    const te = headerCount(head, 'transfer-encoding');
    const cl = headerCount(head, 'content-length');
    if (te > 0 && (te > 1 || cl > 0 || headerValue(head, 'transfer-encoding')?.toLowerCase() !== 'chunked'))
      return false;
    if (cl > 1 || (cl === 1 && !/^\d{1,15}$/.test(headerValue(head, 'content-length') ?? ''))) return false;
    return true;
  }

  #handoff(): void {
    const buffered = this.#pending ?? Buffer.alloc(0);
    this.#pending = undefined;
    this.#state = 'closed';
    const s = this.socket;
    s.pause();
    s.off('data', this.#onData);
    s.off('timeout', this.#onTimeout);
    s.off('close', this.#onClose);
    s.removeAllListeners('error');
    this.binding.handoff(s, buffered);
  }

  /** Answers by itself and closes (the request's body, if any, is not read). */
  #fail(status: number): void {
    this.#state = 'closed';
    this.socket.end(albError(status, true));
  }

  /** Keeps bytes that came after the current request for later. */
  keep(rest: Buffer | undefined): void {
    if (!rest || rest.length === 0) return;
    this.#pending = this.#pending ? Buffer.concat([rest, this.#pending]) : rest;
  }

  #serve(head: Head, rest: Buffer): void {
    const [method, url] = head.start;
    const host = headerValue(head, 'host') ?? '';
    const entry = this.binding.route(hostOnly(host));
    const closeAfter = (headerValue(head, 'connection') ?? '').toLowerCase().includes('close');
    const te = headerCount(head, 'transfer-encoding') > 0;
    const cl = Number(headerValue(head, 'content-length') ?? 0);
    const hasBody = te || cl > 0;
    if (!entry) {
      const body = `No load balancer named ${hostOnly(host)} listens on this port\n`;
      this.socket.write(rawResponse(404, 'Content-Type: text/plain; charset=utf-8\r\n', body, true));
      this.keep(rest);
      this.done(true);
      return;
    }
    countConnection(this.rt.metrics, this.socket, entry.lb.arn);
    const lbm = this.rt.metrics.lb(entry.lb.arn);
    lbm.requestCount++;
    const reply = (text: string, close: boolean) => {
      this.socket.write(text);
      this.keep(rest);
      this.done(close || hasBody || closeAfter);
    };
    const elbError = (status: number) => {
      if (status >= 500) lbm.httpCodeElb5xx++;
      else lbm.httpCodeElb4xx++;
      reply(albError(status, hasBody || closeAfter), false);
    };
    const xff = headerValue(head, 'x-forwarded-for');
    if (xff && xff.split(',').length >= MAX_XFF_ADDRESSES) {
      elbError(463);
      return;
    }
    const q = url.indexOf('?');
    const headers: Record<string, string> = {};
    if (entry.rules.needsHeaders)
      for (let i = 0; i < head.lower.length; i++) {
        const k = head.lower[i];
        headers[k] = headers[k] === undefined ? head.values[i] : `${headers[k]}, ${head.values[i]}`;
      }
    const facts: RequestFacts = {
      host: hostOnly(host),
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      method,
      headers,
      sourceIp: this.sourceIp,
    };
    const action = terminalAction(selectActions(entry.rules, facts));
    if (!action) {
      elbError(503);
      return;
    }
    if (action.type === 'fixed-response') {
      const status = Number(action.statusCode);
      if (status >= 500) lbm.httpCodeElb5xx++;
      else if (status >= 400) lbm.httpCodeElb4xx++;
      reply(
        rawResponse(
          status,
          `Content-Type: ${action.contentType ?? 'text/plain; charset=utf-8'}\r\n`,
          action.messageBody ?? '',
          hasBody || closeAfter,
        ),
        false,
      );
      return;
    }
    if (action.type === 'redirect') {
      const status = redirectStatus(action);
      const location = redirectFor(action, facts, false, entry.hostPort);
      reply(
        rawResponse(
          status,
          `Content-Type: text/html\r\nLocation: ${location}\r\n`,
          albErrorBody(status),
          hasBody || closeAfter,
        ),
        false,
      );
      return;
    }
    const picked = pickTarget(this.rt, action, headerValue(head, 'cookie'), this.sourceIp);
    if ('error' in picked) {
      elbError(picked.error);
      return;
    }
    const framing: Framing = te
      ? { kind: 'chunked', scanner: new ChunkedScanner() }
      : cl > 0
        ? { kind: 'length', left: cl }
        : { kind: 'none' };
    const exchange = new Exchange(
      this,
      entry,
      picked.group,
      picked.target,
      picked.cookies,
      method,
      closeAfter,
      framing,
    );
    this.exchange = exchange;
    exchange.start(requestHead(this.rt, head, xff, this.sourceIp, entry.hostPort), rest);
  }
}

function hostOnly(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.indexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

/** The head the target gets: the client's, minus hop-by-hop headers, plus X-Forwarded-* and the trace id. */
function requestHead(
  rt: Runtime,
  head: Head,
  xff: string | undefined,
  sourceIp: string,
  hostPort: number,
): string {
  const connection = headerValue(head, 'connection')?.toLowerCase();
  const tokens = connection ? connection.split(/\s*,\s*/) : undefined;
  let out = `${head.start[0]} ${head.start[1]} HTTP/1.1\r\n`;
  let trace: string | undefined;
  for (let i = 0; i < head.lower.length; i++) {
    const name = head.lower[i];
    if (DROP_REQUEST.has(name)) {
      if (name === 'x-amzn-trace-id') trace = head.values[i];
      continue;
    }
    if (tokens?.includes(name)) continue;
    out += `${head.names[i]}: ${head.values[i]}\r\n`;
  }
  out += `X-Forwarded-For: ${xff ? `${xff}, ${sourceIp}` : sourceIp}\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: ${hostPort}\r\nX-Amzn-Trace-Id: ${rt.traceIds.header(trace)}\r\n\r\n`;
  return out;
}

/** A head (latin1 text) and the body bytes after it, in one buffer. */
function withHead(head: string, body: Buffer | undefined): Buffer {
  const length = head.length + (body?.length ?? 0);
  const out = Buffer.allocUnsafe(length);
  out.write(head, 0, 'latin1');
  if (body) body.copy(out, head.length);
  return out;
}

/** One request/response through a pooled upstream connection. */
class Exchange {
  readonly conn: FastConnection;
  readonly entry: ListenerEntry;
  readonly group: TargetGroupRuntime;
  readonly target: TargetRuntime;
  readonly cookies: string[];
  readonly method: string;
  readonly closeAfter: boolean;
  readonly requestFraming: Framing;
  /** Client bytes still belong to this request's body. */
  receivingBody: boolean;
  upstream: Upstream | undefined;
  #reused = false;
  #retried = false;
  #headText = '';
  #firstBody: Buffer | undefined;
  #sentAt = 0;
  #respHead: Buffer | undefined;
  #responseFraming: Framing | undefined;
  #responseStarted = false;
  #upstreamReusable = true;
  #finished = false;
  #timedOut = false;
  readonly #inflight: { destroy(): void };

  constructor(
    conn: FastConnection,
    entry: ListenerEntry,
    group: TargetGroupRuntime,
    target: TargetRuntime,
    cookies: string[],
    method: string,
    closeAfter: boolean,
    framing: Framing,
  ) {
    this.conn = conn;
    this.entry = entry;
    this.group = group;
    this.target = target;
    this.cookies = cookies;
    this.method = method;
    this.closeAfter = closeAfter;
    this.requestFraming = framing;
    this.receivingBody = framing.kind !== 'none';
    this.#inflight = {
      destroy: () => {
        this.upstream?.destroy();
        conn.socket.destroy();
      },
    };
  }

  start(head: string, rest: Buffer): void {
    this.conn.rt.metrics.tg(this.group.config.arn, this.entry.lb.arn).requestCount++;
    this.target.inflight.add(this.#inflight);
    this.#headText = head;
    // The part of `rest` that is this request's body goes with the head; the remainder waits.
    let first: Buffer | undefined;
    if (this.receivingBody) {
      const part = takeBody(this.requestFraming, rest);
      first = part.body;
      this.conn.keep(part.rest);
      if (part.done) this.receivingBody = false;
    } else this.conn.keep(rest);
    this.#firstBody = first;
    this.#send();
  }

  #send(): void {
    let socket: Upstream | undefined;
    while (this.target.idle.length > 0) {
      const s = this.target.idle.pop() as Upstream;
      if (!s.destroyed && s.writable) {
        socket = s;
        break;
      }
    }
    this.#reused = socket !== undefined;
    if (!socket) socket = newUpstream(this.target, this.entry.lb.idleTimeoutSeconds * 1000);
    socket[EXCHANGE] = this;
    this.upstream = socket;
    this.#sentAt = performance.now();
    // One buffer, one write: a string plus a buffer (or a writev) costs noticeably more per request.
    socket.write(withHead(this.#headText, this.#firstBody));
  }

  /** More request body from the client. */
  clientData(chunk: Buffer): void {
    const part = takeBody(this.requestFraming, chunk);
    if (part.body && this.upstream && !this.upstream.write(part.body)) {
      this.conn.socket.pause();
      this.upstream.once('drain', () => this.conn.socket.resume());
    }
    if (part.done) {
      this.receivingBody = false;
      this.conn.keep(part.rest);
      if (part.rest) this.conn.socket.pause();
    }
  }

  upstreamData(chunk: Buffer): void {
    if (this.#finished) return;
    if (!this.#responseStarted) {
      const buf = this.#respHead ? Buffer.concat([this.#respHead, chunk]) : chunk;
      const end = buf.indexOf(CRLFCRLF);
      if (end < 0) {
        if (buf.length > MAX_HEAD_BYTES) this.#badResponse();
        else this.#respHead = buf;
        return;
      }
      this.#respHead = undefined;
      const head = parseHead(buf, end, true);
      const status = head ? Number(head.start[1]) : Number.NaN;
      if (!head?.start[0].startsWith('HTTP/1.') || !(status >= 100 && status <= 599)) {
        this.#badResponse();
        return;
      }
      const rest = buf.subarray(end + 4);
      if (status < 200) {
        // An interim answer (103 Early Hints): passed on; the final one follows.
        if (status !== 101) this.conn.socket.write(buf.subarray(0, end + 4));
        if (rest.length > 0) this.upstreamData(rest);
        return;
      }
      // Head and the body bytes that came with it leave in one write.
      const headText = this.#startResponse(head, status);
      this.#deliver(
        rest.length > 0
          ? takeBody(this.#responseFraming as Framing, rest)
          : { body: undefined, rest: undefined, done: this.#responseFraming?.kind === 'none' },
        headText,
      );
      return;
    }
    this.#responseBody(chunk);
  }

  /** Counts the response and gives the head the client gets. */
  #startResponse(head: Head, status: number): string {
    this.#responseStarted = true;
    const rt = this.conn.rt;
    const tgm = rt.metrics.tg(this.group.config.arn, this.entry.lb.arn);
    tgm.targetResponseTimeSum += (performance.now() - this.#sentAt) / 1000;
    tgm.targetResponseTimeCount++;
    rt.metrics.countTargetStatus(tgm, status);
    const te = headerValue(head, 'transfer-encoding');
    const cl = headerValue(head, 'content-length');
    const connection = headerValue(head, 'connection')?.toLowerCase() ?? '';
    const http10 = head.start[0] === 'HTTP/1.0';
    if (this.method === 'HEAD' || status === 204 || status === 304) this.#responseFraming = { kind: 'none' };
    else if (te?.toLowerCase().endsWith('chunked'))
      this.#responseFraming = { kind: 'chunked', scanner: new ChunkedScanner() };
    else if (cl !== undefined && /^\d+$/.test(cl))
      this.#responseFraming = { kind: 'length', left: Number(cl) };
    else this.#responseFraming = { kind: 'close' };
    this.#upstreamReusable =
      !connection.includes('close') &&
      !(http10 && !connection.includes('keep-alive')) &&
      this.#responseFraming.kind !== 'close';
    const closeClient = this.closeAfter || this.#responseFraming.kind === 'close' || this.receivingBody;
    let out = `HTTP/1.1 ${head.start[1]} ${head.start[2]}\r\n`;
    let appCookie = false;
    const sticky = this.group.config.stickiness;
    for (let i = 0; i < head.lower.length; i++) {
      if (DROP_RESPONSE.has(head.lower[i])) continue;
      out += `${head.names[i]}: ${head.values[i]}\r\n`;
      if (
        sticky?.type === 'app_cookie' &&
        sticky.cookieName &&
        head.lower[i] === 'set-cookie' &&
        setsCookie(head.values[i], sticky.cookieName)
      )
        appCookie = true;
    }
    for (const c of this.cookies) out += `Set-Cookie: ${c}\r\n`;
    if (appCookie && sticky)
      out += `Set-Cookie: ${stickyCookies(APP_COOKIE, encodeValue(this.group.config.arn, this.target.key), sticky.durationSeconds, rt.clock.now())[0]}\r\n`;
    if (closeClient) out += 'Connection: close\r\n';
    this.#closeClient = closeClient;
    return `${out}\r\n`;
  }

  #closeClient = false;

  #responseBody(chunk: Buffer): void {
    this.#deliver(takeBody(this.#responseFraming as Framing, chunk));
  }

  /** Sends a piece of the response (after the head, when given); the end of the body finishes the exchange. */
  #deliver(
    part: { body: Buffer | undefined; rest: Buffer | undefined; done: boolean },
    headText?: string,
  ): void {
    const client = this.conn.socket;
    const data = headText === undefined ? part.body : withHead(headText, part.body);
    if (data && data.length > 0 && !client.write(data) && !part.done) {
      const up = this.upstream;
      up?.pause();
      client.once('drain', () => up?.resume());
    }
    if (part.rest) this.#upstreamReusable = false;
    if (part.done) this.#finish();
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    const up = this.upstream;
    if (up) {
      up[EXCHANGE] = undefined;
      up.resume();
      if (this.#upstreamReusable && !this.receivingBody && !this.target.draining && !up.destroyed) {
        this.target.idle.push(up);
      } else up.destroy();
    }
    this.#release();
    this.conn.done(this.#closeClient || this.receivingBody);
  }

  #release(): void {
    if (!this.target.inflight.delete(this.#inflight)) return;
    this.conn.rt.released(this.target);
  }

  #badResponse(): void {
    this.#finished = true;
    this.upstream?.destroy();
    this.#error(502);
  }

  #error(status: number): void {
    this.#release();
    const lbm = this.conn.rt.metrics.lb(this.entry.lb.arn);
    lbm.httpCodeElb5xx++;
    if (this.#responseStarted) {
      this.conn.socket.destroy();
      return;
    }
    this.conn.socket.write(albError(status, this.receivingBody || this.closeAfter));
    this.conn.done(this.receivingBody || this.closeAfter);
  }

  upstreamTimeout(): void {
    this.#timedOut = true;
    this.upstream?.destroy();
  }

  upstreamClosed(): void {
    const hadBytes = this.#responseStarted || this.#respHead !== undefined;
    if (this.#finished) return;
    if (this.#responseStarted && this.#responseFraming?.kind === 'close') {
      this.#finished = true;
      this.#release();
      this.conn.done(true);
      return;
    }
    // A pooled connection the target had closed: once more on a fresh one when nothing came back and the request can be resent.
    if (
      !this.#responseStarted &&
      !hadBytes &&
      this.#reused &&
      !this.#retried &&
      this.requestFraming.kind === 'none' &&
      !this.#timedOut
    ) {
      this.#retried = true;
      this.#send();
      return;
    }
    this.#finished = true;
    this.#error(this.#timedOut ? 504 : 502);
  }

  clientClosed(): void {
    if (this.#finished) return;
    this.#finished = true;
    if (!this.#responseStarted) this.conn.rt.metrics.lb(this.entry.lb.arn).httpCodeElb4xx++; // ALB's 460
    this.upstream?.destroy();
    this.#release();
  }
}

/** A new upstream connection: its events go to whichever exchange holds it; idle, it just leaves the pool when it closes. */
function newUpstream(target: TargetRuntime, idleMs: number): Upstream {
  const socket: Upstream = connect({ host: target.config.address, port: target.config.port, noDelay: true });
  // One idle timeout for the connection's life (no timer churn per request): no bytes either way for
  // that long ends the exchange on it with a 504, or closes it while it sits in the pool.
  socket.setTimeout(idleMs);
  socket.on('data', (chunk: Buffer) => {
    const ex = socket[EXCHANGE];
    if (!ex) {
      socket.destroy(); // an idle connection must not talk
      return;
    }
    ex.upstreamData(chunk);
  });
  socket.on('timeout', () => {
    const ex = socket[EXCHANGE];
    if (ex) ex.upstreamTimeout();
    else socket.destroy();
  });
  socket.on('error', () => {});
  socket.once('close', () => {
    const i = target.idle.indexOf(socket);
    if (i >= 0) target.idle.splice(i, 1);
    const ex = socket[EXCHANGE];
    socket[EXCHANGE] = undefined;
    ex?.upstreamClosed();
  });
  return socket;
}
