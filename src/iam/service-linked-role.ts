/**
 * CreateServiceLinkedRole for the services Longshore stands in for: ECS's AWSServiceRoleForECS
 * (with AmazonECSServiceRolePolicy, as ECS creates it on first use) and Application Auto
 * Scaling's role for ECS services. The role lives under `/aws-service-role/<service>/` and is
 * AWS's to change (UnmodifiableEntity).
 */
import { Kind } from '../store/store.ts';
import { arnFor, seconds, validationError } from './common.ts';
import { IamErrorCode, iamError } from './model/errors.ts';
import { AWS_POLICY_ARN_PREFIX, IdPrefix, newIamId } from './model/ids.ts';
import { type IamContext, nameKey, type RoleRecord } from './model/records.ts';
import { roleOut } from './roles.ts';

interface LinkedRole {
  roleName: string;
  policy: string;
  description: string;
}

const LINKED: Readonly<Record<string, LinkedRole>> = {
  'ecs.amazonaws.com': {
    roleName: 'AWSServiceRoleForECS',
    policy: `${AWS_POLICY_ARN_PREFIX}/aws-service-role/AmazonECSServiceRolePolicy`,
    description: 'Role to enable Amazon ECS to manage your cluster.',
  },
  'ecs.application-autoscaling.amazonaws.com': {
    roleName: 'AWSServiceRoleForApplicationAutoScaling_ECSService',
    policy: `${AWS_POLICY_ARN_PREFIX}/aws-service-role/AWSApplicationAutoscalingECSServicePolicy`,
    description: '',
  },
};

export async function createServiceLinkedRole(
  ctx: IamContext,
  input: { AWSServiceName: string; Description?: string; CustomSuffix?: string },
) {
  const linked = LINKED[input.AWSServiceName];
  if (!linked) {
    throw iamError(
      IamErrorCode.InvalidInput,
      `Service role name for ${input.AWSServiceName} is not supported.`,
    );
  }
  if (input.CustomSuffix !== undefined) {
    if (!/^[\w+=,.@-]{1,64}$/.test(input.CustomSuffix)) {
      throw validationError(
        'customSuffix',
        input.CustomSuffix,
        'Member must satisfy regular expression pattern: [\\w+=,.@-]+',
      );
    }
    throw iamError(IamErrorCode.InvalidInput, `Custom suffix is not allowed for ${input.AWSServiceName}`);
  }
  const path = `/aws-service-role/${input.AWSServiceName}/`;
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: input.AWSServiceName }, Action: 'sts:AssumeRole' }],
  };
  const role: RoleRecord = {
    roleName: linked.roleName,
    roleId: newIamId(ctx.rng, IdPrefix.Role),
    arn: arnFor(ctx, 'role', path, linked.roleName),
    path,
    createDate: ctx.clock.now(),
    assumeRolePolicyDocument: JSON.stringify(trust),
    maxSessionDuration: 3600,
    tags: [],
    inlinePolicies: {},
    attachedPolicies: [linked.policy],
    description: input.Description ?? linked.description,
  };
  await ctx.store.transact(async (tx) => {
    if (await tx.get(Kind.IamRole, nameKey(linked.roleName))) {
      throw iamError(
        IamErrorCode.InvalidInput,
        `Service role name ${linked.roleName} has been taken in this account, please try a different suffix.`,
      );
    }
    await tx.put(Kind.IamRole, nameKey(linked.roleName), role, 'absent');
  });
  return { Role: { ...roleOut(role, false), CreateDate: seconds(role.createDate) } };
}
