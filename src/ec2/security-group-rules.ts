/**
 * What AuthorizeSecurityGroupIngress/Egress and RevokeSecurityGroupIngress/Egress share: the
 * group's rules of one direction, added (refusing duplicates) or removed (by rule id or by
 * description), in one transaction.
 */
import type {
  AuthorizeSecurityGroupIngressResult,
  IpPermission,
  RevokedSecurityGroupRule,
  TagSpecification,
} from '@aws-sdk/client-ec2';
import { ServiceError } from '../core/errors.ts';
import { Kind } from '../store/store.ts';
import { requireGroupByIdOrName } from './lookups.ts';
import { Ec2ErrorCode } from './model/errors.ts';
import { IdPrefix, newEc2Id } from './model/ids.ts';
import type { SecurityGroupRecord, SecurityGroupRuleRecord } from './model/records.ts';
import type { Ec2Context } from './ec2-service.ts';
import { duplicateRule, type PermissionInput, type RuleSpec, ruleSpecs, sameRule } from './permissions.ts';
import { inRegion, refuseDryRun } from './region.ts';
import { ipPermissions, revokedSecurityGroupRuleShape, securityGroupRuleShape } from './shapes.ts';
import { TaggableType, tagsFromSpecifications } from './tags.ts';

export type Direction = 'ingress' | 'egress';

interface GroupNaming {
  GroupId?: string;
  GroupName?: string;
  DryRun?: boolean;
}

export async function authorizeRules(
  ctx: Ec2Context,
  direction: Direction,
  input: PermissionInput & GroupNaming & { TagSpecifications?: TagSpecification[] },
): Promise<AuthorizeSecurityGroupIngressResult> {
  const tags = tagsFromSpecifications(input.TagSpecifications, TaggableType.SecurityGroupRule);
  return inRegion(ctx, async (tx) => {
    const group = await requireGroupByIdOrName(tx, input);
    const specs = await ruleSpecs(tx, group, input);
    const existing = group[direction];
    const added: SecurityGroupRuleRecord[] = [];
    for (const spec of specs) {
      if (existing.some((r) => sameRule(r, spec)) || added.some((r) => sameRule(r, spec)))
        throw duplicateRule(spec);
      added.push({
        ruleId: newEc2Id(ctx.rng, IdPrefix.SecurityGroupRule),
        ...spec,
        ...(tags.length > 0 ? { tags } : {}),
      });
    }
    refuseDryRun(input);
    const updated: SecurityGroupRecord = { ...group, [direction]: [...existing, ...added] };
    await tx.put(Kind.SecurityGroup, group.groupId, updated);
    return {
      Return: true,
      SecurityGroupRules: added.map((r) =>
        securityGroupRuleShape(ctx.partition, group, r, direction === 'egress'),
      ),
    };
  });
}

export interface RevokeAnswer {
  Return: boolean;
  UnknownIpPermissions?: IpPermission[];
  RevokedSecurityGroupRules: RevokedSecurityGroupRule[];
}

/**
 * Removes the rules named by id (each must exist) or by description. Rules described but not
 * found come back as UnknownIpPermissions; when none of them is found EC2 refuses the call.
 */
export async function revokeRules(
  ctx: Ec2Context,
  direction: Direction,
  input: PermissionInput & GroupNaming & { SecurityGroupRuleIds?: string[] },
): Promise<RevokeAnswer> {
  return inRegion(ctx, async (tx) => {
    const group = await requireGroupByIdOrName(tx, input);
    const existing = group[direction];
    const ruleIds = input.SecurityGroupRuleIds ?? [];
    const described = ruleIds.length > 0 && !hasPermissions(input) ? [] : await ruleSpecs(tx, group, input);
    for (const id of ruleIds) {
      if (!existing.some((r) => r.ruleId === id)) {
        throw new ServiceError(
          Ec2ErrorCode.InvalidSecurityGroupRuleIdNotFound,
          `The security group rule ID '${id}' does not exist`,
        );
      }
    }
    const unknown: RuleSpec[] = described.filter((spec) => !existing.some((r) => sameRule(r, spec)));
    if (described.length > 0 && unknown.length === described.length && ruleIds.length === 0) {
      throw new ServiceError(
        Ec2ErrorCode.InvalidPermissionNotFound,
        'The specified rule does not exist in this security group.',
      );
    }
    refuseDryRun(input);
    const revoked = existing.filter(
      (r) => ruleIds.includes(r.ruleId) || described.some((spec) => sameRule(r, spec)),
    );
    const updated: SecurityGroupRecord = {
      ...group,
      [direction]: existing.filter((r) => !revoked.includes(r)),
    };
    await tx.put(Kind.SecurityGroup, group.groupId, updated);
    return {
      Return: true,
      ...(unknown.length > 0
        ? { UnknownIpPermissions: ipPermissions(unknown.map((spec) => ({ ...spec, ruleId: '' }))) }
        : {}),
      RevokedSecurityGroupRules: revoked.map((r) =>
        revokedSecurityGroupRuleShape(group, r, direction === 'egress'),
      ),
    };
  });
}

function hasPermissions(input: PermissionInput): boolean {
  return (
    (input.IpPermissions?.length ?? 0) > 0 ||
    input.IpProtocol !== undefined ||
    input.CidrIp !== undefined ||
    input.SourceSecurityGroupName !== undefined
  );
}
