/**
 * PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy and ValidateResourcePolicy. A policy
 * is checked to be a JSON policy document (Version, one or more Statements with Effect and Action)
 * and stored; it is not enforced (Longshore has no IAM yet).
 */
import type {
  DeleteResourcePolicyRequest,
  DeleteResourcePolicyResponse,
  GetResourcePolicyRequest,
  GetResourcePolicyResponse,
  PutResourcePolicyRequest,
  PutResourcePolicyResponse,
  ValidateResourcePolicyRequest,
  ValidateResourcePolicyResponse,
} from '@aws-sdk/client-secrets-manager';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import { type SecretsManagerContext, findSecret, markedForDeletion } from './model/records.ts';

const malformed = (why: string) =>
  new ServiceError(
    'MalformedPolicyDocumentException',
    `This resource policy contains a syntax error: ${why}`,
  );

/** The policy text, when it is a policy document; MalformedPolicyDocumentException otherwise. */
export function checkPolicy(text: unknown): string {
  if (typeof text !== 'string' || text.length < 1 || text.length > 20_480) {
    throw malformed('ResourcePolicy must be 1 to 20480 characters.');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed('the document is not valid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw malformed('the document is not a JSON object.');
  const { Version, Statement } = doc as { Version?: unknown; Statement?: unknown };
  if (Version !== undefined && Version !== '2012-10-17' && Version !== '2008-10-17') {
    throw malformed(`unsupported Version ${JSON.stringify(Version)}.`);
  }
  const statements = Array.isArray(Statement) ? Statement : Statement !== undefined ? [Statement] : [];
  if (statements.length === 0) throw malformed('the document has no Statement.');
  for (const s of statements as Record<string, unknown>[]) {
    if (typeof s !== 'object' || s === null) throw malformed('a Statement is not an object.');
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
      throw malformed('a Statement needs Effect Allow or Deny.');
    if (s.Action === undefined && s.NotAction === undefined)
      throw malformed('a Statement needs Action or NotAction.');
  }
  return text;
}

export async function putResourcePolicy(
  ctx: SecretsManagerContext,
  input: Wire<PutResourcePolicyRequest>,
): Promise<Wire<PutResourcePolicyResponse>> {
  const policy = checkPolicy(input.ResourcePolicy);
  const now = ctx.clock.now();
  return ctx.store.transact(async (tx) => {
    const secret = await findSecret(tx, input.SecretId, now);
    if (secret.deletionDate !== undefined) throw markedForDeletion();
    await tx.put(Kind.SecretsManagerSecret, secret.name, { ...secret, policy, lastChangedAt: now });
    return { ARN: secret.arn, Name: secret.name };
  });
}

export async function getResourcePolicy(
  ctx: SecretsManagerContext,
  input: Wire<GetResourcePolicyRequest>,
): Promise<Wire<GetResourcePolicyResponse>> {
  const secret = await findSecret(ctx.store, input.SecretId, ctx.clock.now());
  return { ARN: secret.arn, Name: secret.name, ...(secret.policy ? { ResourcePolicy: secret.policy } : {}) };
}

export async function deleteResourcePolicy(
  ctx: SecretsManagerContext,
  input: Wire<DeleteResourcePolicyRequest>,
): Promise<Wire<DeleteResourcePolicyResponse>> {
  const now = ctx.clock.now();
  return ctx.store.transact(async (tx) => {
    const secret = await findSecret(tx, input.SecretId, now);
    if (secret.deletionDate !== undefined) throw markedForDeletion();
    const { policy: _p, ...rest } = secret;
    await tx.put(Kind.SecretsManagerSecret, secret.name, { ...rest, lastChangedAt: now });
    return { ARN: secret.arn, Name: secret.name };
  });
}

export async function validateResourcePolicy(
  ctx: SecretsManagerContext,
  input: Wire<ValidateResourcePolicyRequest>,
): Promise<Wire<ValidateResourcePolicyResponse>> {
  if (input.SecretId !== undefined) await findSecret(ctx.store, input.SecretId, ctx.clock.now());
  checkPolicy(input.ResourcePolicy);
  return { PolicyValidationPassed: true, ValidationErrors: [] };
}
