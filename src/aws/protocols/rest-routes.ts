/** REST routing: Smithy `http` URI templates compiled once and matched against method, path and query. */
import type { AwsService, HttpBinding } from '../service.ts';
import type { IncomingRequest } from './protocol.ts';

type Segment = { literal: string } | { label: string; greedy: boolean };

/** One operation's route. */
export interface Route {
  service: AwsService;
  operation: string;
  method: string;
  segments: Segment[];
  /** Literal query parameters the template requires (`?x-id=GetObject`, or a bare `?uploads`). */
  query: [string, string | undefined][];
}

/** A matched route with its labels, percent-decoded. */
export interface RouteMatch {
  route: Route;
  labels: Record<string, string>;
}

/** Compiles `/schedules/{Name}`, `/{Key+}` (greedy) or `/path?x-id=Op` (required query literal). */
export function compileRoute(service: AwsService, operation: string, http: HttpBinding): Route {
  const [path, search = ''] = http.uri.split('?');
  const segments = splitPath(path).map((s): Segment => {
    const m = /^\{([^}+]+)(\+?)\}$/.exec(s);
    return m ? { label: m[1], greedy: m[2] === '+' } : { literal: s };
  });
  const query = search
    .split('&')
    .filter((p) => p !== '')
    .map((p): [string, string | undefined] => {
      const eq = p.indexOf('=');
      return eq < 0 ? [p, undefined] : [p.slice(0, eq), p.slice(eq + 1)];
    });
  return { service, operation, method: http.method.toUpperCase(), segments, query };
}

/**
 * Routes sorted so that the first match is the most specific one: more literal segments first,
 * then fixed-length before greedy, then more query literals (`GET /{Bucket}?acl` before `GET /{Bucket}`).
 */
export function sortRoutes(routes: Route[]): Route[] {
  const literals = (r: Route) => r.segments.filter((s) => 'literal' in s).length;
  const greedy = (r: Route) => (r.segments.some((s) => 'greedy' in s && s.greedy) ? 1 : 0);
  return [...routes].sort(
    (a, b) => literals(b) - literals(a) || greedy(a) - greedy(b) || b.query.length - a.query.length,
  );
}

/** The labels when `route` matches `request`, else undefined. */
export function matchRoute(route: Route, request: IncomingRequest): Record<string, string> | undefined {
  if (route.method !== request.method) return undefined;
  for (const [k, v] of route.query) {
    if (!request.query.has(k) || (v !== undefined && request.query.get(k) !== v)) return undefined;
  }
  const parts = splitPath(request.path);
  const labels: Record<string, string> = {};
  let i = 0;
  for (const segment of route.segments) {
    if ('literal' in segment) {
      if (parts[i] === undefined || safeDecode(parts[i]) !== segment.literal) return undefined;
      i++;
    } else if (segment.greedy) {
      if (i >= parts.length) return undefined;
      labels[segment.label] = parts.slice(i).map(safeDecode).join('/');
      i = parts.length;
    } else {
      if (parts[i] === undefined || parts[i] === '') return undefined;
      labels[segment.label] = safeDecode(parts[i]);
      i++;
    }
  }
  return i === parts.length ? labels : undefined;
}

/** `/a/b/` -> ['a', 'b']: the leading slash and one trailing slash do not make segments. */
function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\//, '').replace(/\/$/, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
