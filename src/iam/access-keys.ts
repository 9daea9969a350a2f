/**
 * CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed. A key's
 * secret is sealed at rest and returned once, by CreateAccessKey; at most two keys per user.
 */
import type { RequestContext } from '../aws/service.ts';
import { Kind } from '../store/store.ts';
import { checkName, type MarkerInput, page, seconds, validationError } from './common.ts';
import { mustGetUser } from './entities.ts';
import { IamErrorCode, iamError, noSuchEntity } from './model/errors.ts';
import { IdPrefix, newIamId, newSecretAccessKey } from './model/ids.ts';
import {
  type AccessKeyRecord,
  AccessKeyStatus,
  type IamContext,
  nameKey,
  sealContext,
} from './model/records.ts';

/** IAM's quota of access keys per user. */
export const ACCESS_KEYS_PER_USER = 2;

/** The user a key operation is about: `UserName`, else the IAM user who signed. */
function targetUser(input: { UserName?: string }, request: RequestContext): string {
  if (input.UserName !== undefined) {
    checkName('userName', input.UserName, 128);
    return input.UserName;
  }
  const p = request.caller.principal;
  if (p?.type === 'user') return p.userName;
  throw iamError(IamErrorCode.Validation, 'Must specify userName when calling with non-User credentials');
}

function checkKeyId(id: string): void {
  if (id.length < 16 || id.length > 128 || !/^\w+$/.test(id)) {
    throw validationError('accessKeyId', id, 'Member must satisfy regular expression pattern: [\\w]+');
  }
}

const noSuchKey = (id: string) => noSuchEntity(`The Access Key with id ${id} cannot be found.`);

export async function createAccessKey(
  ctx: IamContext,
  input: { UserName?: string },
  request: RequestContext,
) {
  const userName = targetUser(input, request);
  const accessKeyId = newIamId(ctx.rng, IdPrefix.AccessKey);
  const secret = newSecretAccessKey(ctx.rng);
  const createDate = ctx.clock.now();
  const record = await ctx.store.transact(async (tx) => {
    const user = await mustGetUser(tx, userName);
    const keys = (await tx.list<AccessKeyRecord>(Kind.IamAccessKey)).filter(
      (k) => nameKey(k.value.userName) === user.key,
    );
    if (keys.length >= ACCESS_KEYS_PER_USER) {
      throw iamError(
        IamErrorCode.LimitExceeded,
        `Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`,
      );
    }
    const value: AccessKeyRecord = {
      accessKeyId,
      userName: user.value.userName,
      status: AccessKeyStatus.Active,
      createDate,
      sealedSecret: ctx.sealer.seal(secret, sealContext('access-key', accessKeyId)),
    };
    await tx.put(Kind.IamAccessKey, accessKeyId, value, 'absent');
    return value;
  });
  return {
    AccessKey: {
      UserName: record.userName,
      AccessKeyId: accessKeyId,
      Status: record.status,
      SecretAccessKey: secret,
      CreateDate: seconds(createDate),
    },
  };
}

export async function listAccessKeys(
  ctx: IamContext,
  input: MarkerInput & { UserName?: string },
  request: RequestContext,
) {
  const userName = targetUser(input, request);
  const user = await mustGetUser(ctx.store, userName);
  const keys = (await ctx.store.list<AccessKeyRecord>(Kind.IamAccessKey))
    .map((k) => k.value)
    .filter((k) => nameKey(k.userName) === user.key);
  const { items, ...rest } = page(keys, (k) => k.accessKeyId, input);
  return {
    AccessKeyMetadata: items.map((k) => ({
      UserName: k.userName,
      AccessKeyId: k.accessKeyId,
      Status: k.status,
      CreateDate: seconds(k.createDate),
    })),
    ...rest,
  };
}

async function userKey(ctx: IamContext, id: string, input: { UserName?: string }, request: RequestContext) {
  checkKeyId(id);
  const userName = targetUser(input, request);
  const key = await ctx.store.get<AccessKeyRecord>(Kind.IamAccessKey, id);
  if (!key || nameKey(key.value.userName) !== nameKey(userName)) {
    await mustGetUser(ctx.store, userName);
    throw noSuchKey(id);
  }
  return key;
}

export async function updateAccessKey(
  ctx: IamContext,
  input: { AccessKeyId: string; Status: string; UserName?: string },
  request: RequestContext,
) {
  if (input.Status !== AccessKeyStatus.Active && input.Status !== AccessKeyStatus.Inactive) {
    throw validationError(
      'status',
      input.Status,
      'Member must satisfy enum value set: [Active, Inactive, Expired]',
    );
  }
  const key = await userKey(ctx, input.AccessKeyId, input, request);
  await ctx.store.transact(async (tx) => {
    const current = await tx.get<AccessKeyRecord>(Kind.IamAccessKey, key.key);
    if (!current) throw noSuchKey(input.AccessKeyId);
    await tx.put(
      Kind.IamAccessKey,
      key.key,
      { ...current.value, status: input.Status as AccessKeyStatus },
      current.version,
    );
  });
  return {};
}

export async function deleteAccessKey(
  ctx: IamContext,
  input: { AccessKeyId: string; UserName?: string },
  request: RequestContext,
) {
  const key = await userKey(ctx, input.AccessKeyId, input, request);
  await ctx.store.transact(async (tx) => {
    if (!(await tx.remove(Kind.IamAccessKey, key.key))) throw noSuchKey(input.AccessKeyId);
  });
  return {};
}

/** A key never used answers ServiceName and Region `N/A` and no date, as IAM does. */
export async function getAccessKeyLastUsed(ctx: IamContext, input: { AccessKeyId: string }) {
  checkKeyId(input.AccessKeyId);
  const key = await ctx.store.get<AccessKeyRecord>(Kind.IamAccessKey, input.AccessKeyId);
  if (!key) throw noSuchKey(input.AccessKeyId);
  const used = ctx.lastUsed(input.AccessKeyId, key.value.lastUsed);
  return {
    UserName: key.value.userName,
    AccessKeyLastUsed: used
      ? { LastUsedDate: seconds(used.date), ServiceName: used.service, Region: used.region }
      : { ServiceName: 'N/A', Region: 'N/A' },
  };
}
