/**
 * PutPermission and RemovePermission: the bus's resource policy. PutPermission either replaces
 * the whole policy (`Policy`) or adds one statement letting an account (or `*`, optionally
 * narrowed by an organization Condition) call events:PutEvents on the bus; the policy is shown by
 * DescribeEventBus. Longshore stores and shows the policy; it serves one account, so it grants
 * nothing more than the account already has.
 */
import type { PutPermissionRequest, RemovePermissionRequest } from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind, type Tx } from '../../store/store.ts';
import { requireBus } from '../model/buses.ts';
import { alreadyExists, EventsErrorCode, notFound, validation } from '../model/errors.ts';
import type { BusRecord, EventsContext } from '../model/records.ts';

/** EventBridge's limit on a bus policy's size. */
export const MAX_POLICY_BYTES = 10_240;

interface Statement {
  Sid?: string;
  Effect: string;
  Principal: unknown;
  Action: string;
  Resource: string;
  Condition?: unknown;
}

interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}

export async function putPermission(ctx: EventsContext, input: Wire<PutPermissionRequest>): Promise<object> {
  return ctx.store.transact(async (tx) => {
    const bus = await requireBus(tx, ctx, input.EventBusName);
    let policy: string;
    if (input.Policy !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(input.Policy);
      } catch {
        throw validation('Policy is not valid JSON.');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw validation('Policy is not a valid policy document.');
      }
      policy = input.Policy;
    } else {
      if (input.Action !== undefined && input.Action !== 'events:PutEvents') {
        throw validation("Provided value in parameter 'action' is not supported.");
      }
      if (!input.StatementId || !input.Principal) {
        throw validation('StatementId and Principal are required when Policy is not given.');
      }
      if (input.Principal !== '*' && !/^\d{12}$/.test(input.Principal)) {
        throw validation("Parameter Principal must be '*' or a 12-digit account id.");
      }
      const doc = parseDocument(bus.policy);
      if (doc.Statement.some((s) => s.Sid === input.StatementId)) {
        throw alreadyExists('Statement with the provided id already exists.');
      }
      doc.Statement.push({
        Sid: input.StatementId,
        Effect: 'Allow',
        Principal: input.Principal === '*' ? '*' : { AWS: `arn:aws:iam::${input.Principal}:root` },
        Action: 'events:PutEvents',
        Resource: bus.arn,
        ...(input.Condition
          ? { Condition: { StringEquals: { [input.Condition.Key ?? '']: input.Condition.Value } } }
          : {}),
      });
      policy = JSON.stringify(doc);
    }
    if (Buffer.byteLength(policy, 'utf8') > MAX_POLICY_BYTES) {
      throw new ServiceError(EventsErrorCode.PolicyLengthExceeded, 'The policy exceeds the maximum size.');
    }
    await writePolicy(tx, ctx, bus, policy);
    return {};
  });
}

export async function removePermission(
  ctx: EventsContext,
  input: Wire<RemovePermissionRequest>,
): Promise<object> {
  return ctx.store.transact(async (tx) => {
    const bus = await requireBus(tx, ctx, input.EventBusName);
    if (bus.policy === undefined) throw notFound('EventBus does not have a policy.');
    if (input.RemoveAllPermissions) {
      await writePolicy(tx, ctx, bus, undefined);
      return {};
    }
    if (!input.StatementId) throw validation('StatementId is required unless RemoveAllPermissions is true.');
    const doc = parseDocument(bus.policy);
    const kept = doc.Statement.filter((s) => s.Sid !== input.StatementId);
    if (kept.length === doc.Statement.length)
      throw notFound('Statement with the provided id does not exist.');
    await writePolicy(
      tx,
      ctx,
      bus,
      kept.length > 0 ? JSON.stringify({ ...doc, Statement: kept }) : undefined,
    );
    return {};
  });
}

function parseDocument(policy: string | undefined): PolicyDocument {
  if (policy === undefined) return { Version: '2012-10-17', Statement: [] };
  const parsed = JSON.parse(policy) as Partial<PolicyDocument>;
  const statements = Array.isArray(parsed.Statement)
    ? parsed.Statement
    : parsed.Statement
      ? [parsed.Statement]
      : [];
  return { Version: parsed.Version ?? '2012-10-17', Statement: statements as Statement[] };
}

async function writePolicy(
  tx: Tx,
  ctx: EventsContext,
  bus: BusRecord,
  policy: string | undefined,
): Promise<void> {
  const stored = await tx.get<BusRecord>(Kind.EventBus, bus.name);
  const now = ctx.clock.now();
  const { policy: _old, ...rest } = bus;
  const next: BusRecord = {
    ...rest,
    ...(policy !== undefined ? { policy } : {}),
    createdAt: bus.createdAt || now,
    lastModifiedAt: now,
  };
  await tx.put(Kind.EventBus, bus.name, next, stored ? stored.version : 'absent');
}
