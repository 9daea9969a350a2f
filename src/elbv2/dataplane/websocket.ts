/**
 * WebSocket (and any HTTP/1.1 Upgrade) through an ALB: the rules pick the target as for a request,
 * the upgrade request goes to the target on a connection of its own, and once the target answers
 * 101 the two sockets are piped both ways until either side closes or the idle timeout passes.
 */
import type { IncomingMessage } from 'node:http';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { forwardHeaders, pickTarget, type RequestContext, requestFacts, terminalAction } from './alb.ts';
import { albErrorBody } from './alb-responses.ts';
import { redirectFor, redirectStatus } from './redirect.ts';
import { selectActions } from './rules.ts';
import type { Runtime } from './runtime.ts';

const REASONS: Record<number, string> = {
  301: 'Moved Permanently',
  302: 'Found',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

/** Writes a whole HTTP/1.1 response on a raw socket and closes it (the server already gave the socket up). */
function rawResponse(socket: Duplex, status: number, headers: Record<string, string>, body: string): void {
  const lines = [
    `HTTP/1.1 ${status} ${REASONS[status] ?? ''}`,
    'Server: awselb/2.0',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

function headLines(rawHeaders: string[]): string {
  let out = '';
  for (let i = 0; i < rawHeaders.length; i += 2) out += `${rawHeaders[i]}: ${rawHeaders[i + 1]}\r\n`;
  return out;
}

export function handleUpgrade(
  rt: Runtime,
  ctx: RequestContext,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  const { entry } = ctx;
  const lbm = rt.metrics.lb(entry.lb.arn);
  lbm.requestCount++;
  socket.on('error', () => socket.destroy());
  const facts = requestFacts(req);
  const action = terminalAction(selectActions(entry.rules, facts));
  const fail = (status: number) => {
    lbm.httpCodeElb5xx++;
    rawResponse(socket, status, { 'Content-Type': 'text/html' }, albErrorBody(status));
  };
  if (!action) {
    fail(503);
    return;
  }
  if (action.type === 'fixed-response') {
    const status = Number(action.statusCode);
    rawResponse(
      socket,
      status,
      { 'Content-Type': action.contentType ?? 'text/plain; charset=utf-8' },
      action.messageBody ?? '',
    );
    return;
  }
  if (action.type === 'redirect') {
    const location = redirectFor(action, facts, ctx.secure, entry.hostPort);
    const status = redirectStatus(action);
    rawResponse(socket, status, { Location: location, 'Content-Type': 'text/html' }, albErrorBody(status));
    return;
  }
  const picked = pickTarget(rt, action, req.headers.cookie, facts.sourceIp);
  if ('error' in picked) {
    fail(picked.error);
    return;
  }
  const { target, group } = picked;
  const tgm = rt.metrics.tg(group.config.arn, entry.lb.arn);
  tgm.requestCount++;
  const headers = forwardHeaders(rt, req, facts.sourceIp, ctx);
  headers.connection = 'Upgrade';
  headers.upgrade = req.headers.upgrade ?? 'websocket';
  const idleMs = entry.lb.idleTimeoutSeconds * 1000;
  let upstream: Duplex | undefined;
  const inflight = {
    destroy() {
      preq.destroy();
      upstream?.destroy();
      socket.destroy();
    },
  };
  target.inflight.add(inflight);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    target.inflight.delete(inflight);
    rt.released(target);
  };
  socket.once('close', () => {
    upstream?.destroy();
    if (!upstream) preq.destroy();
    release();
  });
  const sentAt = performance.now();
  const preq = request({
    host: target.config.address,
    port: target.config.port,
    method: req.method,
    path: req.url,
    headers,
    agent: false,
  });
  preq.setTimeout(idleMs, () => preq.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
  preq.on('upgrade', (pres, psocket, phead) => {
    upstream = psocket;
    tgm.targetResponseTimeSum += (performance.now() - sentAt) / 1000;
    tgm.targetResponseTimeCount++;
    psocket.setTimeout(0);
    socket.write(
      `HTTP/1.1 101 ${pres.statusMessage ?? 'Switching Protocols'}\r\n${headLines(pres.rawHeaders)}\r\n`,
    );
    if (phead.length > 0) socket.write(phead);
    if (head.length > 0) psocket.write(head);
    for (const s of [socket, psocket]) {
      (s as Socket).setTimeout(idleMs);
      s.on('timeout', () => inflight.destroy());
    }
    psocket.on('error', () => socket.destroy());
    psocket.once('close', () => socket.destroy());
    socket.pipe(psocket).pipe(socket);
  });
  preq.on('response', (pres) => {
    // The target declined the upgrade: its answer goes back as it is.
    rt.metrics.countTargetStatus(tgm, pres.statusCode ?? 0);
    socket.write(
      `HTTP/1.1 ${pres.statusCode} ${pres.statusMessage ?? ''}\r\n${headLines(pres.rawHeaders)}\r\n`,
    );
    pres.pipe(socket);
  });
  preq.on('error', (err: NodeJS.ErrnoException) => {
    if (upstream || socket.destroyed) return;
    fail(err.code === 'ETIMEDOUT' ? 504 : 502);
  });
  preq.end();
}
