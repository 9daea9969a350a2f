/** DeleteAccountSetting: removes a principal's own setting, so it falls back to the account default. */
import type { DeleteAccountSettingRequest, DeleteAccountSettingResponse } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../model/errors.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import {
  checkSettingName,
  effectiveSetting,
  resolvePrincipal,
  SETTING_RULES,
  settingKey,
  settingView,
  storedSetting,
} from './setting-rules.ts';

/**
 * Deleting the root user's setting resets the account default to ECS's default. The response is
 * the setting that was removed; when nothing was set for the principal the call changes nothing
 * and returns what is in effect for it. Deleting a long-ARN setting never turns long ARNs off:
 * ECS's default for them is `enabled`.
 */
export async function deleteAccountSetting(
  ctx: EcsContext,
  input: DeleteAccountSettingRequest,
): Promise<DeleteAccountSettingResponse> {
  const name = checkSettingName(input.name);
  if (SETTING_RULES[name].type === 'aws_managed') {
    throw invalidParameter(`The ${name} setting is managed by AWS and is read-only.`);
  }
  const principalArn = resolvePrincipal(ctx.partition, input.principalArn);
  return ctx.store.transact(async (tx) => {
    const current = await storedSetting(tx, ctx.partition, principalArn, name);
    if (!current) return { setting: await effectiveSetting(tx, ctx.partition, name, principalArn) };
    await tx.remove(Kind.AccountSetting, settingKey(ctx.partition, principalArn, name), current.version);
    return { setting: settingView(name, current.value.value, principalArn) };
  });
}
