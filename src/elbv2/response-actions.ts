/** Redirect and fixed-response actions (ALB only): their configs checked as ELBv2 checks them, with ELBv2's `#{...}` defaults. */
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Elbv2ErrorCode, validation } from './model/errors.ts';

const FIXED_CONTENT_TYPES = [
  'text/plain',
  'text/css',
  'text/html',
  'application/javascript',
  'application/json',
];
const MAX_BODY = 1024;
const MAX_REDIRECT_PART = 128;

const invalidAction = (message: string) =>
  new ServiceError(Elbv2ErrorCode.InvalidLoadBalancerAction, message);

export function redirect(action: Wire<Action>) {
  const c = action.RedirectConfig;
  if (!c) throw validation('A redirect config must be specified for redirect actions');
  if (c.StatusCode !== 'HTTP_301' && c.StatusCode !== 'HTTP_302') {
    throw validation(`Redirect status code '${c.StatusCode ?? ''}' must be one of 'HTTP_301, HTTP_302'`);
  }
  const protocol = c.Protocol ?? '#{protocol}';
  if (!['HTTP', 'HTTPS', '#{protocol}'].includes(protocol)) {
    throw validation(`Redirect protocol '${protocol}' must be one of 'HTTP, HTTPS, #{protocol}'`);
  }
  const port = c.Port ?? '#{port}';
  if (port !== '#{port}' && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    throw validation(`Redirect port '${port}' must be between 1 and 65535 or '#{port}'`);
  }
  const host = c.Host ?? '#{host}';
  const path = c.Path ?? '/#{path}';
  const query = c.Query ?? '#{query}';
  for (const [name, value] of [
    ['host', host],
    ['path', path],
    ['query', query],
  ] as const) {
    if (value.length > MAX_REDIRECT_PART) {
      throw validation(`Redirect ${name} '${value}' must be at most ${MAX_REDIRECT_PART} characters`);
    }
  }
  if (host.length === 0) throw validation('Redirect host cannot be empty');
  if (!path.startsWith('/')) throw validation(`Redirect path '${path}' must start with '/'`);
  if (query.startsWith('?')) throw validation(`Redirect query '${query}' must not start with '?'`);
  if (protocol === '#{protocol}' && port === '#{port}' && host === '#{host}' && path === '/#{path}') {
    throw invalidAction(
      'The redirect must change at least one of the protocol, port, host or path, or it loops',
    );
  }
  return { protocol, host, port, path, query, statusCode: c.StatusCode };
}

export function fixedResponse(action: Wire<Action>) {
  const c = action.FixedResponseConfig;
  if (!c) throw validation('A fixed response config must be specified for fixed-response actions');
  const status = c.StatusCode ?? '';
  if (!/^[245]\d\d$/.test(status))
    throw validation(`Fixed response status code '${status}' must be 2XX, 4XX or 5XX`);
  if (c.ContentType !== undefined && !FIXED_CONTENT_TYPES.includes(c.ContentType)) {
    throw validation(
      `Fixed response content type '${c.ContentType}' must be one of '${FIXED_CONTENT_TYPES.join(', ')}'`,
    );
  }
  if (c.MessageBody !== undefined && Buffer.byteLength(c.MessageBody, 'utf8') > MAX_BODY) {
    throw validation(`Fixed response message body must be at most ${MAX_BODY} bytes`);
  }
  return {
    statusCode: status,
    ...(c.ContentType !== undefined ? { contentType: c.ContentType } : {}),
    ...(c.MessageBody !== undefined ? { messageBody: c.MessageBody } : {}),
  };
}
