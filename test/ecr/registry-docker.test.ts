/**
 * The registry through real clients: Docker CLI (`docker login`, `push`, `pull`, `run`) and
 * Debian's skopeo (copy both ways, a multi-architecture OCI index with `--all`), and an immutable
 * tag refused with ECR's text. Docker allows plain HTTP to loopback registries by default.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { dockerWith, type RegistryFixture, startRegistry } from './registry-client.ts';

const run = promisify(execFile);
const TEST_IMAGE = 'longshore-test/busybox:latest';
const haveDocker = spawnSync('docker', ['image', 'inspect', TEST_IMAGE]).status === 0;
const haveSkopeo = spawnSync('skopeo', ['--version']).status === 0;

describe('registry with docker and skopeo', {
  skip: !haveDocker && 'docker or the test image is missing',
}, () => {
  let reg: RegistryFixture;
  let dockerConfig: string;
  let work: string;
  const docker = (args: string[], input?: string) => dockerWith(dockerConfig, args, input);
  const skopeo = (args: string[]) => run('skopeo', args, { timeout: 120_000, maxBuffer: 64 << 20 });
  const tagged: string[] = [];

  before(async () => {
    reg = await startRegistry();
    dockerConfig = mkdtempSync(join(tmpdir(), 'longshore-docker-config-'));
    work = mkdtempSync(join(tmpdir(), 'longshore-skopeo-'));
  });
  after(async () => {
    for (const t of tagged) spawnSync('docker', ['image', 'rm', '-f', t]);
    rmSync(dockerConfig, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
    await reg.stop();
  });

  it('docker login with the GetAuthorizationToken password, a wrong one refused', async () => {
    const bad = await docker(['login', '-u', 'AWS', '--password-stdin', reg.host], 'not-a-password');
    assert.notEqual(bad.code, 0, bad.out);
    const ok = await docker(['login', '-u', 'AWS', '--password-stdin', reg.host], reg.password);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /Login Succeeded/);
  });

  it('docker push to a repository that does not exist fails with NAME_UNKNOWN', async () => {
    const image = `${reg.host}/nope:latest`;
    tagged.push(image);
    assert.equal((await docker(['tag', TEST_IMAGE, image])).code, 0);
    const push = await docker(['push', image]);
    assert.notEqual(push.code, 0);
    assert.match(
      push.out,
      /The repository with name 'nope' does not exist in the registry with id '000000000000'/,
    );
  });

  it('docker push, then docker pull and run the pulled image', async () => {
    await reg.createRepository('busybox');
    const image = `${reg.host}/busybox:latest`;
    tagged.push(image);
    assert.equal((await docker(['tag', TEST_IMAGE, image])).code, 0);
    const push = await docker(['push', image]);
    assert.equal(push.code, 0, push.out);
    const digest = /digest: (sha256:[a-f0-9]{64})/.exec(push.out)?.[1];
    assert.ok(digest, push.out);
    // Pushed again: every layer already exists.
    const again = await docker(['push', image]);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /Layer already exists/);
    assert.equal((await docker(['image', 'rm', image])).code, 0);
    const pull = await docker(['pull', image]);
    assert.equal(pull.code, 0, pull.out);
    assert.match(pull.out, new RegExp(digest));
    const ran = await docker(['run', '--rm', image, 'echo', 'pulled from longshore']);
    assert.equal(ran.code, 0, ran.out);
    assert.match(ran.out, /pulled from longshore/);
    const tags = await reg.call('GET', '/v2/busybox/tags/list');
    assert.deepEqual(tags.json(), { name: 'busybox', tags: ['latest'] });
  });

  it('an immutable repository refuses moving a tag, with ECR registry text', async () => {
    await reg.createRepository('locked', 'IMMUTABLE');
    const image = `${reg.host}/locked:v1`;
    tagged.push(image);
    assert.equal((await docker(['tag', TEST_IMAGE, image])).code, 0);
    assert.equal((await docker(['push', image])).code, 0);
    // The same image again is fine; another image under the tag is not.
    assert.equal((await docker(['push', image])).code, 0);
    const other =
      spawnSync('docker', ['image', 'inspect', 'longshore/pause:1']).status === 0
        ? 'longshore/pause:1'
        : undefined;
    if (!other) return;
    assert.equal((await docker(['tag', other, image])).code, 0);
    const refused = await docker(['push', image]);
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.out,
      /The image tag 'v1' already exists in the 'locked' repository and cannot be overwritten because the repository is immutable\./,
    );
  });

  it('skopeo copies both ways', {
    skip: !haveSkopeo && 'skopeo is missing (apt-get install skopeo)',
  }, async () => {
    await reg.createRepository('copied');
    const creds = `AWS:${reg.password}`;
    const layout = join(work, 'from-docker');
    await skopeo(['copy', `docker-daemon:${TEST_IMAGE}`, `oci:${layout}:latest`]);
    await skopeo([
      'copy',
      '--dest-tls-verify=false',
      '--dest-creds',
      creds,
      `oci:${layout}:latest`,
      `docker://${reg.host}/copied:v1`,
    ]);
    const back = join(work, 'back');
    await skopeo([
      'copy',
      '--src-tls-verify=false',
      '--src-creds',
      creds,
      `docker://${reg.host}/copied:v1`,
      `oci:${back}:v1`,
    ]);
    const index = (dir: string) =>
      JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')).manifests[0].digest;
    assert.equal(index(back), index(layout));
    const { stdout } = await skopeo([
      'inspect',
      '--tls-verify=false',
      '--creds',
      creds,
      `docker://${reg.host}/copied:v1`,
    ]);
    assert.equal(JSON.parse(stdout).Digest, index(layout));
  });

  it('skopeo copy --all of a multi-architecture OCI index', {
    skip: !haveSkopeo && 'skopeo is missing',
  }, async () => {
    await reg.createRepository('multi');
    const creds = `AWS:${reg.password}`;
    const layout = join(work, 'multi');
    const indexDigest = writeMultiArchLayout(layout);
    await skopeo([
      'copy',
      '--all',
      '--dest-tls-verify=false',
      '--dest-creds',
      creds,
      `oci:${layout}:v1`,
      `docker://${reg.host}/multi:v1`,
    ]);
    const got = await reg.call('GET', '/v2/multi/manifests/v1', {
      headers: { accept: 'application/vnd.oci.image.index.v1+json' },
    });
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'application/vnd.oci.image.index.v1+json');
    assert.equal(got.headers.get('docker-content-digest'), indexDigest);
    assert.equal(got.json().manifests.length, 2);
    const back = join(work, 'multi-back');
    await skopeo([
      'copy',
      '--all',
      '--src-tls-verify=false',
      '--src-creds',
      creds,
      `docker://${reg.host}/multi:v1`,
      `oci:${back}:v1`,
    ]);
    assert.equal(JSON.parse(readFileSync(join(back, 'index.json'), 'utf8')).manifests[0].digest, indexDigest);
    // Each architecture's manifest is an image of its own in the repository.
    for (const m of got.json().manifests) {
      assert.equal((await reg.call('HEAD', `/v2/multi/manifests/${m.digest}`)).status, 200);
    }
  });
});

/** An OCI layout holding an index of two single-layer images (amd64, arm64); returns the index digest. */
function writeMultiArchLayout(dir: string): string {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const put = (bytes: Buffer | string) => {
    const hex = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(join(blobs, hex), bytes);
    return { digest: `sha256:${hex}`, size: Buffer.byteLength(bytes) };
  };
  const manifests = ['amd64', 'arm64'].map((architecture) => {
    const layer = put(gzipSync(Buffer.from(`not really a tarball for ${architecture}`)));
    const config = put(
      JSON.stringify({ architecture, os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.digest] } }),
    );
    const manifest = put(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
      }),
    );
    return {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      ...manifest,
      platform: { architecture, os: 'linux' },
    };
  });
  const index = put(
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }),
  );
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.index.v1+json',
          ...index,
          annotations: { 'org.opencontainers.image.ref.name': 'v1' },
        },
      ],
    }),
  );
  return index.digest;
}
