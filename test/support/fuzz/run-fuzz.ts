/**
 * Runs the fuzz against every operation of every service a control plane's gateway serves, and
 * reports what went wrong: a 5xx, a request that failed or timed out, an error body that is not
 * AWS-shaped, an event-loop stall, or a record written by a call that was rejected.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AwsService, Operation } from '../../../src/aws/service.ts';
import type { ControlPlane } from '../../../src/cli/control-plane.ts';
import { type Case, casesFor } from './cases.ts';
import { encoderFor, type HttpRequest } from './encode.ts';
import { Rng, seedFor } from './rng.ts';
import { send } from './send.ts';
import { type Hints, rootShape, validValue } from './shapes.ts';
import { differences, snapshot } from './store-snapshot.ts';

export interface FuzzOptions {
  seed: number;
  /** Requests drawn per operation, on top of the nulls and malformed bodies every one gets. */
  count: number;
  /** A request without a response by then has hung. */
  timeoutMs: number;
  /** The event loop blocked this long during one request is a stall. */
  stallMs: number;
  /** Member values that reach past "not found" for this service (a cluster that exists ...). */
  hints?: (service: AwsService) => Hints;
  /** Runs before each operation's requests, e.g. to recreate what earlier ones deleted. */
  beforeOperation?: (service: AwsService, operation: Operation) => Promise<void>;
}

export interface Finding {
  operation: string;
  request: string;
  problem: string;
}

export interface FuzzReport {
  requests: number;
  operations: number;
  /** Requests per service, with the protocol they were sent in. */
  services: Map<string, number>;
  /** Requests per HTTP status. */
  statuses: Map<number, number>;
  rejected: number;
  /** The longest event-loop delay seen during any request. */
  maxDelayMs: number;
  findings: Finding[];
}

export async function fuzzControlPlane(plane: ControlPlane, options: FuzzOptions): Promise<FuzzReport> {
  const report: FuzzReport = {
    requests: 0,
    operations: 0,
    services: new Map(),
    statuses: new Map(),
    rejected: 0,
    maxDelayMs: 0,
    findings: [],
  };
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  try {
    for (const service of await plane.services.loadAll()) {
      const encode = encoderFor(service);
      const hints = options.hints?.(service) ?? (() => undefined);
      for (const operation of service.operations.values()) {
        const name = `${service.name}.${operation.name}`;
        if (!encode) {
          const protocols = service.protocols.join(', ');
          report.findings.push({
            operation: name,
            request: '-',
            problem: `no fuzz encoder for ${protocols}`,
          });
          continue;
        }
        await options.beforeOperation?.(service, operation);
        const rng = new Rng(seedFor(options.seed, name));
        const valid = operation.input
          ? (validValue(rootShape(operation.input), '', hints) as Record<string, unknown>)
          : {};
        for (const c of casesFor(operation, rng, options.count, hints)) {
          const request = encode(operation, c, valid);
          await fuzzOne(plane, service, name, c, request, options, delay, report);
          const key = `${service.name} (${encode.protocol})`;
          report.services.set(key, (report.services.get(key) ?? 0) + 1);
        }
        report.operations++;
      }
    }
  } finally {
    delay.disable();
  }
  return report;
}

async function fuzzOne(
  plane: ControlPlane,
  service: AwsService,
  target: string,
  c: Case,
  request: HttpRequest,
  options: FuzzOptions,
  delay: ReturnType<typeof monitorEventLoopDelay>,
  report: FuzzReport,
): Promise<void> {
  const found = (problem: string) => report.findings.push({ operation: target, request: c.label, problem });
  const before = await snapshot(plane.store);
  delay.reset();
  const outcome = await send(plane.endpoint, service.signingName, request, options.timeoutMs);
  const delayMs = delay.max / 1e6;
  report.requests++;
  report.maxDelayMs = Math.max(report.maxDelayMs, delayMs);
  if (delayMs > options.stallMs) found(`event loop stalled ${Math.round(delayMs)} ms`);
  if (outcome.type === 'failed') {
    found(`no response after ${Math.round(outcome.ms)} ms: ${outcome.error}`);
    return;
  }
  const { status, text, headers } = outcome;
  report.statuses.set(status, (report.statuses.get(status) ?? 0) + 1);
  if (status >= 500) found(`HTTP ${status}: ${text.slice(0, 300)}`);
  if (status < 400) return;
  report.rejected++;
  // Node's HTTP parser answers an oversized URL or header itself, before any AWS code runs.
  const transport = status === 414 || status === 431;
  if (!transport && !isAwsError(text, headers))
    found(`HTTP ${status} without an AWS error body: ${text.slice(0, 300)}`);
  const written = differences(before, await snapshot(plane.store));
  if (written.length > 0) found(`rejected with ${status} but wrote ${written.slice(0, 5).join(', ')}`);
}

/** An AWS error in any protocol's shape: JSON `__type` (or `code`) and message, or Query's XML `<Code>`. */
function isAwsError(text: string, headers: Headers): boolean {
  if (text.trimStart().startsWith('<')) return /<Code>[^<]+<\/Code>/.test(text);
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const type = body.__type ?? body.code ?? headers.get('x-amzn-errortype');
    return typeof type === 'string' && typeof (body.message ?? body.Message) === 'string';
  } catch {
    return false;
  }
}
