/**
 * The Docker token flow (`--registry-auth token`): a Bearer challenge naming `/v2/token`, Basic
 * credentials there buying a token scoped to repositories and actions, the token honoured for what
 * it grants only, and the real Docker CLI logging in, pushing and pulling through it. Tokens and
 * passwords are signed apart, so neither passes for the other.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { issueAccessToken } from '../../src/ecr/model/auth-token.ts';
import { grantedScopes, parseScopes } from '../../src/ecr/registry/token-server.ts';
import { TEST_CREDENTIALS } from '../support/control-plane.ts';
import { basic, dockerWith, pushBlob, type RegistryFixture, startRegistry } from './registry-client.ts';
import { createHmac } from 'node:crypto';

const TEST_IMAGE = 'longshore-test/busybox:latest';
const haveDocker = spawnSync('docker', ['image', 'inspect', TEST_IMAGE]).status === 0;

/** The challenge's parameters, `Bearer realm="...",service="..."` -> {realm, service, ...}. */
function challengeParams(header: string | null): Record<string, string> {
  assert.ok(header, 'a WWW-Authenticate header');
  assert.match(header, /^Bearer /);
  return Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

describe('scope grammar', () => {
  it('parses repeated and space-separated scopes, grants well-formed repository and catalog scopes only', () => {
    const asked = parseScopes([
      'repository:demo:pull,push',
      'repository:team/app:pull registry:catalog:*',
      'repository(plugin):plug:pull',
      'repository:Bad_Name:pull',
      'repository:demo:frobnicate',
      'nonsense',
      'other:thing:read',
    ]);
    assert.deepEqual(grantedScopes(asked), [
      { type: 'repository', name: 'demo', actions: ['pull', 'push'] },
      { type: 'repository', name: 'team/app', actions: ['pull'] },
      { type: 'registry', name: 'catalog', actions: ['*'] },
      { type: 'repository', name: 'plug', actions: ['pull'] },
    ]);
  });
});

describe('registry token flow', () => {
  let reg: RegistryFixture;
  before(async () => {
    reg = await startRegistry({ registryAuth: 'token' });
    await reg.createRepository('demo');
    await reg.createRepository('other');
  });
  after(() => reg.stop());

  const tokenFor = async (scope: string[], auth: string | false = reg.authorization) => {
    const qs = new URLSearchParams([
      ['service', reg.host],
      ...scope.map((s) => ['scope', s] as [string, string]),
    ]);
    return reg.call('GET', `/v2/token?${qs}`, { auth });
  };

  it('challenges with Bearer naming the token endpoint and the scope needed', async () => {
    const base = await reg.call('GET', '/v2/', { auth: false });
    assert.equal(base.status, 401);
    const params = challengeParams(base.headers.get('www-authenticate'));
    assert.equal(params.realm, `http://${reg.host}/v2/token`);
    assert.equal(params.service, reg.host);
    const tags = await reg.call('GET', '/v2/demo/tags/list', { auth: false });
    assert.equal(challengeParams(tags.headers.get('www-authenticate')).scope, 'repository:demo:pull');
    const upload = await reg.call('POST', '/v2/demo/blobs/uploads/', { auth: false });
    assert.equal(challengeParams(upload.headers.get('www-authenticate')).scope, 'repository:demo:push');
  });

  it('the token endpoint wants the ECR password by Basic; anonymous and wrong ones are refused', async () => {
    const anonymous = await tokenFor(['repository:demo:pull'], false);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Basic /);
    const wrong = await tokenFor(['repository:demo:pull'], basic('forged.password'));
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json().errors[0].code, 'UNAUTHORIZED');
    assert.doesNotMatch(wrong.body.toString(), /forged/);
    const post = await reg.call('POST', '/v2/token');
    assert.equal(post.status, 405);
  });

  it('a token grants what it names and nothing else', async () => {
    const got = await tokenFor(['repository:demo:pull']);
    assert.equal(got.status, 200);
    const body = got.json();
    assert.equal(body.token, body.access_token);
    assert.ok(body.expires_in > 0 && body.expires_in <= 900, String(body.expires_in));
    assert.ok(!Number.isNaN(Date.parse(body.issued_at)));
    const bearer = `Bearer ${body.token}`;
    assert.equal((await reg.call('GET', '/v2/', { auth: bearer })).status, 200);
    assert.equal((await reg.call('GET', '/v2/demo/tags/list', { auth: bearer })).status, 200);
    // Push needs push; another repository needs its own scope; the catalog its own.
    const push = await reg.call('POST', '/v2/demo/blobs/uploads/', { auth: bearer });
    assert.equal(push.status, 401);
    const params = challengeParams(push.headers.get('www-authenticate'));
    assert.equal(params.error, 'insufficient_scope');
    assert.equal(params.scope, 'repository:demo:push');
    assert.deepEqual(push.json().errors[0].detail, [{ Type: 'repository', Name: 'demo', Action: 'push' }]);
    assert.equal((await reg.call('GET', '/v2/other/tags/list', { auth: bearer })).status, 401);
    assert.equal((await reg.call('GET', '/v2/_catalog', { auth: bearer })).status, 401);
    // A token is not a password: as Basic it is refused.
    assert.equal((await reg.call('GET', '/v2/', { auth: basic(body.token) })).status, 401);
  });

  it('a mount from a repository the token cannot pull becomes an upload; with pull it mounts', async () => {
    const pusher = `Bearer ${(await tokenFor(['repository:other:push'])).json().token}`;
    const digest = await pushBlob(
      { ...reg, call: (m, p, o = {}) => reg.call(m, p, { auth: pusher, ...o }) },
      'other',
      'shared layer bytes',
    );
    const pushOnly = (await tokenFor(['repository:demo:pull,push'])).json().token;
    const refused = await reg.call('POST', `/v2/demo/blobs/uploads/?mount=${digest}&from=other`, {
      auth: `Bearer ${pushOnly}`,
    });
    assert.equal(refused.status, 202, 'an upload session, not a mount');
    const both = (await tokenFor(['repository:demo:pull,push', 'repository:other:pull'])).json().token;
    const mounted = await reg.call('POST', `/v2/demo/blobs/uploads/?mount=${digest}&from=other`, {
      auth: `Bearer ${both}`,
    });
    assert.equal(mounted.status, 201);
  });

  it('expired and forged tokens are refused, and so is the password itself (token mode takes tokens only)', async () => {
    const secret = createHmac('sha256', TEST_CREDENTIALS.secretAccessKey)
      .update('longshore-ecr-token')
      .digest('hex');
    const principal = { accountId: '000000000000', region: 'us-east-1' };
    const scopes = [{ type: 'repository', name: 'demo', actions: ['pull'] }];
    const old = issueAccessToken(secret, principal, scopes, Date.now() - 3_600_000, Date.now() + 3_600_000);
    assert.equal((await reg.call('GET', '/v2/demo/tags/list', { auth: `Bearer ${old.token}` })).status, 401);
    const forged = issueAccessToken('not-the-secret', principal, scopes, Date.now(), Date.now() + 3_600_000);
    assert.equal(
      (await reg.call('GET', '/v2/demo/tags/list', { auth: `Bearer ${forged.token}` })).status,
      401,
    );
    assert.equal(
      (await reg.call('GET', '/v2/demo/tags/list', { auth: `Bearer ${reg.password}` })).status,
      401,
    );
    const asBasic = await reg.call('GET', '/v2/demo/tags/list');
    assert.equal(asBasic.status, 401);
    assert.equal(challengeParams(asBasic.headers.get('www-authenticate')).scope, 'repository:demo:pull');
  });

  // Only tokens are taken in this mode, so these succeed only through the token endpoint.
  it('docker login, push and pull go through the token flow', {
    skip: !haveDocker && 'docker or the test image is missing',
  }, async () => {
    const config = mkdtempSync(join(tmpdir(), 'longshore-docker-token-'));
    const image = `${reg.host}/demo:token-flow`;
    try {
      const login = await dockerWith(
        config,
        ['login', '-u', 'AWS', '--password-stdin', reg.host],
        reg.password,
      );
      assert.equal(login.code, 0, login.out);
      assert.equal((await dockerWith(config, ['tag', TEST_IMAGE, image])).code, 0);
      const push = await dockerWith(config, ['push', image]);
      assert.equal(push.code, 0, push.out);
      assert.equal((await dockerWith(config, ['image', 'rm', image])).code, 0);
      const pull = await dockerWith(config, ['pull', image]);
      assert.equal(pull.code, 0, pull.out);
    } finally {
      spawnSync('docker', ['image', 'rm', '-f', image]);
      rmSync(config, { recursive: true, force: true });
    }
  });
});
