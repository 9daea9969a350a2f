/**
 * PutParameter: a new parameter (version 1), or with Overwrite a new version. Rules: the name's
 * (records.ts); Type required on create; Tier Standard (4 KB values) / Advanced (8 KB, no way back
 * to Standard) / Intelligent-Tiering (Standard when the value fits); AllowedPattern (a regular
 * expression the value must match, kept for later versions); DataType `text`, `aws:ec2:image`
 * (a String whose value is an AMI id), `aws:ssm:integration`; Tags only on create. At most 100
 * versions: the oldest goes unless it has a label. SecureString values are sealed.
 */
import type { PutParameterRequest, PutParameterResult } from '@aws-sdk/client-ssm';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import {
  MAX_HISTORY,
  type ParameterRecord,
  type ParameterTier,
  type ParameterType,
  type ParameterVersion,
  type SsmContext,
  checkName,
  currentOf,
  parameterArn,
  validation,
  valueContext,
} from './model/records.ts';
import { checkTags } from './parameter-tags.ts';

const TYPES: readonly string[] = ['String', 'StringList', 'SecureString'];
const TIERS: readonly string[] = ['Standard', 'Advanced', 'Intelligent-Tiering'];
const DATA_TYPES: readonly string[] = ['text', 'aws:ec2:image', 'aws:ssm:integration'];
const STANDARD_MAX = 4096;
const ADVANCED_MAX = 8192;
const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
const DEFAULT_KEY_ID = 'alias/aws/ssm';

export async function putParameter(
  ctx: SsmContext,
  input: Wire<PutParameterRequest>,
): Promise<Wire<PutParameterResult>> {
  const name = checkName(ctx.partition, input.Name);
  const value = input.Value;
  if (typeof value !== 'string' || value.length < 1) {
    throw validation(
      "1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  if (value.length > ADVANCED_MAX) {
    throw validation(
      `1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length less than or equal to ${ADVANCED_MAX}`,
    );
  }
  if (input.Type !== undefined && !TYPES.includes(input.Type)) {
    throw validation(
      `1 validation error detected: Value '${String(input.Type)}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`,
    );
  }
  if (input.Tier !== undefined && !TIERS.includes(input.Tier)) {
    throw validation(
      `1 validation error detected: Value '${String(input.Tier)}' at 'tier' failed to satisfy constraint: Member must satisfy enum value set: [Advanced, Intelligent-Tiering, Standard]`,
    );
  }
  if (input.Description !== undefined && input.Description.length > 1024) {
    throw validation(
      "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1024",
    );
  }
  const dataType = input.DataType ?? 'text';
  if (!DATA_TYPES.includes(dataType)) {
    throw validation(
      `The following data type is not supported: ${dataType} (Data type names are all lowercase.)`,
    );
  }
  if (input.Policies !== undefined && input.Policies.length > 0) {
    throw new ServiceError(
      'InvalidPolicyTypeException',
      'Longshore does not support parameter policies (Expiration, ExpirationNotification, NoChangeNotification).',
    );
  }
  let pattern: RegExp | undefined;
  if (input.AllowedPattern !== undefined) {
    if (input.AllowedPattern.length > 1024) {
      throw new ServiceError(
        'InvalidAllowedPatternException',
        'The allowed pattern can be at most 1024 characters.',
      );
    }
    try {
      pattern = new RegExp(input.AllowedPattern);
    } catch {
      throw new ServiceError(
        'InvalidAllowedPatternException',
        'The allowed pattern is not a valid regular expression.',
      );
    }
  }
  const tags = checkTags(input.Tags);
  if (input.Overwrite === true && input.Tags !== undefined) {
    throw validation(
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    );
  }
  const now = ctx.clock.now();
  return ctx.store.transact(async (tx) => {
    const stored = await tx.get<ParameterRecord>(Kind.SsmParameter, name);
    const existing = stored?.value;
    if (existing && input.Overwrite !== true) {
      throw new ServiceError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    const previous = existing ? currentOf(existing) : undefined;
    const type = (input.Type ?? previous?.type) as ParameterType | undefined;
    if (!type) throw validation('A parameter type is required when you create a parameter.');
    if (input.KeyId !== undefined && type !== 'SecureString') {
      throw validation('KeyId is required for SecureString type parameter only.');
    }
    if (dataType === 'aws:ec2:image') {
      if (type !== 'String')
        throw validation('The data type aws:ec2:image is only supported with type String.');
      if (!AMI_ID.test(value)) {
        throw validation(
          'The parameter value is not a valid AMI ID for data type aws:ec2:image (ami- followed by 8 or 17 hexadecimal digits).',
        );
      }
    }
    const allowedPattern = input.AllowedPattern ?? previous?.allowedPattern;
    pattern ??= allowedPattern !== undefined ? new RegExp(allowedPattern) : undefined;
    if (pattern && !pattern.test(value)) {
      throw new ServiceError(
        'ParameterPatternMismatchException',
        `Parameter value, cannot be validated against allowedPattern: ${allowedPattern}`,
      );
    }
    const tier = tierOf(input.Tier, previous?.tier, value.length);
    const version = (previous?.version ?? 0) + 1;
    const arn = parameterArn(ctx.partition, name);
    const keyId = type === 'SecureString' ? (input.KeyId ?? previous?.keyId ?? DEFAULT_KEY_ID) : undefined;
    const description = input.Description ?? previous?.description;
    const next: ParameterVersion = {
      version,
      type,
      ...(type === 'SecureString'
        ? { sealed: ctx.cipher().seal(value, valueContext(arn, version)) }
        : { value }),
      ...(keyId !== undefined ? { keyId } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(allowedPattern !== undefined ? { allowedPattern } : {}),
      tier,
      dataType,
      labels: [],
      modifiedAt: now,
    };
    let versions = [...(existing?.versions ?? []), next];
    if (versions.length > MAX_HISTORY) {
      const oldest = versions[0] as ParameterVersion;
      if (oldest.labels.length > 0) {
        throw new ServiceError(
          'ParameterMaxVersionLimitExceeded',
          `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. Version ${oldest.version}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`,
        );
      }
      versions = versions.slice(1);
    }
    const record: ParameterRecord = { name, tags: existing?.tags ?? tags, versions };
    await tx.put(Kind.SsmParameter, name, record, stored ? stored.version : 'absent');
    return { Version: version, Tier: tier };
  });
}

function tierOf(
  asked: string | undefined,
  previous: ParameterTier | undefined,
  length: number,
): ParameterTier {
  if (asked === 'Standard') {
    if (previous === 'Advanced') {
      throw validation(
        "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.",
      );
    }
    if (length > STANDARD_MAX) {
      throw validation(
        'Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html',
      );
    }
    return 'Standard';
  }
  if (asked === 'Advanced') return 'Advanced';
  if (asked === 'Intelligent-Tiering')
    return previous === 'Advanced' || length > STANDARD_MAX ? 'Advanced' : 'Standard';
  // No tier given: the default tier (Standard), but an advanced parameter stays advanced.
  if (previous === 'Advanced') return 'Advanced';
  return tierOf('Standard', previous, length);
}
