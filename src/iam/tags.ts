/** Tag/Untag/List tags of users, roles, managed policies and instance profiles. */
import { Kind, type Reader, type Stored } from '../store/store.ts';
import { checkName, checkTags, type MarkerInput, page, validationError } from './common.ts';
import { mustGetCustomerPolicy, mustGetInstanceProfile, mustGetRole, mustGetUser } from './entities.ts';
import type { IamContext, IamTag } from './model/records.ts';

interface Tagged {
  kind: Kind;
  member: 'UserName' | 'RoleName' | 'PolicyArn' | 'InstanceProfileName';
  get(reader: Reader, id: string): Promise<Stored<{ tags: IamTag[] }>>;
}

const TAGGED = {
  user: { kind: Kind.IamUser, member: 'UserName', get: mustGetUser },
  role: { kind: Kind.IamRole, member: 'RoleName', get: mustGetRole },
  policy: { kind: Kind.IamPolicy, member: 'PolicyArn', get: mustGetCustomerPolicy },
  profile: { kind: Kind.IamInstanceProfile, member: 'InstanceProfileName', get: mustGetInstanceProfile },
} as const satisfies Record<string, Tagged>;

type Input = Record<string, unknown> & MarkerInput;

function idOf(t: Tagged, input: Input): string {
  const id = String(input[t.member] ?? '');
  if (t.member !== 'PolicyArn') checkName(t.member[0]!.toLowerCase() + t.member.slice(1), id, 128);
  return id;
}

function tag(which: keyof typeof TAGGED) {
  const t: Tagged = TAGGED[which];
  return async (ctx: IamContext, input: Input & { Tags: IamTag[] }) => {
    const id = idOf(t, input);
    await ctx.store.transact(async (tx) => {
      const found = await t.get(tx, id);
      const tags = checkTags(input.Tags, found.value.tags);
      await tx.put(t.kind, found.key, { ...found.value, tags }, found.version);
    });
    return {};
  };
}

function untag(which: keyof typeof TAGGED) {
  const t: Tagged = TAGGED[which];
  return async (ctx: IamContext, input: Input & { TagKeys: string[] }) => {
    const id = idOf(t, input);
    for (const key of input.TagKeys) {
      if (key.length < 1 || key.length > 128) {
        throw validationError('tagKeys', key, 'Member must have length less than or equal to 128');
      }
    }
    const drop = new Set(input.TagKeys.map((k) => k.toLowerCase()));
    await ctx.store.transact(async (tx) => {
      const found = await t.get(tx, id);
      const tags = found.value.tags.filter((x) => !drop.has(x.Key.toLowerCase()));
      await tx.put(t.kind, found.key, { ...found.value, tags }, found.version);
    });
    return {};
  };
}

function list(which: keyof typeof TAGGED) {
  const t: Tagged = TAGGED[which];
  return async (ctx: IamContext, input: Input) => {
    const found = await t.get(ctx.store, idOf(t, input));
    const { items, ...rest } = page(found.value.tags, (x) => x.Key, input);
    return { Tags: items, ...rest };
  };
}

export const tagUser = tag('user');
export const untagUser = untag('user');
export const listUserTags = list('user');
export const tagRole = tag('role');
export const untagRole = untag('role');
export const listRoleTags = list('role');
export const tagPolicy = tag('policy');
export const untagPolicy = untag('policy');
export const listPolicyTags = list('policy');
export const tagInstanceProfile = tag('profile');
export const untagInstanceProfile = untag('profile');
export const listInstanceProfileTags = list('profile');
