/** GetAccountSetting: a registry setting's value in the region (the initial value until one is put). */
import type { GetAccountSettingRequest, GetAccountSettingResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import type { EcrContext } from '../model/records.ts';
import { accountSetting } from '../model/registry-settings.ts';
import { checkSettingName } from './put-account-setting.ts';

export async function getAccountSetting(
  ctx: EcrContext,
  input: GetAccountSettingRequest,
  _request: RequestContext,
): Promise<Wire<GetAccountSettingResponse>> {
  const name = input.name!;
  checkSettingName(name);
  return { name, value: await accountSetting(ctx.store, name) };
}
