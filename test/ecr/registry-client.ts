/** Shared by the registry tests: a control plane, the ECR API client, and raw HTTP to `/v2/`. */
import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { CreateRepositoryCommand, type ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { issueRegistryPassword } from '../../src/ecr/model/auth-token.ts';
import type { EcrContext } from '../../src/ecr/model/records.ts';
import {
  startTestPlane,
  TEST_CREDENTIALS,
  type TestPlane,
  type TestPlaneOptions,
} from '../support/control-plane.ts';
import { ecrClient } from './ecr-plane.ts';

export const digestOf = (bytes: Buffer | string): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export interface Reply {
  status: number;
  headers: Headers;
  body: Buffer;
  // biome-ignore lint/suspicious/noExplicitAny: test replies are read loosely (the assertions check their shape)
  json(): any;
}

export interface RegistryFixture {
  tp: TestPlane;
  ecr: ECRClient;
  /** `127.0.0.1:<port>` */
  host: string;
  /** The Basic credential `docker login` would send. */
  password: string;
  authorization: string;
  /** A raw request to the registry, authenticated unless `auth: false` (or another header value). */
  call(method: string, path: string, options?: CallOptions): Promise<Reply>;
  createRepository(name: string, mutability?: 'MUTABLE' | 'IMMUTABLE'): Promise<void>;
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export interface CallOptions {
  body?: Buffer | string | ReadableStream;
  headers?: Record<string, string>;
  auth?: false | string;
}

export async function startRegistry(options: TestPlaneOptions = {}): Promise<RegistryFixture> {
  const tp = await startTestPlane({ controllers: false, ...options });
  return registryAt(tp.plane.endpoint, tp);
}

/** A fixture over a running endpoint (a child `longshore` process has no TestPlane). */
export async function registryAt(endpoint: string, tp?: TestPlane): Promise<RegistryFixture> {
  const ecr = ecrClient(endpoint);
  const token = await ecr.send(new GetAuthorizationTokenCommand({}));
  const decoded = Buffer.from(token.authorizationData?.[0].authorizationToken ?? '', 'base64').toString();
  const password = decoded.slice('AWS:'.length);
  const authorization = `Basic ${Buffer.from(`AWS:${password}`).toString('base64')}`;
  const host = new URL(endpoint).host;
  const call = async (method: string, path: string, o: CallOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.auth !== false) headers.authorization = o.auth ?? authorization;
    const init: RequestInit & { duplex?: string } = { method, headers, body: o.body as BodyInit | undefined };
    if (o.body instanceof ReadableStream) init.duplex = 'half';
    const res = await fetch(`http://${host}${path}`, init);
    const body = Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, body, json: () => JSON.parse(body.toString()) };
  };
  return {
    tp: tp as TestPlane,
    ecr,
    host,
    password,
    authorization,
    call,
    async createRepository(name, mutability = 'MUTABLE') {
      await ecr.send(new CreateRepositoryCommand({ repositoryName: name, imageTagMutability: mutability }));
    },
    async stop(stopOptions) {
      ecr.destroy();
      await tp?.stop(stopOptions);
    },
  };
}

/** A password signed as the control plane signs them (its secret derives from the test credentials), at `nowMs`. */
export function passwordAt(nowMs: number, region = 'us-east-1'): string {
  const tokenSecret = createHmac('sha256', TEST_CREDENTIALS.secretAccessKey)
    .update('longshore-ecr-token')
    .digest('hex');
  const ctx = { partition: { region, accountId: '000000000000' }, tokenSecret } as unknown as EcrContext;
  return issueRegistryPassword(ctx, nowMs).password;
}

export const basic = (password: string): string =>
  `Basic ${Buffer.from(`AWS:${password}`).toString('base64')}`;

/** Uploads `bytes` monolithically (POST then PUT ?digest=); returns the digest. */
export async function pushBlob(reg: RegistryFixture, name: string, bytes: Buffer | string): Promise<string> {
  const digest = digestOf(bytes);
  const start = await reg.call('POST', `/v2/${name}/blobs/uploads/`);
  if (start.status !== 202) throw new Error(`POST upload: ${start.status} ${start.body}`);
  const location = start.headers.get('location') ?? '';
  const put = await reg.call('PUT', `${location}?digest=${digest}`, {
    body: bytes,
    headers: { 'content-type': 'application/octet-stream' },
  });
  if (put.status !== 201) throw new Error(`PUT upload: ${put.status} ${put.body}`);
  return digest;
}

/** An OCI image manifest over a config and layers already pushed. */
export function imageManifest(
  config: { digest: string; size: number; mediaType?: string },
  layers: { digest: string; size: number }[],
  extra: Record<string, unknown> = {},
): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...l })),
      ...extra,
    }),
  );
}

/** Pushes a small image (config + one layer) under `reference`; returns the manifest and its digest. */
export async function pushImage(
  reg: RegistryFixture,
  name: string,
  reference: string,
  seed = 'x',
): Promise<{ manifest: Buffer; digest: string; config: string; layer: string }> {
  const configBytes = JSON.stringify({ architecture: 'amd64', os: 'linux', seed });
  const layerBytes = Buffer.from(`layer-${seed}-`.repeat(100));
  const config = await pushBlob(reg, name, configBytes);
  const layer = await pushBlob(reg, name, layerBytes);
  const manifest = imageManifest({ digest: config, size: Buffer.byteLength(configBytes) }, [
    { digest: layer, size: layerBytes.length },
  ]);
  const put = await reg.call('PUT', `/v2/${name}/manifests/${reference}`, {
    body: manifest,
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
  });
  if (put.status !== 201) throw new Error(`PUT manifest: ${put.status} ${put.body}`);
  return { manifest, digest: digestOf(manifest), config, layer };
}

/**
 * Runs the docker CLI with `DOCKER_CONFIG` at `config`; answers its exit code and its output (stdout
 * and stderr). Async: the registry answers from this very process, whose event loop must keep running.
 */
export function dockerWith(
  config: string,
  args: string[],
  input?: string,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('docker', args, {
      env: { ...process.env, DOCKER_CONFIG: config },
      timeout: 180_000,
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    child.stderr.on('data', (d) => {
      out += String(d);
    });
    child.stdin.end(input ?? '');
    child.on('close', (code) => resolve({ code, out }));
  });
}
