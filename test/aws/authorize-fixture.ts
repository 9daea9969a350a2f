/**
 * A gateway in front of a test control plane's services whose callers are IAM principals made up
 * for the test (the test hook until IAM's users and access keys are used end to end): each access
 * key stands for a Principal, and each principal's PolicySet is given directly.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Authorizer } from '../../src/aws/authorize.ts';
import { resourceFacts } from '../../src/aws/authorization/resource-facts.ts';
import { createGateway } from '../../src/aws/gateway.ts';
import { Throttle } from '../../src/aws/throttle.ts';
import { systemClock } from '../../src/core/system.ts';
import type { PolicyDocument, PolicySet, Principal } from '../../src/iam/model/principal.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

export const ACCOUNT = '000000000000';

export interface TestIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  principal: Principal;
  policies: PolicySet;
}

export const userIdentity = (name: string, policies: PolicySet): TestIdentity => ({
  accessKeyId: `AKIATEST${name.toUpperCase().padEnd(12, 'X').slice(0, 12)}`,
  secretAccessKey: `secret-of-${name}-for-tests-only`,
  principal: {
    type: 'user',
    accountId: ACCOUNT,
    arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    userId: `AIDA${name.toUpperCase().padEnd(17, 'X')}`,
    userName: name,
    path: '/',
  },
  policies,
});

export const policy = (source: string, ...Statement: Record<string, unknown>[]) => ({
  source,
  document: { Version: '2012-10-17', Statement } as PolicyDocument,
});

export interface AuthorizeFixture {
  test: TestPlane;
  endpoint: string;
  authorizer: Authorizer;
  /** How many times a principal's policies were loaded (the cache's misses). */
  loads: Map<string, number>;
  close(): Promise<void>;
}

/** The test plane plus a second listener whose gateway authorizes the given identities. */
export async function startAuthorizeFixture(
  identities: TestIdentity[],
  options: { enabled?: boolean } = {},
): Promise<AuthorizeFixture> {
  const test = await startTestPlane({ controllers: false });
  const byKey = new Map(identities.map((i) => [i.accessKeyId, i]));
  const byArn = new Map(identities.map((i) => [i.principal.arn, i]));
  const loads = new Map<string, number>();
  const authorizer = new Authorizer({
    enabled: options.enabled ?? true,
    async policySetFor(principal) {
      loads.set(principal.arn, (loads.get(principal.arn) ?? 0) + 1);
      return byArn.get(principal.arn)?.policies ?? { identity: [] };
    },
    resourceFacts: (region, ref) => resourceFacts(test.plane.regions.context(region).store, ref),
  });
  const gateway = createGateway({
    services: test.plane.services,
    secrets: (id) => {
      if (id === TEST_CREDENTIALS.accessKeyId) return TEST_CREDENTIALS.secretAccessKey;
      const found = byKey.get(id);
      return found ? { secretAccessKey: found.secretAccessKey, principal: found.principal } : undefined;
    },
    throttle: new Throttle(0),
    clock: systemClock,
    newRequestId: randomUUID,
    authorizer,
    log: pino({ level: 'silent' }),
  });
  const server: Server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    test,
    endpoint,
    authorizer,
    loads,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await test.stop();
    },
  };
}

export const credentialsOf = (i: TestIdentity) => ({
  accessKeyId: i.accessKeyId,
  secretAccessKey: i.secretAccessKey,
});
