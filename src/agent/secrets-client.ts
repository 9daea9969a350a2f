/**
 * Secrets for task containers, as the ECS agent fetches them with the task execution role
 * (until IAM exists, the agent's own key pair): Secrets Manager's GetSecretValue and Parameter
 * Store's GetParameters, signed calls to the control plane's endpoint, and S3's GetObject for
 * environment files. Values are never logged.
 */
import { httpRequest, jsonBody } from './http-request.ts';
import { type SigningCredentials, signRequest } from './sigv4.ts';

export interface SecretsClientOptions {
  /** The control plane's endpoint (`http://127.0.0.1:4590`). */
  endpoint: string;
  region: string;
  credentials: SigningCredentials;
}

/** A failed call: the service's error type and message (never a value). */
export class SecretsCallError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.name = 'SecretsCallError';
    this.type = type;
  }
}

export class SecretsClient {
  readonly #o: SecretsClientOptions;

  constructor(options: SecretsClientOptions) {
    this.#o = options;
  }

  async getSecretValue(secretId: string, versionStage?: string, versionId?: string): Promise<string> {
    const region = regionOf(secretId) ?? this.#o.region;
    const out = (await this.#call('secretsmanager', 'secretsmanager.GetSecretValue', region, {
      SecretId: secretId,
      ...(versionStage ? { VersionStage: versionStage } : {}),
      ...(versionId ? { VersionId: versionId } : {}),
    })) as { SecretString?: string; SecretBinary?: string };
    if (out.SecretString !== undefined) return out.SecretString;
    return Buffer.from(out.SecretBinary ?? '', 'base64').toString('utf8');
  }

  /** Values by the name (or ARN) asked for; names the store does not have in `invalid`. */
  async getParameters(
    names: string[],
    region = this.#o.region,
  ): Promise<{ values: Map<string, string>; invalid: string[] }> {
    const values = new Map<string, string>();
    const invalid: string[] = [];
    // GetParameters takes at most 10 names.
    for (let i = 0; i < names.length; i += 10) {
      const batch = names.slice(i, i + 10);
      const out = (await this.#call('ssm', 'AmazonSSM.GetParameters', region, {
        Names: batch,
        WithDecryption: true,
      })) as { Parameters?: { Name?: string; ARN?: string; Value?: string }[]; InvalidParameters?: string[] };
      for (const p of out.Parameters ?? []) {
        const asked = batch.find((n) => n === p.Name || n === p.ARN) ?? p.Name ?? '';
        values.set(asked, p.Value ?? '');
      }
      invalid.push(...(out.InvalidParameters ?? []));
    }
    return { values, invalid };
  }

  /**
   * An S3 object's bytes (environment files). Signed for the agent's region; a bucket in another
   * region answers with its region (`x-amz-bucket-region`), and the call is signed again for it.
   */
  async getObject(bucket: string, key: string, region = this.#o.region): Promise<Uint8Array> {
    const path = `/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
    const url = new URL(path, this.#o.endpoint);
    const { host: _host, ...sent } = signRequest(
      this.#o.credentials,
      region,
      {
        method: 'GET',
        url,
        headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        now: Date.now(),
        service: 's3',
      },
      { escapePath: false },
    );
    const res = await httpRequest(url, { method: 'GET', headers: sent, timeoutMs: 30_000 });
    if (res.ok) return new Uint8Array(res.body);
    const body = res.body.toString('utf8');
    const elsewhere = res.headers['x-amz-bucket-region'];
    if (typeof elsewhere === 'string' && elsewhere && elsewhere !== region)
      return this.getObject(bucket, key, elsewhere);
    const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? `HTTP ${res.status}`;
    const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? '';
    throw new SecretsCallError(code, message);
  }

  async #call(service: string, target: string, region: string, body: object): Promise<unknown> {
    const url = new URL('/', this.#o.endpoint);
    const text = JSON.stringify(body);
    const headers = signRequest(this.#o.credentials, region, {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body: text,
      now: Date.now(),
      service,
    });
    const { host: _host, ...sent } = headers;
    const res = await httpRequest(url, { method: 'POST', headers: sent, body: text, timeoutMs: 10_000 });
    const out = jsonBody(res) as {
      __type?: string;
      message?: string;
      Message?: string;
    };
    if (!res.ok) {
      const type = (out.__type ?? `HTTP ${res.status}`).split('#').pop() ?? '';
      throw new SecretsCallError(type, out.message ?? out.Message ?? '');
    }
    return out;
  }
}

/** The region an ARN names (`arn:aws:secretsmanager:<region>:...`). */
export function regionOf(arn: string): string | undefined {
  return arn.startsWith('arn:') ? arn.split(':')[3] || undefined : undefined;
}
