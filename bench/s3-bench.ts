/**
 * Longshore's S3 against a bare node:http file server on the same box, in one run:
 *
 *   node_modules/.bin/node bench/s3-bench.ts [--runs 3] [--mb 100] [--small 2000] [--concurrency 16]
 *
 * 1. PutObject and GetObject of a `--mb` MB object (random bytes) through @aws-sdk/client-s3 (the
 *    SDK signs the body's SHA-256 over http and adds a CRC32 header; Longshore checks both, writes a
 *    temp file, fsyncs, renames and commits the record) in MB/s (10^6 bytes), median of `--runs`.
 * 2. 1 KB objects: `--small` PutObject calls, then as many GetObject calls, `--concurrency` at a
 *    time, in objects/s.
 *
 * The baseline is the floor of any HTTP object store here: a node:http server in a child process
 * that streams a PUT body to a temp file, fsyncs and renames it, and streams it back on GET, driven
 * by plain node:http requests (no signing, no checksums, no database). `ratio` is Longshore over
 * the baseline. Longshore runs as `node src/cli/main.ts server` in a child process.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { BENCH_CREDENTIALS, fmt, startServer, waitForEndpoint } from './support.ts';

const MB = 1_000_000;
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    mb: { type: 'string', default: '100' },
    small: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '16' },
  },
});
const runs = Number(values.runs);
const bigBytes = Number(values.mb) * MB;
const smallCount = Number(values.small);
const concurrency = Number(values.concurrency);

/** The baseline server: PUT streams to tmp, fsync, rename; GET streams the file back. */
const BASELINE_SERVER = `
const http = require('node:http'); const fs = require('node:fs'); const path = require('node:path');
const dir = process.argv[1]; let n = 0;
http.createServer({ keepAliveTimeout: 65000 }, (req, res) => {
  const file = path.join(dir, 'objects', encodeURIComponent(req.url));
  if (req.method === 'PUT') {
    const tmp = path.join(dir, 'tmp-' + n++);
    const out = fs.createWriteStream(tmp);
    req.pipe(out);
    out.on('finish', () => { const fd = fs.openSync(tmp, 'r'); fs.fsyncSync(fd); fs.closeSync(fd); fs.renameSync(tmp, file); res.writeHead(200, { 'content-length': 0 }); res.end(); });
  } else {
    fs.stat(file, (err, st) => { if (err) { res.writeHead(404); res.end(); return; } res.writeHead(200, { 'content-length': st.size }); fs.createReadStream(file).pipe(res); });
  }
}).listen(0, '127.0.0.1', function () { console.log('endpoint: http://127.0.0.1:' + this.address().port); });
`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function pool(count: number, fn: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await fn(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
function plain(endpoint: string, method: string, path: string, body?: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, endpoint),
      { method, agent, headers: body ? { 'content-length': body.length } : {} },
      (res) => {
        let size = 0;
        res.on('data', (c: Buffer) => (size += c.length));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(size) : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 's3-bench-'));
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(dir, 'baseline', 'objects'), { recursive: true });
  const baselineChild = spawn(process.execPath, ['-e', BASELINE_SERVER, join(dir, 'baseline')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const longshore = startServer(join(dir, 'longshore'));
  try {
    const [{ endpoint }, baseline] = await Promise.all([longshore, waitForEndpoint(baselineChild)]);
    const s3 = new S3Client({
      endpoint,
      region: 'us-east-1',
      credentials: BENCH_CREDENTIALS,
      forcePathStyle: true,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ httpAgent: agent }),
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
    const big = randomBytes(bigBytes);
    const rows: Record<string, { longshore: number[]; baseline: number[] }> = {
      'PutObject MB/s': { longshore: [], baseline: [] },
      'GetObject MB/s': { longshore: [], baseline: [] },
      'PutObject 1 KB objects/s': { longshore: [], baseline: [] },
      'GetObject 1 KB objects/s': { longshore: [], baseline: [] },
    };
    const small = randomBytes(1024);
    for (let r = 0; r < runs; r++) {
      let t0 = performance.now();
      await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: `big-${r}`, Body: big }));
      rows['PutObject MB/s'].longshore.push(bigBytes / MB / ((performance.now() - t0) / 1000));
      t0 = performance.now();
      const got = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: `big-${r}` }));
      let size = 0;
      for await (const c of got.Body as AsyncIterable<Buffer>) size += c.length;
      if (size !== bigBytes) throw new Error(`read ${size} bytes`);
      rows['GetObject MB/s'].longshore.push(bigBytes / MB / ((performance.now() - t0) / 1000));
      t0 = performance.now();
      await plain(baseline, 'PUT', `/big-${r}`, big);
      rows['PutObject MB/s'].baseline.push(bigBytes / MB / ((performance.now() - t0) / 1000));
      t0 = performance.now();
      await plain(baseline, 'GET', `/big-${r}`);
      rows['GetObject MB/s'].baseline.push(bigBytes / MB / ((performance.now() - t0) / 1000));
      rows['PutObject 1 KB objects/s'].longshore.push(
        await pool(smallCount, async (i) => {
          await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: `small/${r}/${i}`, Body: small }));
        }),
      );
      rows['GetObject 1 KB objects/s'].longshore.push(
        await pool(smallCount, async (i) => {
          const out = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: `small/${r}/${i}` }));
          await out.Body?.transformToByteArray();
        }),
      );
      rows['PutObject 1 KB objects/s'].baseline.push(
        await pool(smallCount, (i) => plain(baseline, 'PUT', `/small-${r}-${i}`, small).then(() => {})),
      );
      rows['GetObject 1 KB objects/s'].baseline.push(
        await pool(smallCount, (i) => plain(baseline, 'GET', `/small-${r}-${i}`).then(() => {})),
      );
    }
    s3.destroy();
    console.log(
      `S3: ${values.mb} MB object, ${smallCount} x 1 KB objects at concurrency ${concurrency}, median of ${runs} runs`,
    );
    console.log('| measure | Longshore | baseline (node:http file server) | ratio |');
    console.log('|---|---|---|---|');
    for (const [name, row] of Object.entries(rows)) {
      const l = median(row.longshore);
      const b = median(row.baseline);
      console.log(`| ${name} | ${fmt(l, 0)} | ${fmt(b, 0)} | ${fmt(l / b, 2)} |`);
    }
  } finally {
    longshore.then(
      (server) => server.child.kill('SIGTERM'),
      () => {},
    );
    baselineChild.kill('SIGTERM');
    agent.destroy();
    await new Promise((r) => setTimeout(r, 300));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
