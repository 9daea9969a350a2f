/**
 * Secrets Manager (prefix `secretsmanager`) and Systems Manager Parameter Store (prefix `ssm`).
 * A secret is looked up by name or ARN (its ARN ends in a random suffix, and its resource policy
 * and tags count); `secretsmanager:SecretId` carries the id as given. CreateSecret, before the
 * suffix exists, is authorized on `secret:<name>-??????`. Parameters are `parameter/<name>`
 * (a leading `/` dropped, a `:version` / `:label` selector cut off).
 */
import { arnIn, type ResourceRule, type Scope, type ServiceActions, str, strings } from './types.ts';

const secret: ResourceRule = (input, scope) => {
  const id = str(input.SecretId);
  if (!id) return ['*'];
  return [
    {
      arn: id.startsWith('arn:') ? id : arnIn(scope, 'secretsmanager', `secret:${id}`),
      context: { 'secretsmanager:SecretId': id },
      ref: { type: 'secret', id },
    },
  ];
};

export const secretsManagerActions: ServiceActions = {
  prefix: 'secretsmanager',
  operations: {
    CreateSecret: (input, scope) => {
      const name = str(input.Name);
      return [name ? arnIn(scope, 'secretsmanager', `secret:${name}-??????`) : '*'];
    },
    GetSecretValue: secret,
    PutSecretValue: secret,
    UpdateSecret: secret,
    UpdateSecretVersionStage: secret,
    DescribeSecret: secret,
    ListSecretVersionIds: secret,
    DeleteSecret: secret,
    RestoreSecret: secret,
    PutResourcePolicy: secret,
    GetResourcePolicy: secret,
    DeleteResourcePolicy: secret,
    ValidateResourcePolicy: (input, scope) => (str(input.SecretId) ? secret(input, scope) : ['*']),
    TagResource: secret,
    UntagResource: secret,
  },
};

/** A parameter's ARN from its name, ARN or `name:selector`. */
export function parameterArn(scope: Scope, name: string): string {
  if (name.startsWith('arn:')) return name;
  const colon = name.indexOf(':');
  const bare = colon >= 0 ? name.slice(0, colon) : name;
  return arnIn(scope, 'ssm', `parameter/${bare.replace(/^\//, '')}`);
}

const parameter: ResourceRule = (input, scope) => {
  const name = str(input.Name);
  return [name ? parameterArn(scope, name) : '*'];
};
const parameters: ResourceRule = (input, scope) => strings(input.Names).map((n) => parameterArn(scope, n));
const taggedParameter: ResourceRule = (input, scope) => {
  const id = str(input.ResourceId);
  return [input.ResourceType === 'Parameter' && id ? parameterArn(scope, id) : '*'];
};

export const ssmActions: ServiceActions = {
  prefix: 'ssm',
  operations: {
    PutParameter: parameter,
    GetParameter: parameter,
    GetParameterHistory: parameter,
    DeleteParameter: parameter,
    LabelParameterVersion: parameter,
    UnlabelParameterVersion: parameter,
    GetParameters: parameters,
    DeleteParameters: parameters,
    GetParametersByPath: (input, scope) => {
      const path = str(input.Path);
      return [path ? parameterArn(scope, path === '/' ? '' : path) : '*'];
    },
    AddTagsToResource: taggedParameter,
    RemoveTagsFromResource: taggedParameter,
    ListTagsForResource: taggedParameter,
  },
};
