/** PutAccountSetting: sets one setting for a user, a role, or the root user (the account default). */
import type { PutAccountSettingRequest, PutAccountSettingResponse } from '@aws-sdk/client-ecs';
import type { EcsContext } from '../model/context.ts';
import { checkSettingName, checkSettingValue, resolvePrincipal, saveSetting } from './setting-rules.ts';

export async function putAccountSetting(
  ctx: EcsContext,
  input: PutAccountSettingRequest,
): Promise<PutAccountSettingResponse> {
  const name = checkSettingName(input.name);
  const value = checkSettingValue(name, input.value);
  const principalArn = resolvePrincipal(ctx.partition, input.principalArn);
  return { setting: await saveSetting(ctx, principalArn, name, value) };
}
