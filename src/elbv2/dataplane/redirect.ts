/**
 * ALB's redirect action: the reserved keys `#{protocol}`, `#{host}`, `#{port}`, `#{path}` and
 * `#{query}` are replaced by the request's own parts. `#{path}` is the path without its leading
 * slash, since ELBv2 stores the default path as `/#{path}`; the port is left out of the Location
 * when it is the protocol's default (80 for HTTP, 443 for HTTPS).
 */
import type { ActionConfig } from './config.ts';

type RedirectAction = Extract<ActionConfig, { type: 'redirect' }>;

export interface RedirectInput {
  /** 'http' or 'https': the listener's protocol as the client used it. */
  protocol: 'http' | 'https';
  host: string;
  port: number;
  /** Path as sent, with its leading slash. */
  path: string;
  /** Query without `?`, '' when none. */
  query: string;
}

export function redirectLocation(action: RedirectAction, req: RedirectInput): string {
  const keys: Record<string, string> = {
    protocol: req.protocol,
    host: req.host,
    port: String(req.port),
    path: req.path.replace(/^\//, ''),
    query: req.query,
  };
  const sub = (template: string) =>
    template.replace(/#\{(protocol|host|port|path|query)\}/g, (_, k: string) => keys[k]);
  const protocol = sub(action.protocol || '#{protocol}').toLowerCase();
  const host = sub(action.host || '#{host}');
  const port = sub(action.port || '#{port}');
  let path = sub(action.path || '/#{path}');
  if (!path.startsWith('/')) path = `/${path}`;
  const query = sub(action.query ?? '#{query}');
  const defaultPort = protocol === 'https' ? '443' : '80';
  const authority = port === defaultPort || port === '' ? host : `${host}:${port}`;
  return `${protocol}://${authority}${path}${query ? `?${query}` : ''}`;
}

/** The Location for a request as the listeners see it (`facts` from requestFacts, the listener's host port). */
export function redirectFor(
  action: RedirectAction,
  facts: { host: string; path: string; query: string },
  secure: boolean,
  hostPort: number,
): string {
  return redirectLocation(action, {
    protocol: secure ? 'https' : 'http',
    host: facts.host,
    port: hostPort,
    path: facts.path,
    query: facts.query,
  });
}

export function redirectStatus(action: RedirectAction): number {
  return action.statusCode === 'HTTP_301' ? 301 : 302;
}
