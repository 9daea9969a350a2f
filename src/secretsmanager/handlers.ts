/** The table of implemented Secrets Manager operations. docs/api-coverage-secretsmanager.md is generated from it. */
import type { Handler } from '../aws/handler-table.ts';
import { createSecret } from './create-secret.ts';
import { deleteSecret, restoreSecret } from './delete-secret.ts';
import { describeSecret, listSecretVersionIds, listSecrets } from './list-secrets.ts';
import type { SecretsManagerContext } from './model/records.ts';
import { getRandomPassword } from './random-password.ts';
import {
  deleteResourcePolicy,
  getResourcePolicy,
  putResourcePolicy,
  validateResourcePolicy,
} from './resource-policy.ts';
import { tagResource, untagResource } from './secret-tags.ts';
import { batchGetSecretValue, getSecretValue, putSecretValue } from './secret-value.ts';
import { updateSecret, updateSecretVersionStage } from './update-secret.ts';

export const handlers: Readonly<Record<string, Handler<SecretsManagerContext>>> = {
  CreateSecret: { category: 'write', handle: createSecret },
  GetSecretValue: { category: 'read', handle: getSecretValue },
  BatchGetSecretValue: { category: 'read', handle: batchGetSecretValue },
  PutSecretValue: { category: 'write', handle: putSecretValue },
  UpdateSecret: { category: 'write', handle: updateSecret },
  UpdateSecretVersionStage: { category: 'write', handle: updateSecretVersionStage },
  DescribeSecret: { category: 'read', handle: describeSecret },
  ListSecrets: { category: 'read', handle: listSecrets },
  ListSecretVersionIds: { category: 'read', handle: listSecretVersionIds },
  DeleteSecret: { category: 'write', handle: deleteSecret },
  RestoreSecret: { category: 'write', handle: restoreSecret },
  PutResourcePolicy: { category: 'write', handle: putResourcePolicy },
  GetResourcePolicy: { category: 'read', handle: getResourcePolicy },
  DeleteResourcePolicy: { category: 'write', handle: deleteResourcePolicy },
  ValidateResourcePolicy: { category: 'read', handle: validateResourcePolicy },
  TagResource: { category: 'write', handle: tagResource },
  UntagResource: { category: 'write', handle: untagResource },
  GetRandomPassword: { category: 'read', handle: getRandomPassword },
};
