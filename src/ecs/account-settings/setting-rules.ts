/**
 * Account settings: the names ECS knows, the values each accepts, ECS's defaults for a new
 * account, principals, and how a setting resolves (principal, then account default, then ECS).
 */
import type { Setting } from '@aws-sdk/client-ecs';
import type { Partition } from '../../core/arn.ts';
import { invalidParameter } from '../model/errors.ts';
import { Kind, type Reader, type Stored } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';

/** One setting as stored; the account default is stored for the root principal. */
export interface AccountSettingRecord {
  name: string;
  value: string;
  principalArn: string;
}

interface SettingRule {
  values: readonly string[];
  /** What ListAccountSettings(effectiveSettings) reports for an account that never set it. */
  default: string;
  /** `aws_managed` settings are read-only: AWS (here: nobody) sets them. */
  type: 'user' | 'aws_managed';
  /** Account-level only: can be set for the root principal (the account default), not per user or role. */
  accountOnly?: boolean;
}

const ON_OFF = ['enabled', 'disabled'] as const;

/**
 * Every setting name ECS accepts, with ECS's defaults for an account created today. The long ARN
 * formats are on for every account since April 2021 and can no longer be turned off; tagging
 * authorization is on for every account since March 2024. `dualStackIPv6` is missing from the
 * API model's enum but documented and accepted by ECS, so Longshore accepts it too.
 */
export const SETTING_RULES: Readonly<Record<string, SettingRule>> = {
  awsvpcTrunking: { values: ON_OFF, default: 'disabled', type: 'user' },
  containerInsights: { values: ['enabled', 'disabled', 'enhanced'], default: 'disabled', type: 'user' },
  containerInstanceLongArnFormat: { values: ON_OFF, default: 'enabled', type: 'user' },
  defaultLogDriverMode: { values: ['blocking', 'non-blocking'], default: 'non-blocking', type: 'user' },
  dualStackIPv6: { values: ON_OFF, default: 'disabled', type: 'user' },
  fargateEventWindows: { values: ON_OFF, default: 'disabled', type: 'user', accountOnly: true },
  fargateFIPSMode: { values: ON_OFF, default: 'disabled', type: 'user' },
  fargateTaskRetirementWaitPeriod: {
    values: ['0', '7', '14'],
    default: '7',
    type: 'user',
    accountOnly: true,
  },
  guardDutyActivate: { values: ['on', 'off'], default: 'off', type: 'aws_managed' },
  serviceLongArnFormat: { values: ON_OFF, default: 'enabled', type: 'user' },
  tagResourceAuthorization: { values: ['on', 'off'], default: 'on', type: 'user' },
  taskLongArnFormat: { values: ON_OFF, default: 'enabled', type: 'user' },
};

/** Setting names in the order ListAccountSettings returns them (alphabetical, as ECS lists them). */
export const SETTING_NAMES: readonly string[] = Object.keys(SETTING_RULES).sort();

const LONG_ARN_SETTINGS = ['serviceLongArnFormat', 'taskLongArnFormat', 'containerInstanceLongArnFormat'];

/** ECS's InvalidParameterException text for turning a long-ARN setting off (quoted in the Terraform AWS provider's docs). */
export const LONG_ARN_REQUIRED = 'You can no longer disable Long Arn settings';

/**
 * The setting names in the order ECS's enum lists them (the API model's order, with
 * dualStackIPv6 after containerInsights). ECS names an unknown setting in its own message:
 * "unknown should be one of [serviceLongArnFormat,taskLongArnFormat,...]", as moto's suite records
 * it; that recorded list also holds an undocumented containerLongArnFormat, which Longshore neither
 * accepts nor lists.
 */
const ECS_ENUM_ORDER = [
  'serviceLongArnFormat',
  'taskLongArnFormat',
  'containerInstanceLongArnFormat',
  'awsvpcTrunking',
  'containerInsights',
  'dualStackIPv6',
  'fargateFIPSMode',
  'tagResourceAuthorization',
  'fargateTaskRetirementWaitPeriod',
  'guardDutyActivate',
  'defaultLogDriverMode',
  'fargateEventWindows',
] as const;

/** ECS's InvalidParameterException text for a setting name it does not know. */
export function unknownSettingName(name: string | undefined): string {
  return `${name ?? 'null'} should be one of [${ECS_ENUM_ORDER.join(',')}]`;
}

/** Throws InvalidParameterException unless `name` is a setting ECS knows. */
export function checkSettingName(name: string | undefined): string {
  if (name === undefined || !Object.hasOwn(SETTING_RULES, name))
    throw invalidParameter(unknownSettingName(name));
  return name;
}

/**
 * Throws InvalidParameterException when `value` cannot be written for `name`. Longshore always
 * uses the long ARN formats, as ECS does for every account since 2021: turning them off is
 * refused with ECS's own message.
 */
export function checkSettingValue(name: string, value: string | undefined): string {
  const rule = SETTING_RULES[name];
  if (rule.type === 'aws_managed') {
    throw invalidParameter(`The ${name} setting is managed by AWS and is read-only.`);
  }
  if (value === undefined || !rule.values.includes(value)) {
    throw invalidParameter(`Invalid setting 'value'. Valid values for ${name}: ${rule.values.join(', ')}.`);
  }
  if (LONG_ARN_SETTINGS.includes(name) && value === 'disabled') throw invalidParameter(LONG_ARN_REQUIRED);
  return value;
}

/** The caller: Longshore has one root key pair, so every request is the account's root user. */
export function rootPrincipal(p: Partition): string {
  return `arn:aws:iam::${p.accountId}:root`;
}

/** IAM user and role ARNs (with optional paths) and the root user, in this account. */
const PRINCIPAL_PATTERN =
  /^arn:aws[a-z-]*:iam::(\d{12}):(root|(?:user|role)\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,128})$/;

/** `principalArn` as given (omitted: the caller) after checking it names a user, role or root here. */
export function resolvePrincipal(p: Partition, principalArn: string | undefined): string {
  if (principalArn === undefined || principalArn === '') return rootPrincipal(p);
  const m = PRINCIPAL_PATTERN.exec(principalArn);
  if (!m) {
    throw invalidParameter(
      `Invalid principalArn '${principalArn}'. Specify the ARN of an IAM user, an IAM role, or the root user (arn:aws:iam::${p.accountId}:root).`,
    );
  }
  if (m[1] !== p.accountId) {
    throw invalidParameter(`The principalArn '${principalArn}' is not in this account (${p.accountId}).`);
  }
  return m[2] === 'root' ? rootPrincipal(p) : principalArn;
}

/** Store key: the account default (root) lives at `default/<name>`, others at `<principalArn>/<name>`. */
export function settingKey(p: Partition, principalArn: string, name: string): string {
  return principalArn === rootPrincipal(p) ? `default/${name}` : `${principalArn}/${name}`;
}

/** The Setting shape ECS returns. */
export function settingView(name: string, value: string, principalArn: string): Setting {
  return { name: name as Setting['name'], value, principalArn, type: SETTING_RULES[name].type };
}

export async function storedSetting(
  reader: Reader,
  p: Partition,
  principalArn: string,
  name: string,
): Promise<Stored<AccountSettingRecord> | undefined> {
  return reader.get<AccountSettingRecord>(Kind.AccountSetting, settingKey(p, principalArn, name));
}

/**
 * The setting `principalArn` has in effect: its own, else the account default (reported for the
 * root principal), else ECS's default. Other handlers use this, e.g. CreateCluster for
 * `containerInsights` and task launch for `defaultLogDriverMode`.
 */
export async function effectiveSetting(
  reader: Reader,
  p: Partition,
  name: string,
  principalArn = rootPrincipal(p),
): Promise<Setting> {
  const own = await storedSetting(reader, p, principalArn, name);
  if (own) return settingView(name, own.value.value, principalArn);
  const root = rootPrincipal(p);
  const account = principalArn === root ? undefined : await storedSetting(reader, p, root, name);
  return settingView(name, account?.value.value ?? SETTING_RULES[name].default, root);
}

/** Writes `principalArn`'s setting in one transaction and returns it as ECS does. */
export async function saveSetting(
  ctx: EcsContext,
  principalArn: string,
  name: string,
  value: string,
): Promise<Setting> {
  const p = ctx.partition;
  if (SETTING_RULES[name].accountOnly && principalArn !== rootPrincipal(p)) {
    throw invalidParameter(
      `The ${name} setting can only be set at the account level. Use PutAccountSettingDefault, or set it for the root user (${rootPrincipal(p)}).`,
    );
  }
  return ctx.store.transact(async (tx) => {
    const current = await storedSetting(tx, p, principalArn, name);
    const record: AccountSettingRecord = { name, value, principalArn };
    await tx.put(
      Kind.AccountSetting,
      settingKey(p, principalArn, name),
      record,
      current ? current.version : 'absent',
    );
    return settingView(name, value, principalArn);
  });
}
