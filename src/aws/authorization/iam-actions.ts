/**
 * AWS Identity and Access Management (prefix `iam`): actions on a user, group, role, policy or
 * instance profile take its ARN from the name in the input (`user/<name>`: the entity's path is
 * not looked up, so a policy naming `user/division/*` does not match a user created under that
 * path yet); List* without a name and account-level actions are on `*`. AttachRolePolicy and
 * friends are on the entity, as IAM authorizes them; iam:PassRole is what other services check.
 */
import { arnIn, type ResourceRule, type Scope, type ServiceActions, str } from './types.ts';

const iamArn = (scope: Scope, resource: string) => arnIn(scope, 'iam', resource, true);

const entity =
  (type: string, member: string): ResourceRule =>
  (input, scope) => {
    const name = str(input[member]);
    // Create* give the path (default `/`); the other actions name the entity alone.
    return [name ? iamArn(scope, `${type}${str(input.Path) ?? '/'}${name}`) : '*'];
  };
const user = entity('user', 'UserName');
const group = entity('group', 'GroupName');
const role = entity('role', 'RoleName');
const instanceProfile = entity('instance-profile', 'InstanceProfileName');
const policy: ResourceRule = (input) => [str(input.PolicyArn) ?? '*'];

const ops = (names: string[], rule: ResourceRule) => Object.fromEntries(names.map((n) => [n, rule]));

export const iamActions: ServiceActions = {
  prefix: 'iam',
  operations: {
    ...ops(
      [
        'CreateUser',
        'GetUser',
        'UpdateUser',
        'DeleteUser',
        'TagUser',
        'UntagUser',
        'ListUserTags',
        'CreateAccessKey',
        'ListAccessKeys',
        'UpdateAccessKey',
        'DeleteAccessKey',
        'AttachUserPolicy',
        'DetachUserPolicy',
        'ListAttachedUserPolicies',
        'PutUserPolicy',
        'GetUserPolicy',
        'DeleteUserPolicy',
        'ListUserPolicies',
        'PutUserPermissionsBoundary',
        'DeleteUserPermissionsBoundary',
        'ListGroupsForUser',
        'CreateLoginProfile',
        'DeleteLoginProfile',
        'GetLoginProfile',
        'UpdateLoginProfile',
      ],
      user,
    ),
    ...ops(
      [
        'CreateGroup',
        'GetGroup',
        'UpdateGroup',
        'DeleteGroup',
        'AddUserToGroup',
        'RemoveUserFromGroup',
        'AttachGroupPolicy',
        'DetachGroupPolicy',
        'ListAttachedGroupPolicies',
        'PutGroupPolicy',
        'GetGroupPolicy',
        'DeleteGroupPolicy',
        'ListGroupPolicies',
      ],
      group,
    ),
    ...ops(
      [
        'CreateRole',
        'GetRole',
        'UpdateRole',
        'UpdateRoleDescription',
        'DeleteRole',
        'TagRole',
        'UntagRole',
        'ListRoleTags',
        'UpdateAssumeRolePolicy',
        'AttachRolePolicy',
        'DetachRolePolicy',
        'ListAttachedRolePolicies',
        'PutRolePolicy',
        'GetRolePolicy',
        'DeleteRolePolicy',
        'ListRolePolicies',
        'PutRolePermissionsBoundary',
        'DeleteRolePermissionsBoundary',
        'ListInstanceProfilesForRole',
        'CreateServiceLinkedRole',
        'DeleteServiceLinkedRole',
      ],
      role,
    ),
    ...ops(
      [
        'CreateInstanceProfile',
        'GetInstanceProfile',
        'DeleteInstanceProfile',
        'AddRoleToInstanceProfile',
        'RemoveRoleFromInstanceProfile',
        'TagInstanceProfile',
        'UntagInstanceProfile',
      ],
      instanceProfile,
    ),
    ...ops(
      [
        'GetPolicy',
        'DeletePolicy',
        'GetPolicyVersion',
        'CreatePolicyVersion',
        'DeletePolicyVersion',
        'ListPolicyVersions',
        'SetDefaultPolicyVersion',
        'TagPolicy',
        'UntagPolicy',
        'ListPolicyTags',
        'ListEntitiesForPolicy',
      ],
      policy,
    ),
    CreatePolicy: (input, scope) => {
      const name = str(input.PolicyName);
      const path = str(input.Path) ?? '/';
      return [name ? iamArn(scope, `policy${path}${name}`) : '*'];
    },
    SimulatePrincipalPolicy: (input) => [str(input.PolicySourceArn) ?? '*'],
  },
};
