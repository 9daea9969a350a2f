/**
 * S3 through the `aws` CLI (each CLI on the machine: PATH's and Debian's /usr/bin/aws v2):
 * `s3 mb`, `s3 cp` up (a small file: one signed PUT with Content-MD5; a 9 MiB one: a multipart
 * upload with parallel signed parts) and down, `s3 ls`, `s3api` calls and their errors, `s3 rm`,
 * `s3 rb`. The control plane runs in this process, so the CLI runs with async execFile.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { awsCliEnv } from '../support/aws-cli.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';

const run = promisify(execFile);

async function available(cli: string): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await run(cli, ['--version'], { env: awsCliEnv(), timeout: 20_000 });
    return `${stdout}${stderr}`.trim();
  } catch {
    return undefined;
  }
}

const clis = ['aws', ...(existsSync('/usr/bin/aws') ? ['/usr/bin/aws'] : [])];

for (const cli of clis) {
  describe(`S3 through ${cli}`, () => {
    let t: TestPlane;
    let dir: string;
    let version: string | undefined;
    const aws = async (...args: string[]) =>
      (
        await run(cli, ['--endpoint-url', t.plane.endpoint, '--output', 'json', ...args], {
          env: awsCliEnv(),
          timeout: 120_000,
          maxBuffer: 16 * 1024 * 1024,
        })
      ).stdout;
    const fails = async (...args: string[]) => {
      try {
        await aws(...args);
      } catch (error) {
        return String((error as { stderr?: string }).stderr);
      }
      assert.fail(`expected aws ${args.join(' ')} to fail`);
    };
    before(async () => {
      version = await available(cli);
      t = await startTestPlane({ controllers: false });
      dir = await mkdtemp(join(tmpdir(), 's3-cli-'));
    });
    after(async () => {
      await t?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    test('mb, cp up and down, ls, s3api, rm and rb', async (ctx) => {
      if (!version) return ctx.skip(`${cli} is not installed`);
      await aws('s3', 'mb', 's3://cli-bucket');
      const small = join(dir, 'small.txt');
      await writeFile(small, 'hello from the cli\n');
      const big = join(dir, 'big.bin');
      const bigBytes = randomBytes(9 * 1024 * 1024 + 123);
      await writeFile(big, bigBytes);
      await aws('s3', 'cp', small, 's3://cli-bucket/docs/small.txt');
      await aws('s3', 'cp', big, 's3://cli-bucket/blobs/big.bin');
      const listing = await aws('s3', 'ls', 's3://cli-bucket/');
      assert.match(listing, /PRE blobs\//);
      assert.match(listing, /PRE docs\//);
      const recursive = await aws('s3', 'ls', '--recursive', 's3://cli-bucket/');
      assert.match(recursive, /\s19 docs\/small\.txt/);
      assert.match(recursive, new RegExp(`\\s${bigBytes.length} blobs/big\\.bin`));
      const buckets = await aws('s3', 'ls');
      assert.match(buckets, /cli-bucket/);
      await aws('s3', 'cp', 's3://cli-bucket/blobs/big.bin', join(dir, 'big.copy'));
      assert.ok((await readFile(join(dir, 'big.copy'))).equals(bigBytes));
      await aws('s3', 'cp', 's3://cli-bucket/docs/small.txt', join(dir, 'small.copy'));
      assert.equal(await readFile(join(dir, 'small.copy'), 'utf8'), 'hello from the cli\n');

      const head = JSON.parse(
        await aws('s3api', 'head-object', '--bucket', 'cli-bucket', '--key', 'blobs/big.bin'),
      );
      assert.equal(head.ContentLength, bigBytes.length);
      assert.match(head.ETag, /-2"$/, 'a 9 MiB cp is a two-part multipart upload (8 MiB parts)');
      const put = JSON.parse(
        await aws(
          's3api',
          'put-object',
          '--bucket',
          'cli-bucket',
          '--key',
          'api.txt',
          '--body',
          small,
          '--metadata',
          'team=a',
        ),
      );
      assert.match(put.ETag, /^"[0-9a-f]{32}"$/);
      const listed = JSON.parse(
        await aws('s3api', 'list-objects-v2', '--bucket', 'cli-bucket', '--prefix', 'docs/'),
      );
      assert.deepEqual(
        listed.Contents.map((c: { Key: string }) => c.Key),
        ['docs/small.txt'],
      );
      const got = JSON.parse(
        await aws(
          's3api',
          'get-object',
          '--bucket',
          'cli-bucket',
          '--key',
          'api.txt',
          '--range',
          'bytes=0-4',
          join(dir, 'range.out'),
        ),
      );
      assert.equal(got.ContentRange, 'bytes 0-4/19');
      assert.deepEqual(got.Metadata, { team: 'a' });
      assert.equal(await readFile(join(dir, 'range.out'), 'utf8'), 'hello');

      assert.match(
        await fails('s3api', 'get-object', '--bucket', 'cli-bucket', '--key', 'nope', join(dir, 'x')),
        /NoSuchKey/,
      );
      assert.match(await fails('s3api', 'head-bucket', '--bucket', 'no-such-bucket-here'), /404|Not Found/);
      assert.match(await fails('s3', 'rb', 's3://cli-bucket'), /BucketNotEmpty/);
      await aws('s3', 'rm', '--recursive', 's3://cli-bucket/');
      await aws('s3', 'rb', 's3://cli-bucket');
      assert.doesNotMatch(await aws('s3', 'ls'), /cli-bucket/);
    });
  });
}
