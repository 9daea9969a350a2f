/**
 * CreateApiDestination, DescribeApiDestination, ListApiDestinations, UpdateApiDestination,
 * DeleteApiDestination: an HTTP endpoint, its method, the connection whose auth it uses and its
 * invocation rate limit (1-300 per second, default 300), which the delivery worker keeps.
 */
import type {
  ApiDestination,
  CreateApiDestinationRequest,
  CreateApiDestinationResponse,
  DeleteApiDestinationRequest,
  DescribeApiDestinationRequest,
  DescribeApiDestinationResponse,
  ListApiDestinationsRequest,
  ListApiDestinationsResponse,
  UpdateApiDestinationRequest,
  UpdateApiDestinationResponse,
} from '@aws-sdk/client-eventbridge';
import type { ApiDestinationHttpMethod } from '@aws-sdk/client-eventbridge';
import { uuidFrom } from '../../core/uuid.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind, type Reader } from '../../store/store.ts';
import { isHttpUrl } from '../model/connections.ts';
import { alreadyExists, constraintFailed, notFound } from '../model/errors.ts';
import { checkResourceName } from '../model/names.ts';
import {
  type ApiDestinationRecord,
  apiDestinationArn,
  type ConnectionRecord,
  type EventsContext,
} from '../model/records.ts';
import { page, seconds } from './paging.ts';

export const DEFAULT_RATE_LIMIT = 300;
const METHODS = ['POST', 'GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'];

export async function createApiDestination(
  ctx: EventsContext,
  input: Wire<CreateApiDestinationRequest>,
): Promise<Wire<CreateApiDestinationResponse>> {
  const name = checkResourceName(input.Name);
  const endpoint = checkEndpoint(input.InvocationEndpoint);
  const method = checkMethod(input.HttpMethod);
  const rate = checkRate(input.InvocationRateLimitPerSecond);
  const now = ctx.clock.now();
  return ctx.store.transact(async (tx) => {
    if (await tx.get(Kind.EventApiDestination, name))
      throw alreadyExists(`An api-destination '${name}' already exists.`);
    await requireConnectionArn(tx, input.ConnectionArn ?? '');
    const record: ApiDestinationRecord = {
      name,
      arn: apiDestinationArn(ctx.partition, name, uuidFrom(ctx.rng)),
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      connectionArn: input.ConnectionArn!,
      invocationEndpoint: endpoint,
      httpMethod: method,
      rateLimitPerSecond: rate ?? DEFAULT_RATE_LIMIT,
      createdAt: now,
      lastModifiedAt: now,
    };
    await tx.put(Kind.EventApiDestination, name, record, 'absent');
    return {
      ApiDestinationArn: record.arn,
      ApiDestinationState: 'ACTIVE',
      CreationTime: seconds(now),
      LastModifiedTime: seconds(now),
    };
  });
}

export async function describeApiDestination(
  ctx: EventsContext,
  input: Wire<DescribeApiDestinationRequest>,
): Promise<Wire<DescribeApiDestinationResponse>> {
  const name = checkResourceName(input.Name);
  const stored = await ctx.store.get<ApiDestinationRecord>(Kind.EventApiDestination, name);
  if (!stored)
    throw notFound(`Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`);
  return { ...shape(stored.value), Description: stored.value.description };
}

export async function listApiDestinations(
  ctx: EventsContext,
  input: Wire<ListApiDestinationsRequest>,
): Promise<Wire<ListApiDestinationsResponse>> {
  const all = (await ctx.store.list<ApiDestinationRecord>(Kind.EventApiDestination)).map((s) => s.value);
  const matching = all.filter(
    (d) =>
      d.name.startsWith(input.NamePrefix ?? '') &&
      (input.ConnectionArn === undefined || d.connectionArn === input.ConnectionArn),
  );
  const p = page(matching, (d) => d.name, input);
  return { ApiDestinations: p.items.map(shape), NextToken: p.nextToken };
}

export async function updateApiDestination(
  ctx: EventsContext,
  input: Wire<UpdateApiDestinationRequest>,
): Promise<Wire<UpdateApiDestinationResponse>> {
  const name = checkResourceName(input.Name);
  return ctx.store.transact(async (tx) => {
    const stored = await tx.get<ApiDestinationRecord>(Kind.EventApiDestination, name);
    if (!stored) throw notFound(`An api-destination '${name}' does not exist.`);
    if (input.ConnectionArn !== undefined) await requireConnectionArn(tx, input.ConnectionArn);
    const now = ctx.clock.now();
    const rate = checkRate(input.InvocationRateLimitPerSecond);
    const record: ApiDestinationRecord = {
      ...stored.value,
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      ...(input.ConnectionArn !== undefined ? { connectionArn: input.ConnectionArn } : {}),
      ...(input.InvocationEndpoint !== undefined
        ? { invocationEndpoint: checkEndpoint(input.InvocationEndpoint) }
        : {}),
      ...(input.HttpMethod !== undefined ? { httpMethod: checkMethod(input.HttpMethod) } : {}),
      ...(rate !== undefined ? { rateLimitPerSecond: rate } : {}),
      lastModifiedAt: now,
    };
    await tx.put(Kind.EventApiDestination, name, record, stored.version);
    return {
      ApiDestinationArn: record.arn,
      ApiDestinationState: 'ACTIVE',
      CreationTime: seconds(record.createdAt),
      LastModifiedTime: seconds(now),
    };
  });
}

export async function deleteApiDestination(
  ctx: EventsContext,
  input: Wire<DeleteApiDestinationRequest>,
): Promise<object> {
  const name = checkResourceName(input.Name);
  return ctx.store.transact(async (tx) => {
    const stored = await tx.get(Kind.EventApiDestination, name);
    if (!stored) throw notFound(`An api-destination '${name}' does not exist.`);
    await tx.remove(Kind.EventApiDestination, name, stored.version);
    return {};
  });
}

async function requireConnectionArn(reader: Reader, arn: string): Promise<ConnectionRecord> {
  const name = /:connection\/([^/]+)\//.exec(arn)?.[1];
  const stored = name ? await reader.get<ConnectionRecord>(Kind.EventConnection, name) : undefined;
  if (!stored || stored.value.arn !== arn) throw notFound(`Connection '${arn}' does not exist.`);
  return stored.value;
}

function checkEndpoint(endpoint: string | undefined): string {
  if (!endpoint || !isHttpUrl(endpoint)) {
    throw constraintFailed(
      'invocationEndpoint',
      endpoint,
      "Member must satisfy regular expression pattern: ^((%[0-9A-Fa-f]{2}|[-()_.!~*';/?:@\\x26=+$,A-Za-z0-9])+)([).!';/?:,])?$",
    );
  }
  return endpoint;
}

function checkMethod(method: string | undefined): ApiDestinationHttpMethod {
  if (!method || !METHODS.includes(method)) {
    throw constraintFailed(
      'httpMethod',
      method,
      `Member must satisfy enum value set: [${METHODS.join(', ')}]`,
    );
  }
  return method as ApiDestinationHttpMethod;
}

function checkRate(rate: number | undefined): number | undefined {
  if (rate !== undefined && (rate < 1 || rate > 300)) {
    throw constraintFailed('invocationRateLimitPerSecond', rate, 'Member must have value between 1 and 300');
  }
  return rate;
}

function shape(d: ApiDestinationRecord): Wire<ApiDestination> {
  return {
    ApiDestinationArn: d.arn,
    Name: d.name,
    ApiDestinationState: 'ACTIVE',
    ConnectionArn: d.connectionArn,
    InvocationEndpoint: d.invocationEndpoint,
    HttpMethod: d.httpMethod,
    InvocationRateLimitPerSecond: d.rateLimitPerSecond,
    CreationTime: seconds(d.createdAt),
    LastModifiedTime: seconds(d.lastModifiedAt),
  };
}
