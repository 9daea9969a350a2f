/**
 * The API destination target: an HTTP request to the destination's endpoint with its method, the
 * connection's auth and invocation parameters, and the target's HttpParameters (PathParameterValues
 * fill the endpoint's `*` in order; HeaderParameters and QueryStringParameters are added). The body
 * is the target's input (the event, or Input / InputPath / InputTransformer); connection body
 * parameters are merged into a JSON object body. Each request has 5 s, as in EventBridge.
 *
 * Retries, as EventBridge documents them: 401, 407, 409, 429 and 5xx answers and network errors
 * are retried within the retry policy; other answers fail the delivery for good.
 */
import type { DeliveryRecord } from '../../events/model/deliveries.ts';
import { openParameters, openSecret } from '../../events/model/connections.ts';
import type { ApiDestinationRecord, ConnectionRecord } from '../../events/model/records.ts';
import { Kind, type Reader } from '../../store/store.ts';
import { OAuthTokenError, type OAuthTokens } from './oauth-tokens.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { type EventTargetPorts, failed, type InvokeOutcome, ok } from './target-ports.ts';

export const INVOCATION_TIMEOUT_MS = 5_000;
const RETRIED_STATUSES = new Set([401, 407, 409, 429]);

export interface ApiDestinationDeps {
  ports: EventTargetPorts;
  store: Reader;
  limiter: RateLimiter;
  tokens: OAuthTokens;
  now: number;
}

export async function invokeApiDestination(
  deps: ApiDestinationDeps,
  delivery: DeliveryRecord,
  input: string,
): Promise<InvokeOutcome> {
  const arn = delivery.target.Arn ?? '';
  const name = /:api-destination\/([^/]+)/.exec(arn)?.[1] ?? '';
  const destination = (await deps.store.get<ApiDestinationRecord>(Kind.EventApiDestination, name))?.value;
  if (!destination || !arn.startsWith(destination.arn))
    return failed(`API destination ${arn} does not exist`, false);
  const connName = /:connection\/([^/]+)\//.exec(destination.connectionArn)?.[1] ?? '';
  const connection = (await deps.store.get<ConnectionRecord>(Kind.EventConnection, connName))?.value;
  if (!connection || connection.arn !== destination.connectionArn) {
    return failed(`connection ${destination.connectionArn} does not exist`, false);
  }
  const wait = deps.limiter.take(destination.arn, destination.rateLimitPerSecond, deps.now);
  if (wait > 0) return { type: 'throttled', afterMs: wait };

  const sealer = deps.ports.sealer();
  const http = delivery.target.HttpParameters;
  const pathValues = [...(http?.PathParameterValues ?? [])];
  const url = new URL(
    destination.invocationEndpoint.replace(/\*/g, () => encodeURIComponent(pathValues.shift() ?? '')),
  );
  const headers = new Headers({
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Amazon/EventBridge/ApiDestinations',
  });
  const inv = connection.invocation;
  for (const [k, v] of openParameters(sealer, connection.arn, 'invocation', 'query', inv.query))
    url.searchParams.append(k, v);
  for (const [k, v] of Object.entries(http?.QueryStringParameters ?? {})) url.searchParams.append(k, v);
  for (const [k, v] of openParameters(sealer, connection.arn, 'invocation', 'header', inv.headers))
    headers.set(k, v);
  for (const [k, v] of Object.entries(http?.HeaderParameters ?? {})) headers.set(k, v);
  try {
    if (connection.basic) {
      const password = openSecret(sealer, connection.arn, 'password', connection.basic.sealedPassword);
      headers.set(
        'authorization',
        `Basic ${Buffer.from(`${connection.basic.username}:${password}`).toString('base64')}`,
      );
    } else if (connection.apiKey) {
      headers.set(
        connection.apiKey.name,
        openSecret(sealer, connection.arn, 'api-key', connection.apiKey.sealedValue),
      );
    } else if (connection.oauth) {
      headers.set('authorization', `Bearer ${await deps.tokens.token(sealer, connection, deps.now)}`);
    }
  } catch (error) {
    // Never the error's own text for the other cases: it could quote a header value.
    if (error instanceof OAuthTokenError) return failed(`authorization failed: ${error.message}`, true);
    return failed("authorization failed: the connection's credentials do not make a valid header", false);
  }
  let body: string | undefined = input;
  if (inv.body.length > 0) {
    try {
      const parsed = JSON.parse(input) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        const extra = Object.fromEntries(
          openParameters(sealer, connection.arn, 'invocation', 'body', inv.body),
        );
        body = JSON.stringify({ ...parsed, ...extra });
      }
    } catch {
      // A text body is sent as it is.
    }
  }
  if (destination.httpMethod === 'GET' || destination.httpMethod === 'HEAD') body = undefined;
  let response: Response;
  try {
    response = await fetch(url, {
      method: destination.httpMethod,
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: AbortSignal.timeout(INVOCATION_TIMEOUT_MS),
    });
    await response.arrayBuffer().catch(() => undefined);
  } catch (error) {
    return failed(
      `${destination.httpMethod} ${url.origin}${url.pathname}: ${(error as Error).name}: ${(error as Error).message}`,
      true,
    );
  }
  if (response.status >= 200 && response.status < 300) return ok;
  if (response.status === 401 && connection.oauth) deps.tokens.forget(connection);
  const retriable = RETRIED_STATUSES.has(response.status) || response.status >= 500;
  return failed(
    `${destination.httpMethod} ${url.origin}${url.pathname} answered HTTP ${response.status}`,
    retriable,
  );
}
