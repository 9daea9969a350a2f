/** PutAccountSettingDefault: sets the account default, which every user and role without its own setting gets. */
import type { PutAccountSettingDefaultRequest, PutAccountSettingDefaultResponse } from '@aws-sdk/client-ecs';
import type { EcsContext } from '../model/context.ts';
import { checkSettingName, checkSettingValue, rootPrincipal, saveSetting } from './setting-rules.ts';

/** ECS reports the account default as the root user's setting. */
export async function putAccountSettingDefault(
  ctx: EcsContext,
  input: PutAccountSettingDefaultRequest,
): Promise<PutAccountSettingDefaultResponse> {
  const name = checkSettingName(input.name);
  const value = checkSettingValue(name, input.value);
  return { setting: await saveSetting(ctx, rootPrincipal(ctx.partition), name, value) };
}
