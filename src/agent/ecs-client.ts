/**
 * The agent's ECS calls (CreateCluster, RegisterContainerInstance, DeregisterContainerInstance),
 * made as @aws-sdk/client-ecs makes them: an AWS JSON 1.1 POST to the endpoint signed with SigV4,
 * retried as the SDK's standard retry mode does (5 attempts, throttling, transient and server
 * errors, jittered exponential backoff), failing with the service's error name, message and
 * `$metadata.httpStatusCode`. Without the SDK: its client and protocol stack would cost an idle
 * agent ~7.5 MiB. In-process simulated agents that share one SDK client (its connection pool)
 * pass it instead: `sdkEcsCalls`.
 */
import type {
  CreateClusterCommandInput,
  CreateClusterCommandOutput,
  DeregisterContainerInstanceCommandInput,
  DeregisterContainerInstanceCommandOutput,
  ECSClient,
  RegisterContainerInstanceCommandInput,
  RegisterContainerInstanceCommandOutput,
} from '@aws-sdk/client-ecs';
import { type SigningCredentials, signRequest } from './sigv4.ts';
import { httpRequest, jsonBody } from './http-request.ts';

/** The operations an agent calls, with their input and output. */
export interface EcsOperations {
  CreateCluster: [CreateClusterCommandInput, CreateClusterCommandOutput];
  RegisterContainerInstance: [RegisterContainerInstanceCommandInput, RegisterContainerInstanceCommandOutput];
  DeregisterContainerInstance: [
    DeregisterContainerInstanceCommandInput,
    DeregisterContainerInstanceCommandOutput,
  ];
}

export interface EcsCalls {
  send<K extends keyof EcsOperations>(operation: K, input: EcsOperations[K][0]): Promise<EcsOperations[K][1]>;
  /** Releases what the client holds (the SDK client's sockets). */
  destroy(): void;
}

const TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113';
export const MAX_ATTEMPTS = 5;
const DELAY_BASE_MS = 100;
const THROTTLING_DELAY_BASE_MS = 500;
const MAX_DELAY_MS = 20_000;
const THROTTLING_ERRORS = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);
const TRANSIENT_ERRORS = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
/** Connection failures Node reports (the SDK's NODEJS_TIMEOUT_ERROR_CODES and NODEJS_NETWORK_ERROR_CODES). */
const NETWORK_ERRORS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** An error the service answered, shaped as the SDK's: name, message, fault and HTTP status. */
export class EcsServiceError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode: number; requestId?: string; attempts: number };

  constructor(name: string, message: string, status: number, attempts: number, requestId?: string) {
    super(message);
    this.name = name;
    this.$fault = status >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode: status, attempts, ...(requestId ? { requestId } : {}) };
  }
}

export interface EcsClientOptions {
  /** The endpoint of each call (read per call: cluster mode moves it from replica to replica). */
  endpoint(): string;
  region: string;
  credentials: SigningCredentials;
  /** Waits between attempts; real timers unless a test shortens them. */
  sleep?(ms: number): Promise<void>;
  random?(): number;
}

/** ECS calls over node:http, signed with the agent's key. */
export function agentEcsCalls(o: EcsClientOptions): EcsCalls {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = o.random ?? Math.random;
  return {
    async send(operation, input) {
      for (let attempt = 1; ; attempt++) {
        try {
          return (await callOnce(o, operation, input, attempt)) as never;
        } catch (error) {
          if (attempt >= MAX_ATTEMPTS || !retryable(error)) throw error;
          const base = isThrottling(error) ? THROTTLING_DELAY_BASE_MS : DELAY_BASE_MS;
          await sleep(Math.floor(random() * Math.min(base * 2 ** (attempt - 1), MAX_DELAY_MS)));
        }
      }
    },
    destroy() {},
  };
}

async function callOnce(
  o: EcsClientOptions,
  operation: string,
  input: object,
  attempt: number,
): Promise<unknown> {
  const url = new URL('/', o.endpoint());
  const body = JSON.stringify(input);
  const { host: _host, ...headers } = signRequest(o.credentials, o.region, {
    method: 'POST',
    url,
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `${TARGET_PREFIX}.${operation}`,
    },
    body,
    now: Date.now(),
  });
  const res = await httpRequest(url, { method: 'POST', headers, body });
  const parsed = jsonBody(res);
  if (res.ok) return parsed;
  const requestId = res.headers['x-amzn-requestid'];
  throw new EcsServiceError(
    errorCode(res.headers['x-amzn-errortype'], parsed) ?? String(res.status),
    String(parsed.message ?? parsed.Message ?? ''),
    res.status,
    attempt,
    typeof requestId === 'string' ? requestId : undefined,
  );
}

/** The error's name as the SDK reads it: the X-Amzn-ErrorType header, else `code`, else `__type`, sanitized. */
function errorCode(header: string | string[] | undefined, body: Record<string, unknown>): string | undefined {
  const raw = (typeof header === 'string' ? header : undefined) ?? body.code ?? body.__type;
  if (raw === undefined || raw === null) return undefined;
  const code = String(raw).split(',')[0].split(':')[0];
  return code.includes('#') ? code.split('#')[1] : code;
}

function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.$metadata?.httpStatusCode === 429 || THROTTLING_ERRORS.has(e.name ?? '');
}

/** The SDK's standard mode: throttling, transient (timeouts, connection failures, 500/502/503/504) and server errors. */
function retryable(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object') return false;
  const e = error as {
    name?: string;
    code?: string;
    cause?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (e.name === 'AbortError') return false;
  const status = e.$metadata?.httpStatusCode ?? 0;
  return (
    isThrottling(error) ||
    TRANSIENT_ERRORS.has(e.name ?? '') ||
    NETWORK_ERRORS.has(e.code ?? '') ||
    (status >= 500 && status <= 599) ||
    (e.cause !== undefined && depth < 10 && retryable(e.cause, depth + 1))
  );
}

/** The same calls through an SDK client the caller shares (loaded only then). */
export function sdkEcsCalls(client: ECSClient): EcsCalls {
  return {
    async send(operation, input) {
      const sdk = await import('@aws-sdk/client-ecs');
      const commands = {
        CreateCluster: sdk.CreateClusterCommand,
        RegisterContainerInstance: sdk.RegisterContainerInstanceCommand,
        DeregisterContainerInstance: sdk.DeregisterContainerInstanceCommand,
      };
      const Command = commands[operation] as new (i: typeof input) => Parameters<ECSClient['send']>[0];
      return (await client.send(new Command(input))) as never;
    },
    // The caller's client: the caller destroys it.
    destroy() {},
  };
}
