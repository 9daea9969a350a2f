/** ListAccountSettings: a principal's own settings, or (effectiveSettings) what is in effect for it. */
import type { ListAccountSettingsRequest, ListAccountSettingsResponse, Setting } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../model/errors.ts';
import type { EcsContext } from '../model/context.ts';
import { paginate } from '../../aws/pagination.ts';
import {
  checkSettingName,
  effectiveSetting,
  resolvePrincipal,
  SETTING_NAMES,
  settingView,
  storedSetting,
} from './setting-rules.ts';

/**
 * Without effectiveSettings only what was set explicitly for the principal is listed (for the root
 * user: the account defaults that were set). With it, every setting is listed once, resolved
 * principal -> account default -> ECS default; inherited ones name the root user as principal.
 * Paged 10 at a time in name order.
 */
export async function listAccountSettings(
  ctx: EcsContext,
  input: ListAccountSettingsRequest,
): Promise<ListAccountSettingsResponse> {
  const names = input.name !== undefined ? [checkSettingName(input.name)] : SETTING_NAMES;
  if (input.value !== undefined && input.name === undefined) {
    throw invalidParameter('The value filter can only be used together with a setting name.');
  }
  const principalArn = resolvePrincipal(ctx.partition, input.principalArn);
  const settings: Setting[] = [];
  for (const name of names) {
    if (input.effectiveSettings) {
      settings.push(await effectiveSetting(ctx.store, ctx.partition, name, principalArn));
      continue;
    }
    const own = await storedSetting(ctx.store, ctx.partition, principalArn, name);
    if (own) settings.push(settingView(name, own.value.value, principalArn));
  }
  const matching = input.value === undefined ? settings : settings.filter((s) => s.value === input.value);
  const page = paginate(matching, (s) => s.name ?? '', input, { max: 10, default: 10 });
  return { settings: page.items, nextToken: page.nextToken };
}
