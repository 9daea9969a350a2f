/**
 * One ALB request: rules -> action -> (forward) target group -> target -> proxied over the target's
 * keep-alive pool, with ALB's headers, stickiness cookies, errors and metrics. HTTP/1.1 and the
 * HTTP/2 compatibility API share this code; WebSocket upgrades are in `websocket.ts`.
 */
import { type IncomingHttpHeaders, type IncomingMessage, request } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { type AnyResponse, sendAlbError, sendFixed, sendRedirect, writeHead } from './alb-responses.ts';
import { chooseTarget, chooseWeighted } from './balancer.ts';
import { plainIp, type RequestFacts } from './conditions.ts';
import type { ActionConfig } from './config.ts';
import {
  APP_COOKIE,
  decodeValue,
  encodeValue,
  GROUP_COOKIE,
  LB_COOKIE,
  parseCookies,
  setsCookie,
  stickyCookies,
} from './cookies.ts';
import { redirectFor, redirectStatus } from './redirect.ts';
import { selectActions } from './rules.ts';
import type { ListenerEntry, Runtime } from './runtime.ts';
import type { TargetGroupRuntime, TargetRuntime } from './targets.ts';

export type AnyRequest = IncomingMessage | Http2ServerRequest;

/** ALB answers 463 when X-Forwarded-For already holds more than this many addresses. */
const MAX_XFF_ADDRESSES = 30;

/** Request headers that belong to one hop and are not forwarded (RFC 9110 7.6.1, plus HTTP/2's). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'upgrade',
  'http2-settings',
  'expect',
  'host',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-amzn-trace-id',
]);
/** Response headers a proxy does not pass on (the server side sets its own framing). */
const RESPONSE_HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

/** `example.com:8080` -> `example.com`; `[::1]:80` -> `::1`. */
export function hostWithoutPort(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.indexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

export function requestHost(req: AnyRequest): string {
  return (req.headers[':authority'] as string | undefined) ?? req.headers.host ?? '';
}

export interface RequestContext {
  entry: ListenerEntry;
  secure: boolean;
}

export function requestFacts(req: AnyRequest): RequestFacts {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return {
    host: hostWithoutPort(requestHost(req)),
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    method: req.method ?? 'GET',
    headers: req.headers,
    sourceIp: plainIp(req.socket?.remoteAddress),
  };
}

/** The headers the target gets: the client's minus hop-by-hop ones, plus ALB's X-Forwarded-* and trace id. */
export function forwardHeaders(
  rt: Runtime,
  req: AnyRequest,
  sourceIp: string,
  ctx: RequestContext,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const incoming = req.headers as IncomingHttpHeaders;
  const connectionTokens = incoming.connection ? incoming.connection.toLowerCase().split(/\s*,\s*/) : [];
  for (const name in incoming) {
    if (name.charCodeAt(0) === 58 /* ':' */ || HOP_BY_HOP.has(name)) continue;
    if (connectionTokens.length > 0 && connectionTokens.includes(name)) continue;
    const value = incoming[name];
    if (value !== undefined) out[name] = value;
  }
  out.host = requestHost(req);
  const xff = incoming['x-forwarded-for'];
  out['x-forwarded-for'] = xff ? `${xff}, ${sourceIp}` : sourceIp;
  out['x-forwarded-proto'] = ctx.secure ? 'https' : 'http';
  out['x-forwarded-port'] = String(ctx.entry.hostPort);
  out['x-amzn-trace-id'] = rt.traceIds.header(incoming['x-amzn-trace-id']);
  return out;
}

function xffCount(value: string | string[] | undefined): number {
  if (!value) return 0;
  return (Array.isArray(value) ? value.join(',') : value).split(',').length;
}

/** The terminal action of a rule (ALB rules end in exactly one forward, redirect or fixed-response). */
export function terminalAction(actions: ActionConfig[]): ActionConfig | undefined {
  return actions[actions.length - 1];
}

export interface Pick {
  group: TargetGroupRuntime;
  target: TargetRuntime;
  /** Set-Cookie values to add to the response (stickiness). */
  cookies: string[];
}

/**
 * A forward's target group (group stickiness first, then weights) and target (lb_cookie / app_cookie
 * stickiness first, then the algorithm). `undefined` group: 503 (nothing registered or all weights 0).
 */
export function pickTarget(
  rt: Runtime,
  action: Extract<ActionConfig, { type: 'forward' }>,
  cookieHeader: string | string[] | undefined,
  sourceIp: string,
): Pick | { error: 503 } {
  const now = rt.clock.now();
  let parsed: Map<string, string> | undefined;
  const cookies = () => {
    parsed ??= parseCookies(cookieHeader);
    return parsed;
  };
  const set: string[] = [];
  let chosen: { targetGroupArn: string } | undefined;
  if (action.groupStickiness) {
    const [arn] = decodeValue(cookies().get(GROUP_COOKIE));
    chosen = action.targetGroups.find((t) => t.targetGroupArn === arn && t.weight > 0);
  }
  chosen ??= chooseWeighted(action.targetGroups, rt.rng);
  const group = chosen && rt.groups.get(chosen.targetGroupArn);
  if (!group || group.targets.size === 0) return { error: 503 };
  if (action.groupStickiness && action.targetGroups.length > 1)
    set.push(
      ...stickyCookies(
        GROUP_COOKIE,
        encodeValue(group.config.arn),
        action.groupStickiness.durationSeconds,
        now,
      ),
    );
  const sticky = group.config.stickiness;
  let stickyKey: string | undefined;
  if (sticky?.type === 'lb_cookie' || sticky?.type === 'app_cookie') {
    const [arn, key] = decodeValue(cookies().get(sticky.type === 'lb_cookie' ? LB_COOKIE : APP_COOKIE));
    if (arn === group.config.arn) stickyKey = key;
  }
  const target = chooseTarget(group, now, sticky?.type === 'source_ip' ? { sourceIp } : { stickyKey });
  if (!target) return { error: 503 };
  if (sticky?.type === 'lb_cookie')
    set.push(
      ...stickyCookies(LB_COOKIE, encodeValue(group.config.arn, target.key), sticky.durationSeconds, now),
    );
  return { group, target, cookies: set };
}

function isBodyless(req: AnyRequest): boolean {
  const h = req.headers;
  return (
    h['content-length'] === undefined &&
    h['transfer-encoding'] === undefined &&
    (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || req.method === 'DELETE')
  );
}

export function handleRequest(rt: Runtime, ctx: RequestContext, req: AnyRequest, res: AnyResponse): void {
  const { entry } = ctx;
  const lbm = rt.metrics.lb(entry.lb.arn);
  lbm.requestCount++;
  const elbError = (status: number) => {
    if (status >= 500) lbm.httpCodeElb5xx++;
    else lbm.httpCodeElb4xx++;
    sendAlbError(res, status);
  };
  if (xffCount(req.headers['x-forwarded-for']) >= MAX_XFF_ADDRESSES) {
    elbError(463);
    return;
  }
  const facts = requestFacts(req);
  const action = terminalAction(selectActions(entry.rules, facts));
  if (!action) {
    elbError(503);
    return;
  }
  if (action.type === 'fixed-response') {
    const status = Number(action.statusCode);
    if (status >= 500) lbm.httpCodeElb5xx++;
    else if (status >= 400) lbm.httpCodeElb4xx++;
    sendFixed(res, status, action.contentType, action.messageBody);
    return;
  }
  if (action.type === 'redirect') {
    const location = redirectFor(action, facts, ctx.secure, entry.hostPort);
    sendRedirect(res, redirectStatus(action), location);
    return;
  }
  const picked = pickTarget(rt, action, req.headers.cookie, facts.sourceIp);
  if ('error' in picked) {
    elbError(picked.error);
    return;
  }
  proxy(rt, ctx, req, res, picked, facts.sourceIp);
}

function proxy(
  rt: Runtime,
  ctx: RequestContext,
  req: AnyRequest,
  res: AnyResponse,
  picked: Pick,
  sourceIp: string,
): void {
  const { entry } = ctx;
  const { group, target } = picked;
  const lbm = rt.metrics.lb(entry.lb.arn);
  const tgm = rt.metrics.tg(group.config.arn, entry.lb.arn);
  tgm.requestCount++;
  const headers = forwardHeaders(rt, req, sourceIp, ctx);
  const idleMs = entry.lb.idleTimeoutSeconds * 1000;
  const bodyless = isBodyless(req);
  let responded = false;
  let finished = false;
  let current: ReturnType<typeof request> | undefined;
  const inflight = {
    destroy() {
      current?.destroy();
      res.destroy();
    },
  };
  target.inflight.add(inflight);
  const done = () => {
    if (finished) return;
    finished = true;
    target.inflight.delete(inflight);
    rt.released(target);
  };
  res.once('close', () => {
    if (!res.writableFinished && !responded) {
      // The client went away before the answer: ALB logs 460 and drops the target request.
      lbm.httpCodeElb4xx++;
      current?.destroy();
    } else if (!res.writableFinished) current?.destroy();
    done();
  });

  const send = (mayRetry: boolean) => {
    let timedOut = false;
    const sentAt = performance.now();
    const preq = request({
      host: target.config.address,
      port: target.config.port,
      method: req.method,
      path: req.url,
      headers,
      agent: target.agent,
    });
    current = preq;
    preq.setTimeout(idleMs, () => {
      timedOut = true;
      preq.destroy();
    });
    preq.on('response', (pres) => {
      responded = true;
      const status = pres.statusCode ?? 502;
      tgm.targetResponseTimeSum += (performance.now() - sentAt) / 1000;
      tgm.targetResponseTimeCount++;
      rt.metrics.countTargetStatus(tgm, status);
      const out: Record<string, string | string[]> = {};
      for (const name in pres.headers) {
        if (RESPONSE_HOP_BY_HOP.has(name)) continue;
        const value = pres.headers[name];
        if (value !== undefined) out[name] = value;
      }
      const sticky = group.config.stickiness;
      let cookies = picked.cookies;
      if (
        sticky?.type === 'app_cookie' &&
        sticky.cookieName &&
        setsCookie(pres.headers['set-cookie'], sticky.cookieName)
      )
        cookies = [
          ...cookies,
          stickyCookies(
            APP_COOKIE,
            encodeValue(group.config.arn, target.key),
            sticky.durationSeconds,
            rt.clock.now(),
          )[0],
        ];
      if (cookies.length > 0) out['set-cookie'] = [...(pres.headers['set-cookie'] ?? []), ...cookies];
      try {
        writeHead(res, status, out);
      } catch {
        res.destroy();
        pres.destroy();
        return;
      }
      pres.pipe(res as NodeJS.WritableStream);
      pres.once('error', () => res.destroy());
      pres.once('aborted', () => res.destroy());
    });
    preq.on('error', (err: NodeJS.ErrnoException) => {
      if (responded || finished) {
        res.destroy();
        return;
      }
      // A pooled connection the target had just closed: retried once on a fresh one when nothing was sent yet.
      if (mayRetry && preq.reusedSocket && err.code === 'ECONNRESET' && bodyless) return send(false);
      if (timedOut || err.code === 'ETIMEDOUT') {
        lbm.httpCodeElb5xx++;
        sendAlbError(res, 504);
      } else {
        lbm.httpCodeElb5xx++;
        sendAlbError(res, 502);
      }
    });
    if (bodyless) preq.end();
    else (req as NodeJS.ReadableStream).pipe(preq);
  };
  send(true);
}
