/** Reads of IAM records by name or ARN that throw IAM's NoSuchEntity when the record is missing. */
import { Kind, type Reader, type Stored } from '../store/store.ts';
import { noSuchGroup, noSuchInstanceProfile, noSuchPolicy, noSuchRole, noSuchUser } from './common.ts';
import { type AwsManagedPolicy, awsManagedPolicy } from './model/managed.ts';
import {
  type GroupRecord,
  type InstanceProfileRecord,
  nameKey,
  type PolicyRecord,
  type RoleRecord,
  type UserRecord,
} from './model/records.ts';

export async function mustGetUser(reader: Reader, name: string): Promise<Stored<UserRecord>> {
  const found = await reader.get<UserRecord>(Kind.IamUser, nameKey(name));
  if (!found) throw noSuchUser(name);
  return found;
}

export async function mustGetGroup(reader: Reader, name: string): Promise<Stored<GroupRecord>> {
  const found = await reader.get<GroupRecord>(Kind.IamGroup, nameKey(name));
  if (!found) throw noSuchGroup(name);
  return found;
}

export async function mustGetRole(reader: Reader, name: string): Promise<Stored<RoleRecord>> {
  const found = await reader.get<RoleRecord>(Kind.IamRole, nameKey(name));
  if (!found) throw noSuchRole(name);
  return found;
}

export async function mustGetInstanceProfile(
  reader: Reader,
  name: string,
): Promise<Stored<InstanceProfileRecord>> {
  const found = await reader.get<InstanceProfileRecord>(Kind.IamInstanceProfile, nameKey(name));
  if (!found) throw noSuchInstanceProfile(name);
  return found;
}

/** A customer managed policy by ARN (the path must match too). */
export async function findCustomerPolicy(
  reader: Reader,
  arn: string,
): Promise<Stored<PolicyRecord> | undefined> {
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  const found = await reader.get<PolicyRecord>(Kind.IamPolicy, nameKey(name));
  return found && found.value.arn === arn ? found : undefined;
}

export async function mustGetCustomerPolicy(reader: Reader, arn: string): Promise<Stored<PolicyRecord>> {
  const found = await findCustomerPolicy(reader, arn);
  if (!found) throw noSuchPolicy(arn);
  return found;
}

/** A policy that may be attached: an AWS managed one or a customer one of this account. */
export async function mustGetAttachable(
  reader: Reader,
  arn: string,
): Promise<{ type: 'aws'; policy: AwsManagedPolicy } | { type: 'customer'; policy: PolicyRecord }> {
  const aws = awsManagedPolicy(arn);
  if (aws) return { type: 'aws', policy: aws };
  const found = await findCustomerPolicy(reader, arn);
  if (!found) throw noSuchPolicy(arn);
  return { type: 'customer', policy: found.value };
}

/** How many users, groups and roles have `arn` attached (and as a permissions boundary). */
export async function attachmentCounts(
  reader: Reader,
): Promise<{ attached: Map<string, number>; boundaries: Map<string, number> }> {
  const attached = new Map<string, number>();
  const boundaries = new Map<string, number>();
  const holders = [
    ...(await reader.list<UserRecord>(Kind.IamUser)).map((r) => r.value),
    ...(await reader.list<GroupRecord>(Kind.IamGroup)).map((r) => r.value),
    ...(await reader.list<RoleRecord>(Kind.IamRole)).map((r) => r.value),
  ];
  for (const h of holders) {
    for (const arn of h.attachedPolicies) attached.set(arn, (attached.get(arn) ?? 0) + 1);
    const boundary = 'permissionsBoundary' in h ? h.permissionsBoundary : undefined;
    if (boundary) boundaries.set(boundary, (boundaries.get(boundary) ?? 0) + 1);
  }
  return { attached, boundaries };
}
