/** The raw HTTP/1.1 path (`fast-http.ts`) on the wire: bodies and framing both ways, pipelining, stale pooled connections, hand-over to node:http. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, createServer as createNetServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type Dataplane, startDataplane } from '../../../src/elbv2/dataplane/dataplane.ts';
import { alb, forward, get, listener, targetOf, tg } from './support.ts';

/** Sends raw bytes on one connection and collects what comes back until `done(text)` says so. */
function raw(
  port: number,
  payload: string | Buffer[],
  done: (text: string) => boolean,
  gapMs = 0,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', async () => {
      if (typeof payload === 'string') s.write(payload);
      else
        for (const part of payload) {
          s.write(part);
          if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
        }
    });
    let text = '';
    s.on('data', (d) => {
      text += d.toString('latin1');
      if (done(text)) {
        s.destroy();
        resolve(text);
      }
    });
    s.on('error', reject);
    s.on('close', () => resolve(text));
    s.setTimeout(5000, () => s.destroy());
  });
}

describe('raw HTTP/1.1 path', () => {
  let target: Server;
  let port: number;
  let dp: Dataplane;

  before(async () => {
    target = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        if (req.url === '/echo') {
          res.writeHead(200, {
            'content-type': 'application/octet-stream',
            'x-len': String(body.length),
            'x-te': String(req.headers['transfer-encoding'] ?? ''),
          });
          res.end(body);
        } else if (req.url === '/chunked') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('one,');
          setTimeout(() => res.end('two'), 20);
        } else if (req.url === '/big') {
          res.end(Buffer.alloc(3_000_000, 'z'));
        } else if (req.url === '/none') {
          res.writeHead(204);
          res.end();
        } else if (req.url === '/304') {
          res.writeHead(304, { etag: '"x"' });
          res.end();
        } else res.end(`path ${req.url} ${req.method}`);
      });
    });
    target.keepAliveTimeout = 150;
    target.listen(0, '127.0.0.1');
    await new Promise((r) => target.once('listening', r));
    const t = { name: 't', port: (target.address() as AddressInfo).port };
    dp = startDataplane();
    await dp.apply({
      generation: 1,
      targetGroups: [tg('t', [targetOf(t)])],
      loadBalancers: [alb('lb', [listener('l', 0, [forward('t')])])],
    });
    port = dp.hostPort('l') ?? 0;
  });

  after(async () => {
    await dp.close();
    target.closeAllConnections();
    target.close();
  });

  it('forwards a Content-Length body and a chunked body', async () => {
    const body = 'x'.repeat(100_000);
    const r = await get(port, '/echo', {
      method: 'POST',
      body,
      headers: { 'content-length': String(body.length) },
    });
    assert.equal(r.headers['x-len'], '100000');
    assert.equal(r.body, body);
    const chunked = await raw(
      port,
      [
        Buffer.from('POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel'),
        Buffer.from('lo\r\n6;ext=1\r\n world\r\n0\r\n\r\n'),
      ],
      (t) => t.endsWith('\r\n0\r\n\r\n'),
      20,
    );
    assert.match(chunked, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(chunked, /x-te: chunked/);
    assert.match(chunked, /\r\nb\r\nhello world\r\n0\r\n\r\n$/);
  });

  it('streams chunked and large responses, and knows HEAD, 204 and 304 have no body', async () => {
    assert.equal((await get(port, '/chunked')).body, 'one,two');
    assert.equal((await get(port, '/big')).body.length, 3_000_000);
    const head = await get(port, '/big', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.equal((await get(port, '/none')).status, 204);
    assert.equal((await get(port, '/304')).status, 304);
  });

  it('answers pipelined requests in order on one connection', async () => {
    const text = await raw(
      port,
      'GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      (t) => t.includes('path /c'),
    );
    const order = [...text.matchAll(/path \/(\w)/g)].map((m) => m[1]);
    assert.deepEqual(order, ['a', 'b', 'c']);
  });

  it('retries a request whose pooled connection the target had closed (keep-alive timeout)', async () => {
    for (let i = 0; i < 3; i++) {
      assert.equal((await get(port, '/k')).status, 200);
      await new Promise((r) => setTimeout(r, 200)); // past the target's 150 ms keep-alive timeout
    }
  });

  it('hands unusual requests to node:http (HTTP/1.0, Expect) and rejects malformed ones', async () => {
    const http10 = await raw(port, 'GET /old HTTP/1.0\r\nHost: x\r\n\r\n', (t) => t.includes('path /old'));
    assert.match(http10, /path \/old GET/);
    const expect = await get(port, '/echo', {
      method: 'POST',
      body: 'abc',
      headers: { expect: '100-continue', 'content-length': '3' },
    });
    assert.equal(expect.body, 'abc');
    const bad = await raw(
      port,
      'GET /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
      (t) => t.includes('\r\n\r\n'),
    );
    assert.match(bad, /^HTTP\/1\.1 400/);
  });

  it('gives 502 for a response that is not HTTP and for one cut short', async () => {
    const liar = createNetServer((s) => {
      s.once('data', (d) => {
        if (String(d).startsWith('GET /short'))
          s.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this');
        else s.end('SSH-2.0-OpenSSH\r\n\r\n');
      });
    });
    liar.listen(0, '127.0.0.1');
    await new Promise((r) => liar.once('listening', r));
    const dp2 = startDataplane();
    await dp2.apply({
      generation: 1,
      targetGroups: [tg('l', [targetOf({ name: 'l', port: (liar.address() as AddressInfo).port })])],
      loadBalancers: [alb('lb2', [listener('l2', 0, [forward('l')])])],
    });
    try {
      assert.equal((await get(dp2.hostPort('l2') ?? 0, '/garbage')).status, 502);
      await assert.rejects(get(dp2.hostPort('l2') ?? 0, '/short'));
    } finally {
      await dp2.close();
      liar.close();
    }
  });
});
