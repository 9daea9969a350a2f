/**
 * `POST /longshore/v1/agents/join`, unsigned: an agent trades its join token for a key pair of its
 * own (iam/agent-join.ts). Errors have AWS's JSON shape (`__type`, `message`): a refused token is
 * AccessDeniedException (403), a malformed body InvalidParameterException (400). Refusals are
 * bounded per client address: past `MAX_REFUSALS` in a minute, ThrottlingException (429) until the
 * minute is over. Nothing here logs a token or a secret.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { AGENT_JOIN_PATH } from '../core/agent-protocol.ts';
import { describeError, ServiceError } from '../core/errors.ts';
import { type ExtraRoute, readBody } from '../aws/gateway.ts';
import { joinAgent } from '../iam/agent-join.ts';
import type { IamContext } from '../iam/model/records.ts';

/** A join request is a token and a hostname: a few hundred bytes. */
const MAX_BODY_BYTES = 16 * 1024;
/** Refused attempts one address may make per window before it is throttled. */
export const MAX_REFUSALS = 10;
const WINDOW_MS = 60_000;
/** Addresses tracked at most; past it the table starts over. */
const MAX_ADDRESSES = 10_000;

const STATUS: Readonly<Record<string, number>> = {
  AccessDeniedException: 403,
  InvalidParameterException: 400,
  ThrottlingException: 429,
  RequestEntityTooLarge: 413,
};

export function agentJoinRoute(o: { ctx: IamContext; log: Logger }): ExtraRoute {
  const refusals = new Map<string, { since: number; count: number }>();
  const throttled = (address: string, now: number): boolean => {
    const seen = refusals.get(address);
    return seen !== undefined && now - seen.since < WINDOW_MS && seen.count >= MAX_REFUSALS;
  };
  const refused = (address: string, now: number): void => {
    const seen = refusals.get(address);
    if (seen && now - seen.since < WINDOW_MS) seen.count++;
    else {
      if (refusals.size >= MAX_ADDRESSES) refusals.clear();
      refusals.set(address, { since: now, count: 1 });
    }
  };
  return {
    method: 'POST',
    path: AGENT_JOIN_PATH,
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const address = req.socket.remoteAddress ?? '';
      const now = o.ctx.clock.now();
      try {
        if (throttled(address, now))
          throw new ServiceError('ThrottlingException', 'Too many refused join attempts; wait a minute.');
        const input = parseBody(await readBody(req, MAX_BODY_BYTES));
        const answer = await joinAgent(o.ctx, input);
        o.log.info({ accessKeyId: answer.accessKeyId, address }, 'agent joined');
        send(res, 200, answer);
      } catch (error) {
        if (!(error instanceof ServiceError)) {
          o.log.warn({ error: describeError(error) }, 'agent join failed');
          send(res, 500, {
            __type: 'ServerException',
            message: 'An internal error occurred; see the Longshore log.',
          });
          return;
        }
        if (error.code === 'AccessDeniedException') {
          refused(address, now);
          o.log.warn({ address }, 'agent join refused');
        }
        send(res, STATUS[error.code] ?? 400, { __type: error.code, message: error.message });
      }
    },
  };
}

function parseBody(body: Buffer): { token?: unknown; hostname?: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ServiceError(
      'InvalidParameterException',
      'The body must be JSON: {"token": "lsjt-...", "hostname": "..."}.',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ServiceError('InvalidParameterException', 'The body must be a JSON object with a token.');
  const input = parsed as { token?: unknown; hostname?: unknown };
  if (typeof input.token !== 'string' || input.token === '')
    throw new ServiceError(
      'InvalidParameterException',
      'token is required: the join token `longshore join-token create` printed.',
    );
  return input;
}

function send(res: ServerResponse, status: number, body: object): void {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  const type = (body as { __type?: string }).__type;
  if (type) headers['x-amzn-ErrorType'] = type;
  res.writeHead(status, headers).end(JSON.stringify(body));
}
