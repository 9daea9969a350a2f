/**
 * Temporary credentials expire on time: a gateway serving STS with an injected clock, the SDK
 * signing at the same (shifted) time, the session used before and after its expiry.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createGateway } from '../../src/aws/gateway.ts';
import { Throttle } from '../../src/aws/throttle.ts';
import { systemRng } from '../../src/core/system.ts';
import { cipherFromKey } from '../../src/crypto/value-cipher.ts';
import { CredentialIndex } from '../../src/iam/model/credentials.ts';
import type { IamContext } from '../../src/iam/model/records.ts';
import { createRole } from '../../src/iam/roles.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { stsService } from '../../src/sts/sts-service.ts';
import { awsError, TEST_CREDENTIALS } from '../support/control-plane.ts';

const ACCOUNT = '000000000000';

describe('STS session expiry (injected clock)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'longshore-sts-expiry-'));
  const store = SqliteStore.open(join(dir, 'longshore.db'));
  let now = Date.now();
  const clock = { now: () => now };
  let index: CredentialIndex;
  let server: Server;
  let endpoint: string;
  const client = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    // The SDK signs at the same time as the gateway's clock (the 15-minute skew check holds).
    new STSClient({
      endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
      systemClockOffset: now - Date.now(),
    });

  before(async () => {
    const sealer = cipherFromKey(randomBytes(32));
    index = await CredentialIndex.open({ store, sealer, clock, accountId: ACCOUNT, root: TEST_CREDENTIALS });
    const ctx: IamContext = {
      store,
      clock,
      rng: systemRng,
      accountId: ACCOUNT,
      sealer,
      lastUsed: (id, stored) => index.lastUsed(id, stored),
      expiredSessions: (before, limit) => index.expiredSessions(before, limit),
    };
    const trust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }],
    };
    await createRole(ctx, { RoleName: 'short', AssumeRolePolicyDocument: JSON.stringify(trust) });
    const gateway = createGateway({
      services: [
        stsService((request) => ({
          ...ctx,
          partition: { region: request.caller.region, accountId: ACCOUNT },
        })),
      ],
      secrets: (id) => index.resolve(id),
      throttle: new Throttle(0),
      clock,
      newRequestId: randomUUID,
      log: { error() {}, debug() {} },
    });
    server = createServer(gateway);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    index.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a session until its Expiration and answers ExpiredToken after', async () => {
    const root = client(TEST_CREDENTIALS);
    const { Credentials } = await root.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/short`,
        RoleSessionName: 'brief',
        DurationSeconds: 900,
      }),
    );
    root.destroy();
    assert.equal(Credentials?.Expiration?.getTime(), now + 900_000);
    const session = {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    };

    now += 899_000;
    const before = client(session);
    assert.equal(
      (await before.send(new GetCallerIdentityCommand({}))).Arn,
      `arn:aws:sts::${ACCOUNT}:assumed-role/short/brief`,
    );
    before.destroy();

    now += 1_000;
    const afterExpiry = client(session);
    const e = await awsError(() => afterExpiry.send(new GetCallerIdentityCommand({})));
    afterExpiry.destroy();
    assert.equal(e.name, 'ExpiredTokenException');
    assert.equal(e.message, 'The security token included in the request is expired');
  });
});
