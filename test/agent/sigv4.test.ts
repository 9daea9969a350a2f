/**
 * The agent's node:crypto SigV4 signer (src/agent/sigv4.ts) gives exactly the headers of the
 * AWS signing library (src/core/sign-request.ts, and the library itself for S3's unescaped paths).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { queryRecord, signRequest as librarySign } from '../../src/core/sign-request.ts';
import { signRequest } from '../../src/agent/sigv4.ts';
import { Sha256 } from '@aws-crypto/sha256-js';

const credentials = fc.record(
  {
    accessKeyId: fc.stringMatching(/^[A-Z0-9]{16,20}$/),
    secretAccessKey: fc.string({ minLength: 1, maxLength: 40 }),
    sessionToken: fc.string({ minLength: 1, maxLength: 40 }),
  },
  { requiredKeys: ['accessKeyId', 'secretAccessKey'] },
);
const segment = fc.oneof(
  fc.constantFrom('.', '..', '', 'a b', "x!'()*", 'ü', '%41', 'v4', 'metadata'),
  fc.string({ maxLength: 8 }),
);
const path = fc.array(segment, { maxLength: 5 }).map((parts) => `/${parts.join('/')}`);
const query = fc.array(
  fc.tuple(fc.constantFrom('a', 'B', 'x y', 'X-Amz-Signature', 'ä', '*'), fc.string({ maxLength: 6 })),
  {
    maxLength: 5,
  },
);
const headerValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('  two  spaces ', 'tab\there', 'line\r\nbreak'),
);
const headers = fc.dictionary(
  fc.constantFrom(
    'content-type',
    'X-Amz-Target',
    'user-agent',
    'Authorization',
    'x-amz-date',
    'proxy-thing',
    'sec-websocket-key',
    'x-amz-content-sha256',
    'Connection',
  ),
  headerValue,
  { maxKeys: 5 },
);
const request = fc.record(
  {
    method: fc.constantFrom<'GET' | 'POST'>('GET', 'POST'),
    host: fc.constantFrom('127.0.0.1:4590', 'localhost', 'cp.example:443', '10.0.0.5:8080'),
    path,
    query,
    headers,
    body: fc.string({ maxLength: 40 }),
    now: fc.integer({ min: 0, max: 4_102_444_800_000 }),
    service: fc.constantFrom('ecs', 'ecr', 'secretsmanager', 'ssm'),
  },
  { requiredKeys: ['method', 'host', 'path', 'query', 'headers', 'now'] },
);

function urlOf(r: { host: string; path: string; query: [string, string][] }): URL {
  const url = new URL(`http://${r.host}`);
  url.pathname = r.path;
  for (const [name, value] of r.query) url.searchParams.append(name, value);
  return url;
}

describe('agent SigV4 signer', () => {
  it('signs as the AWS signing library does', async () => {
    await fc.assert(
      fc.asyncProperty(
        credentials,
        fc.constantFrom('us-east-1', 'eu-west-3'),
        request,
        async (c, region, r) => {
          const outgoing = { ...r, url: urlOf(r) };
          assert.deepEqual(signRequest(c, region, outgoing), await librarySign(c, region, outgoing));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("signs S3's paths as given (uriEscapePath false)", async () => {
    await fc.assert(
      fc.asyncProperty(credentials, request, async (c, r) => {
        const url = urlOf(r);
        const unsigned = { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
        const library = new SignatureV4({
          credentials: c,
          region: 'us-east-1',
          service: 's3',
          sha256: Sha256,
          uriEscapePath: false,
        });
        const expected = await library.sign(
          {
            method: 'GET',
            protocol: url.protocol,
            hostname: url.hostname,
            port: url.port ? Number(url.port) : undefined,
            path: url.pathname,
            query: queryRecord(url.searchParams),
            headers: { host: url.host, ...unsigned },
          },
          { signingDate: new Date(r.now) },
        );
        const actual = signRequest(
          c,
          'us-east-1',
          { method: 'GET', url, headers: unsigned, now: r.now, service: 's3' },
          { escapePath: false },
        );
        assert.deepEqual(actual, expected.headers);
      }),
      { numRuns: 200 },
    );
  });
});
