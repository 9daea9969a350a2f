/**
 * The relay behind `AWS_ENDPOINT_URL` in containers: requests to the agent's endpoint address
 * (`http://169.254.170.2`) that are not metadata or credentials go, as they are, to the control
 * plane the agent talks to. Containers cannot reach a control plane that listens on the host's
 * loopback; through the link-local route every task (bridge, host, awsvpc) can. Headers pass
 * unchanged (`host` included), so SigV4 signatures made for the link-local address verify, and the
 * control plane authenticates and authorizes the caller as for any request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { http, https } from '../http-request.ts';

/** A relayed call that has not answered in this long is cut (long enough for a large ECR upload). */
const RELAY_TIMEOUT_MS = 120_000;

export function relayRequest(target: URL, req: IncomingMessage, res: ServerResponse): void {
  const { request } = target.protocol === 'https:' ? https() : http;
  const out = request(
    {
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      timeout: RELAY_TIMEOUT_MS,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on('timeout', () => out.destroy(new Error('the control plane did not answer')));
  out.on('error', () => {
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'the agent could not reach the control plane' }));
    } else res.destroy();
  });
  req.pipe(out);
}
