/**
 * The cost of IAM authorization on the API path (issue 14): DescribeTaskDefinition requests/s
 * and p99, replayed by wrk, through two gateways over the same control plane in one run: one with
 * enforcement off (`--iam off`), one authorizing an IAM user with 20 policies (19 for other
 * services, with conditions, and one that allows ecs:Describe*). Runs alternate off/on to cancel
 * drift; the figure is the ratio of the medians. Target: on >= 0.9x off.
 * Run: node_modules/.bin/node bench/iam-authorization-bench.ts [seconds-per-run] [rounds]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { pino } from 'pino';
import { Authorizer } from '../src/aws/authorize.ts';
import { createGateway } from '../src/aws/gateway.ts';
import { Throttle } from '../src/aws/throttle.ts';
import { startControlPlane } from '../src/cli/control-plane.ts';
import { signRequest } from '../src/core/sign-request.ts';
import { systemClock } from '../src/core/system.ts';
import type { NamedPolicy, PolicySet, Principal } from '../src/iam/model/principal.ts';
import { BENCH_CREDENTIALS, fmt, wrk } from './support.ts';

const SECONDS = Number(process.argv[2] ?? 5);
const ROUNDS = Number(process.argv[3] ?? 3);
const ACCOUNT = '000000000000';
const USER_KEY = {
  accessKeyId: 'AKIABENCHUSER0000000',
  secretAccessKey: 'bench-user-secret-only-for-benchmarks',
};
const principal: Principal = {
  type: 'user',
  accountId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:user/bench`,
  userId: 'AIDABENCHUSER00000000',
  userName: 'bench',
  path: '/',
};

/** 19 policies a real user might carry for other services, then the one that matters. */
function twentyPolicies(): PolicySet {
  const services = [
    's3',
    'logs',
    'ssm',
    'secretsmanager',
    'ecr',
    'cloudwatch',
    'events',
    'sqs',
    'sns',
    'dynamodb',
  ];
  const identity: NamedPolicy[] = [];
  for (let i = 0; i < 19; i++) {
    const svc = services[i % services.length]!;
    identity.push({
      source: `arn:aws:iam::${ACCOUNT}:policy/team-${i}`,
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: `Read${i}`,
            Effect: 'Allow',
            Action: [`${svc}:Get*`, `${svc}:List*`],
            Resource: `arn:aws:${svc}:*:${ACCOUNT}:team-${i}/*`,
          },
          {
            Sid: `Write${i}`,
            Effect: 'Allow',
            Action: `${svc}:Put*`,
            Resource: '*',
            Condition: {
              StringEquals: { 'aws:RequestedRegion': 'eu-west-1', 'aws:PrincipalTag/team': `t${i}` },
            },
          },
          {
            Sid: `NoDelete${i}`,
            Effect: 'Deny',
            Action: `${svc}:Delete*`,
            Resource: '*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
    });
  }
  identity.push({
    source: `arn:aws:iam::${ACCOUNT}:policy/ecs-read`,
    document: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['ecs:Describe*', 'ecs:List*'], Resource: '*' }],
    },
  });
  return { identity, tags: { team: 't3' } };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'longshore-iam-bench-'));
  const log = pino({ level: 'silent' });
  const plane = await startControlPlane({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    region: 'us-east-1',
    accountId: ACCOUNT,
    credentials: { ...BENCH_CREDENTIALS, source: 'environment' },
    throttle: 0,
    motoReset: false,
    controllers: false,
    log,
  });
  const root = new ECSClient({
    endpoint: plane.endpoint,
    region: 'us-east-1',
    credentials: BENCH_CREDENTIALS,
  });
  await root.send(new CreateClusterCommand({}));
  await root.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      containerDefinitions: [{ name: 'web', image: 'busybox', memory: 64 }],
    }),
  );
  root.destroy();
  const policies = twentyPolicies();
  const gatewayWith = (enabled: boolean) =>
    createGateway({
      services: plane.services,
      secrets: (id) =>
        id === USER_KEY.accessKeyId ? { secretAccessKey: USER_KEY.secretAccessKey, principal } : undefined,
      throttle: new Throttle(0),
      clock: systemClock,
      newRequestId: randomUUID,
      authorizer: new Authorizer({ enabled, policySetFor: async () => policies }),
      log,
    });
  const off = createServer({ keepAliveTimeout: 65_000 }, gatewayWith(false));
  const on = createServer({ keepAliveTimeout: 65_000 }, gatewayWith(true));
  const endpoints = { off: await listen(off), on: await listen(on) };
  const body = JSON.stringify({ taskDefinition: 'web' });
  const headersFor = async (endpoint: string) =>
    signRequest(USER_KEY, 'us-east-1', {
      method: 'POST',
      url: new URL('/', endpoint),
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DescribeTaskDefinition',
      },
      body,
      now: Date.now(),
    });
  // Both answer 200 before measuring (and the policy cache is warm).
  for (const e of Object.values(endpoints)) {
    const { host: _h, ...headers } = await headersFor(e);
    const res = await fetch(`${e}/`, { method: 'POST', headers, body });
    if (res.status !== 200) throw new Error(`${e}: ${res.status} ${await res.text()}`);
  }
  const rates: Record<'off' | 'on', number[]> = { off: [], on: [] };
  const p99: Record<'off' | 'on', number[]> = { off: [], on: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of ['off', 'on'] as const) {
      const r = await wrk(`${endpoints[mode]}/`, await headersFor(endpoints[mode]), body, SECONDS);
      if (r.non2xx > 0 || r.errors > 0) throw new Error(`${mode}: ${r.non2xx} non-2xx, ${r.errors} errors`);
      rates[mode].push(r.requestsPerSecond);
      p99[mode].push(r.p99Ms);
      console.log(
        `round ${round + 1} ${mode}: ${fmt(r.requestsPerSecond, 0)} req/s, p99 ${fmt(r.p99Ms, 2)} ms`,
      );
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratio = median(rates.on) / median(rates.off);
  console.log(
    `DescribeTaskDefinition, 16 connections, ${SECONDS}s x ${ROUNDS}: off ${fmt(median(rates.off), 0)} req/s (p99 ${fmt(median(p99.off), 2)} ms), ` +
      `on with 20 policies ${fmt(median(rates.on), 0)} req/s (p99 ${fmt(median(p99.on), 2)} ms): ${fmt(ratio, 3)}x (target >= 0.9x)`,
  );
  // The check alone, without HTTP: what one authorize() call costs (the cache is warm).
  const authorizer = new Authorizer({ enabled: true, policySetFor: async () => policies });
  const ecsService = plane.services.loaded.find((svc) => svc.name === 'ecs')!;
  const call = {
    service: ecsService,
    operation: 'DescribeTaskDefinition',
    input: { taskDefinition: 'web' },
    caller: { accessKeyId: USER_KEY.accessKeyId, region: 'us-east-1', service: 'ecs', principal },
    protocol: 'awsJson1_1' as const,
    now: Date.now(),
    sourceIp: '127.0.0.1',
    secureTransport: false,
  };
  await authorizer.authorize(call);
  const n = 100_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await authorizer.authorize(call);
  const usPerCall = ((performance.now() - t0) * 1000) / n;
  console.log(
    `authorize() alone: ${fmt(usPerCall, 2)} us per DescribeTaskDefinition with 20 policies ` +
      `(${fmt((usPerCall / (1e6 / median(rates.off))) * 100, 2)}% of a request at the off rate)`,
  );
  await new Promise<void>((resolve) => off.close(() => resolve()));
  await new Promise<void>((resolve) => on.close(() => resolve()));
  off.closeAllConnections();
  on.closeAllConnections();
  await plane.close();
  rmSync(dataDir, { recursive: true, force: true });
}

await main();
