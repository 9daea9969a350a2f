/**
 * Policies of users, groups and roles, one implementation for the three: Attach/Detach/ListAttached
 * {User,Group,Role}Policies (managed) and Put/Get/Delete/List{User,Group,Role}Policy (inline).
 */
import { Kind, type Reader, type Stored } from '../store/store.ts';
import { checkName, checkPathPrefix, encodeDocument, type MarkerInput, page } from './common.ts';
import { mustGetAttachable, mustGetGroup, mustGetRole, mustGetUser } from './entities.ts';
import { IamErrorCode, iamError, noSuchEntity } from './model/errors.ts';
import { validatePolicyDocument } from './model/policy-document.ts';
import type { IamContext, PolicyHolder } from './model/records.ts';
import { checkModifiable } from './roles.ts';

interface HolderKind {
  kind: Kind;
  /** The input member naming it (`UserName`) and IAM's lower-case member name for messages. */
  member: 'UserName' | 'GroupName' | 'RoleName';
  noun: 'user' | 'group' | 'role';
  quota: string;
  /** IAM's inline policy size quota (characters without whitespace). */
  inlineSize: number;
  get(reader: Reader, name: string): Promise<Stored<PolicyHolder & { path: string }>>;
}

/** IAM's quota of managed policies attached to one user, group or role. */
export const MANAGED_POLICIES_PER_HOLDER = 10;

const HOLDERS = {
  user: {
    kind: Kind.IamUser,
    member: 'UserName',
    noun: 'user',
    quota: 'PoliciesPerUser',
    inlineSize: 2048,
    get: mustGetUser,
  },
  group: {
    kind: Kind.IamGroup,
    member: 'GroupName',
    noun: 'group',
    quota: 'PoliciesPerGroup',
    inlineSize: 5120,
    get: mustGetGroup,
  },
  role: {
    kind: Kind.IamRole,
    member: 'RoleName',
    noun: 'role',
    quota: 'PoliciesPerRole',
    inlineSize: 10240,
    get: mustGetRole,
  },
} as const satisfies Record<string, HolderKind>;

type HolderName = keyof typeof HOLDERS;
type Input = Record<string, string | number | boolean | undefined>;

function holderName(h: HolderKind, input: Input): string {
  const name = String(input[h.member] ?? '');
  checkName(`${h.noun}Name`, name, h.noun === 'role' ? 64 : 128);
  return name;
}

async function update(
  ctx: IamContext,
  h: HolderKind,
  name: string,
  change: (holder: PolicyHolder) => PolicyHolder | undefined,
) {
  await ctx.store.transact(async (tx) => {
    const found = await h.get(tx, name);
    if (h.noun === 'role') checkModifiable(found.value as never);
    const next = change(found.value);
    if (next) await tx.put(h.kind, found.key, next, found.version);
  });
}

function attach(which: HolderName) {
  const h: HolderKind = HOLDERS[which];
  return async (ctx: IamContext, input: Input & { PolicyArn: string }) => {
    const name = holderName(h, input);
    await mustGetAttachable(ctx.store, input.PolicyArn);
    await update(ctx, h, name, (holder) => {
      if (holder.attachedPolicies.includes(input.PolicyArn)) return undefined;
      if (holder.attachedPolicies.length >= MANAGED_POLICIES_PER_HOLDER) {
        throw iamError(
          IamErrorCode.LimitExceeded,
          `Cannot exceed quota for ${h.quota}: ${MANAGED_POLICIES_PER_HOLDER}`,
        );
      }
      return { ...holder, attachedPolicies: [...holder.attachedPolicies, input.PolicyArn] };
    });
    return {};
  };
}

function detach(which: HolderName) {
  const h: HolderKind = HOLDERS[which];
  return async (ctx: IamContext, input: Input & { PolicyArn: string }) => {
    const name = holderName(h, input);
    await update(ctx, h, name, (holder) => {
      if (!holder.attachedPolicies.includes(input.PolicyArn))
        throw noSuchEntity(`Policy ${input.PolicyArn} was not found.`);
      return { ...holder, attachedPolicies: holder.attachedPolicies.filter((a) => a !== input.PolicyArn) };
    });
    return {};
  };
}

function listAttached(which: HolderName) {
  const h: HolderKind = HOLDERS[which];
  return async (ctx: IamContext, input: Input & MarkerInput & { PathPrefix?: string }) => {
    const name = holderName(h, input);
    const prefix = checkPathPrefix(input.PathPrefix);
    const holder = (await h.get(ctx.store, name)).value;
    const rows = holder.attachedPolicies
      .map((arn) => ({ PolicyName: arn.slice(arn.lastIndexOf('/') + 1), PolicyArn: arn }))
      .filter((p) => pathOf(p.PolicyArn).startsWith(prefix));
    const { items, ...rest } = page(rows, (p) => p.PolicyName.toLowerCase(), input);
    return { AttachedPolicies: items, ...rest };
  };
}

/** `/service-role/` of `arn:aws:iam::aws:policy/service-role/Name`. */
function pathOf(arn: string): string {
  const resource = arn.slice(arn.indexOf(':policy') + ':policy'.length);
  return resource.slice(0, resource.lastIndexOf('/') + 1);
}

const noSuchInline = (h: HolderKind, policyName: string) =>
  noSuchEntity(`The ${h.noun} policy with name ${policyName} cannot be found.`);

function putInline(which: HolderName) {
  const h: HolderKind = HOLDERS[which];
  return async (ctx: IamContext, input: Input & { PolicyName: string; PolicyDocument: string }) => {
    const name = holderName(h, input);
    checkName('policyName', input.PolicyName, 128);
    validatePolicyDocument(input.PolicyDocument, 'identity', {
      name: `${capitalize(h.noun)}PolicySize`,
      size: h.inlineSize,
    });
    await update(ctx, h, name, (holder) => ({
      ...holder,
      inlinePolicies: { ...holder.inlinePolicies, [input.PolicyName]: input.PolicyDocument },
    }));
    return {};
  };
}

function getInline(which: HolderName) {
  const h: HolderKind = HOLDERS[which];
  return async (ctx: IamContext, input: Input & { PolicyName: string }) => {
    const name = holderName(h, input);
    checkName('policyName', input.PolicyName, 128);
    const holder = await h.get(ctx.store, name);
    const document = holder.value.inlinePolicies[input.PolicyName];
    if (document === undefined) throw noSuchInline(h, input.PolicyName);
    const owner = (holder.value as unknown as Record<string, string>)[`${h.noun}Name`] ?? name;
    return { [h.member]: owner, PolicyName: input.PolicyName, PolicyDocument: encodeDocument(document) };
  };
}

function deleteInline(which: HolderName) {
  const h: HolderKind = HOLDERS[which];
  return async (ctx: IamContext, input: Input & { PolicyName: string }) => {
    const name = holderName(h, input);
    checkName('policyName', input.PolicyName, 128);
    await update(ctx, h, name, (holder) => {
      if (!(input.PolicyName in holder.inlinePolicies)) throw noSuchInline(h, input.PolicyName);
      const { [input.PolicyName]: _gone, ...rest } = holder.inlinePolicies;
      return { ...holder, inlinePolicies: rest };
    });
    return {};
  };
}

function listInline(which: HolderName) {
  const h: HolderKind = HOLDERS[which];
  return async (ctx: IamContext, input: Input & MarkerInput) => {
    const name = holderName(h, input);
    const holder = await h.get(ctx.store, name);
    const { items, ...rest } = page(Object.keys(holder.value.inlinePolicies), (n) => n, input);
    return { PolicyNames: items, ...rest };
  };
}

const capitalize = (s: string) => s[0]!.toUpperCase() + s.slice(1);

export const attachUserPolicy = attach('user');
export const attachGroupPolicy = attach('group');
export const attachRolePolicy = attach('role');
export const detachUserPolicy = detach('user');
export const detachGroupPolicy = detach('group');
export const detachRolePolicy = detach('role');
export const listAttachedUserPolicies = listAttached('user');
export const listAttachedGroupPolicies = listAttached('group');
export const listAttachedRolePolicies = listAttached('role');
export const putUserPolicy = putInline('user');
export const putGroupPolicy = putInline('group');
export const putRolePolicy = putInline('role');
export const getUserPolicy = getInline('user');
export const getGroupPolicy = getInline('group');
export const getRolePolicy = getInline('role');
export const deleteUserPolicy = deleteInline('user');
export const deleteGroupPolicy = deleteInline('group');
export const deleteRolePolicy = deleteInline('role');
export const listUserPolicies = listInline('user');
export const listGroupPolicies = listInline('group');
export const listRolePolicies = listInline('role');
