/**
 * The policies that speak for a principal (what the gateway's evaluator weighs besides a
 * resource's own policy): a user's attached and inline policies and its groups' too, a role's, the
 * permissions boundary, a session's policies, and the principal's tags (a role session's tags
 * override the role's of the same key, as session tags do in AWS).
 */
import { Kind, type Reader } from '../../store/store.ts';
import { awsManagedPolicy } from './managed.ts';
import type { NamedPolicy, PolicyDocument, PolicySet, Principal } from './principal.ts';
import {
  type GroupRecord,
  type IamTag,
  nameKey,
  type PolicyHolder,
  type PolicyRecord,
  parseDocument,
  type RoleRecord,
  type SessionRecord,
  type UserRecord,
} from './records.ts';

export async function policySetFor(reader: Reader, principal: Principal): Promise<PolicySet> {
  const session = principal.sessionKeyId
    ? (await reader.get<SessionRecord>(Kind.StsSession, principal.sessionKeyId))?.value
    : undefined;
  const set: PolicySet = { identity: [] };
  if (principal.type === 'user') {
    const user = (await reader.get<UserRecord>(Kind.IamUser, nameKey(principal.userName)))?.value;
    if (user) {
      await addHolder(reader, set.identity, user, `user/${user.userName}`);
      for (const groupName of user.groups) {
        const group = (await reader.get<GroupRecord>(Kind.IamGroup, nameKey(groupName)))?.value;
        if (group) await addHolder(reader, set.identity, group, `group/${group.groupName}`);
      }
      await setBoundary(reader, set, user.permissionsBoundary);
      set.tags = tagMap(user.tags);
    }
  } else if (principal.type === 'assumed-role') {
    const role = (await reader.get<RoleRecord>(Kind.IamRole, nameKey(principal.roleName)))?.value;
    if (role) {
      await addHolder(reader, set.identity, role, `role/${role.roleName}`);
      await setBoundary(reader, set, role.permissionsBoundary);
      set.tags = tagMap(role.tags);
    }
  }
  if (session) {
    const policies: NamedPolicy[] = [];
    if (session.policy) policies.push({ source: 'session', document: parseDocument(session.policy) });
    for (const arn of session.policyArns ?? []) {
      const document = await managedDocument(reader, arn);
      if (document) policies.push({ source: arn, document });
    }
    if (session.policy !== undefined || (session.policyArns ?? []).length > 0) set.session = policies;
    if (session.tags) set.tags = { ...(set.tags ?? {}), ...session.tags };
  }
  return set;
}

/** The default version's document of a managed policy (customer or AWS), or undefined when it is gone. */
export async function managedDocument(reader: Reader, arn: string): Promise<PolicyDocument | undefined> {
  const aws = awsManagedPolicy(arn);
  if (aws) return aws.document;
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  const policy = (await reader.get<PolicyRecord>(Kind.IamPolicy, nameKey(name)))?.value;
  if (!policy || policy.arn !== arn) return undefined;
  const version = policy.versions.find((v) => v.versionId === policy.defaultVersionId);
  return version ? parseDocument(version.document) : undefined;
}

async function addHolder(
  reader: Reader,
  out: NamedPolicy[],
  holder: PolicyHolder,
  owner: string,
): Promise<void> {
  for (const arn of holder.attachedPolicies) {
    const document = await managedDocument(reader, arn);
    if (document) out.push({ source: arn, document });
  }
  for (const [name, text] of Object.entries(holder.inlinePolicies)) {
    out.push({ source: `inline:${owner}/${name}`, document: parseDocument(text) });
  }
}

async function setBoundary(reader: Reader, set: PolicySet, arn: string | undefined): Promise<void> {
  if (!arn) return;
  // A boundary whose policy is gone allows nothing, as an empty boundary would.
  const document = (await managedDocument(reader, arn)) ?? { Version: '2012-10-17', Statement: [] };
  set.boundary = { source: arn, document };
}

function tagMap(tags: readonly IamTag[]): Record<string, string> | undefined {
  if (tags.length === 0) return undefined;
  return Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
}
