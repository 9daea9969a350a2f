/**
 * StartLiveTail on the wire: an AWS JSON 1.1 request (`X-Amz-Target: Logs_20140328.StartLiveTail`,
 * signed for `logs`) answered with an event stream (`application/vnd.amazon.eventstream`, chunked
 * HTTP/1.1, which the SDKs read as they read it over HTTP/2): one `sessionStart`, a
 * `sessionUpdate` every second, and `SessionTimeoutException` when the session reaches its limit
 * (three hours). The session ends when the client goes away. A raw route that claims the request
 * by its target, because the JSON protocol answers in one buffered body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { RawRoute } from '../../aws/protocols/raw-routes.ts';
import { realTimers } from '../../core/system.ts';
import type { Timers } from '../../core/timers.ts';
import { invalidParameter } from '../model/errors.ts';
import type { LogsContext } from '../model/records.ts';
import { eventMessage, exceptionMessage } from './event-stream.ts';
import { checkLiveTailRequest, LiveTailSession, SESSION_MS } from './live-tail-session.ts';

export const LIVE_TAIL_TARGET = 'Logs_20140328.StartLiveTail';
const UPDATE_MS = 1_000;

export interface LiveTailRouteOptions {
  /** The region's CloudWatch Logs (the one the request is signed for). */
  logsContextFor(region: string): LogsContext;
  /** How long a session lasts (default three hours; tests shorten it). */
  sessionMs?: number;
  timers?: Timers;
}

export function liveTailRoute(o: LiveTailRouteOptions): RawRoute {
  const timers = o.timers ?? realTimers;
  return {
    method: 'POST',
    prefix: 'logs:StartLiveTail',
    claims: (head) => head.method === 'POST' && head.headers['x-amz-target'] === LIVE_TAIL_TARGET,
    auth: { type: 'sigv4', service: 'logs' },
    body: 'buffered',
    // The log groups are in the body, which is read after authorization: the action on `*`.
    authorization: () => ({ action: 'logs:StartLiveTail', resources: [{ arn: '*' }] }),
    async handle(_req: IncomingMessage, res: ServerResponse, ctx) {
      let body: unknown;
      try {
        body = JSON.parse(ctx.body?.toString('utf8') || '{}');
      } catch {
        throw invalidParameter('The request body is not valid JSON.');
      }
      const request = checkLiveTailRequest(body);
      const logs = o.logsContextFor(ctx.caller?.region ?? '');
      const session = await LiveTailSession.open(logs, request);
      res.writeHead(200, {
        'content-type': 'application/vnd.amazon.eventstream',
        'x-amzn-requestid': ctx.requestId,
      });
      res.write(
        eventMessage('sessionStart', {
          requestId: ctx.requestId,
          sessionId: randomUUID(),
          logGroupIdentifiers: request.logGroupIdentifiers,
          ...(request.logStreamNames ? { logStreamNames: request.logStreamNames } : {}),
          ...(request.logStreamNamePrefixes ? { logStreamNamePrefixes: request.logStreamNamePrefixes } : {}),
          ...(request.logEventFilterPattern !== undefined
            ? { logEventFilterPattern: request.logEventFilterPattern }
            : {}),
        }),
      );
      await new Promise<void>((resolve) => {
        const started = ctx.now;
        let timer: unknown;
        const end = () => {
          timers.clearTimeout(timer);
          session.close();
          resolve();
        };
        const tick = () => {
          if (res.destroyed || res.writableEnded) return end();
          res.write(eventMessage('sessionUpdate', session.takeUpdate()));
          if (logs.clock.now() - started >= (o.sessionMs ?? SESSION_MS)) {
            res.end(exceptionMessage('SessionTimeoutException', 'Session timed out after 3 hours.'));
            return end();
          }
          timer = timers.setTimeout(tick, UPDATE_MS);
        };
        res.once('close', end);
        timer = timers.setTimeout(tick, UPDATE_MS);
      });
    },
  };
}
