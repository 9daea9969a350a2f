/**
 * CreateConnection and UpdateConnection: Basic, API key or OAuth client-credentials auth for API
 * destinations. The secret parts are sealed at once (events/model/connections.ts) and are never
 * answered. Basic and API key connections are AUTHORIZED at once; an OAuth connection is
 * AUTHORIZED too, and its token is fetched from the authorization endpoint at the first invocation
 * (a token request that fails makes that delivery fail, visibly).
 */
import type {
  CreateConnectionRequest,
  CreateConnectionResponse,
  UpdateConnectionRequest,
  UpdateConnectionResponse,
} from '@aws-sdk/client-eventbridge';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { AUTH_TYPES, sealAuth } from '../model/connections.ts';
import { alreadyExists, constraintFailed, notFound, validation } from '../model/errors.ts';
import { checkResourceName } from '../model/names.ts';
import {
  type ConnectionAuthType,
  type ConnectionRecord,
  connectionArn,
  type EventsContext,
} from '../model/records.ts';
import { seconds } from './paging.ts';
import { uuidFrom } from '../../core/uuid.ts';

export async function createConnection(
  ctx: EventsContext,
  input: Wire<CreateConnectionRequest>,
): Promise<Wire<CreateConnectionResponse>> {
  const name = checkResourceName(input.Name);
  const type = checkAuthType(input.AuthorizationType);
  if (input.InvocationConnectivityParameters !== undefined) {
    throw validation(
      'Private API connectivity (InvocationConnectivityParameters) is not supported by Longshore.',
    );
  }
  const id = uuidFrom(ctx.rng);
  const arn = connectionArn(ctx.partition, name, id);
  const auth = sealAuth(ctx.sealer(), arn, type, input.AuthParameters);
  const now = ctx.clock.now();
  return ctx.store.transact(async (tx) => {
    if (await tx.get(Kind.EventConnection, name)) throw alreadyExists(`Connection ${name} already exists.`);
    const record: ConnectionRecord = {
      name,
      arn,
      secretArn: `arn:aws:secretsmanager:${ctx.partition.region}:${ctx.partition.accountId}:secret:events!connection/${name}/${id}`,
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      state: 'AUTHORIZED',
      authorizationType: type,
      ...auth,
      createdAt: now,
      lastModifiedAt: now,
      lastAuthorizedAt: now,
    };
    await tx.put(Kind.EventConnection, name, record, 'absent');
    return {
      ConnectionArn: arn,
      ConnectionState: record.state,
      CreationTime: seconds(now),
      LastModifiedTime: seconds(now),
    };
  });
}

export async function updateConnection(
  ctx: EventsContext,
  input: Wire<UpdateConnectionRequest>,
): Promise<Wire<UpdateConnectionResponse>> {
  const name = checkResourceName(input.Name);
  return ctx.store.transact(async (tx) => {
    const stored = await tx.get<ConnectionRecord>(Kind.EventConnection, name);
    if (!stored) throw notFound(`Connection '${name}' does not exist.`);
    const prev = stored.value;
    const type =
      input.AuthorizationType !== undefined ? checkAuthType(input.AuthorizationType) : prev.authorizationType;
    const auth = sealAuth(
      ctx.sealer(),
      prev.arn,
      type,
      input.AuthParameters,
      type === prev.authorizationType ? prev : undefined,
    );
    const now = ctx.clock.now();
    const { basic: _b, apiKey: _k, oauth: _o, ...rest } = prev;
    const record: ConnectionRecord = {
      ...rest,
      ...auth,
      authorizationType: type,
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      state: 'AUTHORIZED',
      lastModifiedAt: now,
      lastAuthorizedAt: now,
    };
    await tx.put(Kind.EventConnection, name, record, stored.version);
    return {
      ConnectionArn: record.arn,
      ConnectionState: record.state,
      CreationTime: seconds(record.createdAt),
      LastModifiedTime: seconds(now),
      LastAuthorizedTime: seconds(now),
    };
  });
}

function checkAuthType(type: string | undefined): ConnectionAuthType {
  if (!AUTH_TYPES.includes(type as ConnectionAuthType)) {
    throw constraintFailed(
      'authorizationType',
      type,
      `Member must satisfy enum value set: [${AUTH_TYPES.join(', ')}]`,
    );
  }
  return type as ConnectionAuthType;
}
