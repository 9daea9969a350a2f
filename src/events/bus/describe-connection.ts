/** DescribeConnection, ListConnections and DeleteConnection; no secret part is ever answered. */
import type {
  Connection,
  DeleteConnectionRequest,
  DeleteConnectionResponse,
  DescribeConnectionRequest,
  DescribeConnectionResponse,
  ListConnectionsRequest,
  ListConnectionsResponse,
} from '@aws-sdk/client-eventbridge';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { publicAuth } from '../model/connections.ts';
import { notFound } from '../model/errors.ts';
import { checkResourceName } from '../model/names.ts';
import type { ConnectionRecord, EventsContext } from '../model/records.ts';
import { page, seconds } from './paging.ts';

export async function describeConnection(
  ctx: EventsContext,
  input: Wire<DescribeConnectionRequest>,
): Promise<Wire<DescribeConnectionResponse>> {
  const record = await requireConnection(ctx, checkResourceName(input.Name));
  return {
    ...summary(record),
    Description: record.description,
    SecretArn: record.secretArn,
    AuthParameters: publicAuth(record),
  };
}

export async function listConnections(
  ctx: EventsContext,
  input: Wire<ListConnectionsRequest>,
): Promise<Wire<ListConnectionsResponse>> {
  const all = (await ctx.store.list<ConnectionRecord>(Kind.EventConnection)).map((s) => s.value);
  const matching = all.filter(
    (c) =>
      c.name.startsWith(input.NamePrefix ?? '') &&
      (input.ConnectionState === undefined || c.state === input.ConnectionState),
  );
  const p = page(matching, (c) => c.name, input);
  return { Connections: p.items.map(summary), NextToken: p.nextToken };
}

export async function deleteConnection(
  ctx: EventsContext,
  input: Wire<DeleteConnectionRequest>,
): Promise<Wire<DeleteConnectionResponse>> {
  const name = checkResourceName(input.Name);
  return ctx.store.transact(async (tx) => {
    const stored = await tx.get<ConnectionRecord>(Kind.EventConnection, name);
    if (!stored) throw notFound(`Connection '${name}' does not exist.`);
    await tx.remove(Kind.EventConnection, name, stored.version);
    const r = stored.value;
    return {
      ConnectionArn: r.arn,
      ConnectionState: 'DELETING',
      CreationTime: seconds(r.createdAt),
      LastModifiedTime: seconds(ctx.clock.now()),
      LastAuthorizedTime: seconds(r.lastAuthorizedAt),
    };
  });
}

async function requireConnection(ctx: EventsContext, name: string): Promise<ConnectionRecord> {
  const stored = await ctx.store.get<ConnectionRecord>(Kind.EventConnection, name);
  if (!stored) throw notFound(`Connection '${name}' does not exist.`);
  return stored.value;
}

function summary(r: ConnectionRecord): Wire<Connection> {
  return {
    ConnectionArn: r.arn,
    Name: r.name,
    ConnectionState: r.state,
    AuthorizationType: r.authorizationType,
    CreationTime: seconds(r.createdAt),
    LastModifiedTime: seconds(r.lastModifiedAt),
    LastAuthorizedTime: seconds(r.lastAuthorizedAt),
  };
}
