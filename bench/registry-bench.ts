/**
 * Longshore's registry (`/v2/` on the API port) against Debian's `docker-registry` (the CNCF
 * distribution registry 2.8), side by side in one run on this box:
 *
 *   node_modules/.bin/node bench/registry-bench.ts [--runs 3] [--small-mb 100] [--large-mb 1000] [--blob-mb 100]
 *     [--only blob,small,large]
 *
 * 1. `skopeo copy` push (local `oci:` layout -> registry) and pull (registry -> a fresh `oci:`
 *    layout) of a ~100 MB and a ~1 GB image (4 layers of random, incompressible bytes, stored as
 *    gzip with deflate's stored blocks so skopeo neither recompresses nor can shrink them). Every
 *    run pushes a different image: both registries deduplicate blobs, so a re-push would skip them.
 * 2. Raw blob PUT (monolithic: POST a session, PUT `?digest=` with the whole body) and GET of a
 *    100 MB blob from this process with node:http.
 *
 * Both registries run as child processes (Longshore: `node src/cli/main.ts server --port 0`;
 * distribution: `docker-registry serve <config>` with filesystem storage in a temp dir, no auth),
 * so neither shares an event loop with the client. Figures are medians of `--runs` in MB/s
 * (10^6 bytes), registries interleaved within each run (the one going first alternates). `ratio`
 * is Longshore's median over distribution's; `paired` the median of the per-run ratios (each pair
 * ran back to back, so it is steadier when other work shares the box). The server's CPU time per
 * GB (user + system, from /proc/<pid>/stat) is shown beside each figure. Everything under the temp dir is removed at the end.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { constants as zlibConstants, createGzip } from 'node:zlib';
import { CreateRepositoryCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { BENCH_CREDENTIALS, collectOutput, fmt, startServer, stopChild } from './support.ts';

const run = promisify(execFile);
const MB = 1_000_000;
/** Every wait is bounded. */
const COPY_TIMEOUT_MS = 180_000;
const START_TIMEOUT_MS = 30_000;
const LAYERS = 4;

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    'small-mb': { type: 'string' },
    'large-mb': { type: 'string' },
    'blob-mb': { type: 'string' },
    /** Comma-separated phases to run: blob, small, large (default: all). */
    only: { type: 'string' },
  },
});
const RUNS = Number(values.runs ?? 3);
const SMALL_MB = Number(values['small-mb'] ?? 100);
const LARGE_MB = Number(values['large-mb'] ?? 1000);
const BLOB_MB = Number(values['blob-mb'] ?? 100);
const ONLY = new Set((values.only ?? 'blob,small,large').split(','));

interface Registry {
  label: string;
  /** `127.0.0.1:<port>` */
  host: string;
  child: ChildProcess;
  /** Authorization header for raw requests (none for distribution). */
  authorization?: string;
  /** skopeo's credential flags for one direction. */
  creds(direction: 'src' | 'dest'): string[];
}

interface Sample {
  mbps: number;
  cpuPerGB: number;
}

// ---------------------------------------------------------------- processes

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5); fields[0] is field 3.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function startLongshore(dir: string): Promise<Registry> {
  const { child, endpoint } = await startServer(dir, [], { timeoutMs: START_TIMEOUT_MS });
  const ecr = new ECRClient({
    endpoint,
    region: 'us-east-1',
    credentials: BENCH_CREDENTIALS,
    maxAttempts: 1,
  });
  try {
    for (const repositoryName of ['bench/images', 'bench/raw']) {
      await ecr.send(new CreateRepositoryCommand({ repositoryName }));
    }
    const token = await ecr.send(new GetAuthorizationTokenCommand({}));
    const decoded = Buffer.from(token.authorizationData?.[0].authorizationToken ?? '', 'base64').toString();
    const password = decoded.slice('AWS:'.length);
    return {
      label: 'Longshore',
      host: new URL(endpoint).host,
      child,
      authorization: `Basic ${Buffer.from(`AWS:${password}`).toString('base64')}`,
      creds: (direction) => [`--${direction}-creds`, `AWS:${password}`],
    };
  } finally {
    ecr.destroy();
  }
}

async function startDistribution(dir: string): Promise<Registry> {
  const port = await freePort();
  const config = join(dir, 'config.yml');
  await mkdir(join(dir, 'storage'), { recursive: true });
  await writeFile(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  cache:',
      '    blobdescriptor: inmemory',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'storage')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collectOutput(child);
  const host = `127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && child.exitCode === null) {
    const ok = await fetch(`http://${host}/v2/`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { label: 'distribution', host, child, creds: () => [] };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`docker-registry did not start:\n${output()}`);
}

// ---------------------------------------------------------------- images

/**
 * Writes `bytes` of incompressible data as a gzip member made of stored blocks (level 0) into
 * `blobs/sha256/`, returning its digest and size and the uncompressed content's digest (diff_id).
 */
async function writeLayer(
  blobsDir: string,
  bytes: number,
): Promise<{ digest: string; size: number; diffId: string }> {
  const temp = join(blobsDir, `tmp-${randomBytes(8).toString('hex')}`);
  // AES-CTR over zeros: random-looking bytes at several GB/s.
  const cipher = createCipheriv('aes-128-ctr', randomBytes(16), randomBytes(16));
  const gzip = createGzip({ level: 0, chunkSize: 1024 * 1024, strategy: zlibConstants.Z_DEFAULT_STRATEGY });
  const raw = createHash('sha256');
  const packed = createHash('sha256');
  let size = 0;
  const out = createWriteStream(temp);
  gzip.on('data', (chunk: Buffer) => {
    packed.update(chunk);
    size += chunk.length;
    if (!out.write(chunk)) gzip.pause();
  });
  out.on('drain', () => gzip.resume());
  const ended = once(gzip, 'end');
  const zeros = Buffer.alloc(4 * 1024 * 1024);
  for (let left = bytes; left > 0; ) {
    const n = Math.min(left, zeros.length);
    const chunk = cipher.update(zeros.subarray(0, n));
    raw.update(chunk);
    left -= n;
    if (!gzip.write(chunk)) await once(gzip, 'drain');
  }
  gzip.end();
  await ended;
  out.end();
  await once(out, 'finish');
  const digest = `sha256:${packed.digest('hex')}`;
  await rename(temp, join(blobsDir, digest.slice(7)));
  return { digest, size, diffId: `sha256:${raw.digest('hex')}` };
}

async function writeBlob(blobsDir: string, bytes: Buffer): Promise<{ digest: string; size: number }> {
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  await writeFile(join(blobsDir, digest.slice(7)), bytes);
  return { digest, size: bytes.length };
}

/** An OCI layout at `dir` holding one image (tag `latest`) of `LAYERS` random layers; returns its bytes. */
async function buildImage(dir: string, totalBytes: number): Promise<number> {
  const blobsDir = join(dir, 'blobs', 'sha256');
  await mkdir(blobsDir, { recursive: true });
  const layers = [];
  for (let i = 0; i < LAYERS; i++) layers.push(await writeLayer(blobsDir, Math.floor(totalBytes / LAYERS)));
  const config = await writeBlob(
    blobsDir,
    Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        config: {},
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      }),
    ),
  );
  const manifest = await writeBlob(
    blobsDir,
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: layers.map((l) => ({
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          digest: l.digest,
          size: l.size,
        })),
      }),
    ),
  );
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...manifest,
          annotations: { 'org.opencontainers.image.ref.name': 'latest' },
        },
      ],
    }),
  );
  return layers.reduce((n, l) => n + l.size, 0) + config.size + manifest.size;
}

async function skopeo(args: string[]): Promise<void> {
  try {
    await run('skopeo', ['copy', '--retry-times', '0', ...args], {
      timeout: COPY_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`skopeo copy ${args.join(' ')}: ${e.stderr || e.message}`);
  }
}

/** Runs `fn` and returns MB/s for `bytes` and the server's CPU seconds per GB. */
async function timed(reg: Registry, bytes: number, fn: () => Promise<void>): Promise<Sample> {
  const cpu0 = cpuSeconds(reg.child.pid);
  const t0 = performance.now();
  await fn();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(reg.child.pid) - cpu0;
  return { mbps: bytes / MB / seconds, cpuPerGB: cpu / (bytes / 1e9) };
}

/** Push then pull `RUNS` distinct images of `totalBytes` through every registry, interleaved. */
async function imageRuns(
  registries: Registry[],
  work: string,
  label: string,
  totalBytes: number,
  results: Map<string, Sample[]>,
): Promise<void> {
  for (let r = 0; r < RUNS; r++) {
    const source = join(work, `${label}-src-${r}`);
    const bytes = await buildImage(source, totalBytes);
    // Alternate which registry goes first, so neither always meets a warmer page cache.
    const order = r % 2 === 0 ? registries : [...registries].reverse();
    for (const reg of order) {
      const ref = `docker://${reg.host}/bench/images:${label}-${r}`;
      const push = await timed(reg, bytes, () =>
        skopeo([
          '--preserve-digests',
          '--dest-tls-verify=false',
          ...reg.creds('dest'),
          `oci:${source}:latest`,
          ref,
        ]),
      );
      const target = join(work, `${label}-pull-${reg.label}-${r}`);
      const pull = await timed(reg, bytes, () =>
        skopeo([
          '--preserve-digests',
          '--src-tls-verify=false',
          ...reg.creds('src'),
          ref,
          `oci:${target}:latest`,
        ]),
      );
      const pulled = await stat(join(target, 'blobs', 'sha256')).catch(() => undefined);
      if (!pulled) throw new Error(`pull from ${reg.label} wrote nothing`);
      await rm(target, { recursive: true, force: true });
      push_(results, `${reg.label} push ${label}`, push);
      push_(results, `${reg.label} pull ${label}`, pull);
    }
    await rm(source, { recursive: true, force: true });
  }
}

function push_(results: Map<string, Sample[]>, key: string, sample: Sample): void {
  const list = results.get(key) ?? [];
  list.push(sample);
  results.set(key, list);
}

// ---------------------------------------------------------------- raw blobs

interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: number;
}

/** One request over a fresh connection; the answer's body is counted and dropped. */
function http(
  method: string,
  url: URL,
  headers: Record<string, string | number>,
  body?: Buffer,
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, timeout: COPY_TIMEOUT_MS }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

async function putBlob(reg: Registry, blob: Buffer, digest: string): Promise<void> {
  const auth: Record<string, string> = reg.authorization ? { authorization: reg.authorization } : {};
  const base = new URL(`http://${reg.host}/v2/bench/raw/blobs/uploads/`);
  const start = await http('POST', base, { ...auth, 'content-length': 0 });
  if (start.status !== 202) throw new Error(`${reg.label} POST upload: ${start.status}`);
  const location = new URL(String(start.headers.location), base);
  location.searchParams.set('digest', digest);
  const put = await http(
    'PUT',
    location,
    { ...auth, 'content-type': 'application/octet-stream', 'content-length': blob.length },
    blob,
  );
  if (put.status !== 201) throw new Error(`${reg.label} PUT upload: ${put.status}`);
}

async function getBlob(reg: Registry, digest: string, size: number): Promise<void> {
  const auth: Record<string, string> = reg.authorization ? { authorization: reg.authorization } : {};
  const got = await http('GET', new URL(`http://${reg.host}/v2/bench/raw/blobs/${digest}`), auth);
  if (got.status !== 200 || got.bytes !== size) {
    throw new Error(`${reg.label} GET blob: ${got.status}, ${got.bytes} of ${size} bytes`);
  }
}

async function blobRuns(registries: Registry[], results: Map<string, Sample[]>): Promise<void> {
  const size = BLOB_MB * MB;
  for (let r = 0; r < RUNS; r++) {
    const cipher = createCipheriv('aes-128-ctr', randomBytes(16), randomBytes(16));
    const blob = cipher.update(Buffer.alloc(size));
    const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
    const order = r % 2 === 0 ? registries : [...registries].reverse();
    for (const reg of order) {
      push_(results, `${reg.label} blob PUT`, await timed(reg, size, () => putBlob(reg, blob, digest)));
      push_(results, `${reg.label} blob GET`, await timed(reg, size, () => getBlob(reg, digest, size)));
    }
  }
}

// ---------------------------------------------------------------- main

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor(s.length / 2)];
};

async function main(): Promise<void> {
  for (const tool of ['skopeo', 'docker-registry']) {
    await run('which', [tool]).catch(() => {
      throw new Error(`${tool} is missing: apt-get install -y ${tool}`);
    });
  }
  const started = performance.now();
  const work = await mkdtemp(join(tmpdir(), 'longshore-registry-bench-'));
  const children: ChildProcess[] = [];
  const cleanup = async () => {
    for (const child of children) await stopChild(child).catch(() => {});
    await rm(work, { recursive: true, force: true });
  };
  const onSignal = () => {
    cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const longshore = await startLongshore(join(work, 'longshore'));
    children.push(longshore.child);
    const distribution = await startDistribution(join(work, 'distribution'));
    children.push(distribution.child);
    const registries = [longshore, distribution];
    console.log(
      `Longshore ${longshore.host} (pid ${longshore.child.pid}), distribution ${distribution.host} ` +
        `(pid ${distribution.child.pid}); ${RUNS} runs each, work dir ${work}`,
    );

    const results = new Map<string, Sample[]>();
    const phases: [string, string, () => Promise<void>][] = [
      ['blob', `blob ${BLOB_MB} MB`, () => blobRuns(registries, results)],
      [
        'small',
        `image ${SMALL_MB} MB`,
        () => imageRuns(registries, work, `${SMALL_MB}MB`, SMALL_MB * MB, results),
      ],
      [
        'large',
        `image ${LARGE_MB} MB`,
        () => imageRuns(registries, work, `${LARGE_MB}MB`, LARGE_MB * MB, results),
      ],
    ];
    for (const [key, name, phase] of phases) {
      if (!ONLY.has(key)) continue;
      const t0 = performance.now();
      await phase();
      console.log(`  ${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }

    const rows: [string, string][] = [
      [`skopeo push, ${SMALL_MB} MB image`, `push ${SMALL_MB}MB`],
      [`skopeo pull, ${SMALL_MB} MB image`, `pull ${SMALL_MB}MB`],
      [`skopeo push, ${LARGE_MB} MB image`, `push ${LARGE_MB}MB`],
      [`skopeo pull, ${LARGE_MB} MB image`, `pull ${LARGE_MB}MB`],
      [`blob PUT (POST+PUT), ${BLOB_MB} MB`, 'blob PUT'],
      [`blob GET, ${BLOB_MB} MB`, 'blob GET'],
    ];
    const header = [
      'figure (median of runs, MB/s)',
      'Longshore',
      'distribution',
      'ratio',
      'paired',
      'CPU s/GB L / d',
    ];
    const measured = rows.filter(([, key]) => results.has(`Longshore ${key}`));
    const table = measured.map(([title, key]) => {
      const l = results.get(`Longshore ${key}`) ?? [];
      const d = results.get(`distribution ${key}`) ?? [];
      const lm = median(l.map((s) => s.mbps));
      const dm = median(d.map((s) => s.mbps));
      return [
        title,
        `${fmt(lm, 0)} (${l.map((s) => fmt(s.mbps, 0)).join('/')})`,
        `${fmt(dm, 0)} (${d.map((s) => fmt(s.mbps, 0)).join('/')})`,
        `${fmt(lm / dm, 2)}x`,
        `${fmt(median(l.map((s, i) => s.mbps / (d[i]?.mbps ?? Number.NaN))), 2)}x`,
        `${fmt(median(l.map((s) => s.cpuPerGB)), 2)} / ${fmt(median(d.map((s) => s.cpuPerGB)), 2)}`,
      ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    console.log('');
    console.log(line(header));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const row of table) console.log(line(row));
    console.log(
      `\nTotal ${((performance.now() - started) / 1000).toFixed(0)} s. Target: ratio >= 1.0x on every figure.`,
    );
  } finally {
    await cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
