/** PutAccountSetting: sets one of ECR's registry settings in the region. */
import type { PutAccountSettingRequest, PutAccountSettingResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { EcrContext } from '../model/records.ts';
import { ACCOUNT_SETTINGS, type AccountSettingsRecord, registryKeys } from '../model/registry-settings.ts';
import { invalidParameter } from '../model/repositories.ts';

/** The name must be one ECR knows (BASIC_SCAN_TYPE_VERSION, REGISTRY_POLICY_SCOPE, BLOB_MOUNTING). */
export function checkSettingName(name: string): void {
  if (name.length < 1 || name.length > 64) {
    throw invalidParameter('name', 'Member must have length between 1 and 64');
  }
  if (!(name in ACCOUNT_SETTINGS)) {
    throw invalidParameter(
      'name',
      `Member must satisfy enum value set: [${Object.keys(ACCOUNT_SETTINGS).join(', ')}]`,
    );
  }
}

/**
 * What changes behaviour here: REGISTRY_POLICY_SCOPE (V1 limits a registry policy's actions to the
 * replication and pull through cache ones). BASIC_SCAN_TYPE_VERSION and BLOB_MOUNTING are recorded
 * and answered: scans are Longshore's own whichever version is named, and blobs are shared by every
 * repository of the installation either way (docs/ecr.md).
 */
export async function putAccountSetting(
  ctx: EcrContext,
  input: PutAccountSettingRequest,
  _request: RequestContext,
): Promise<Wire<PutAccountSettingResponse>> {
  const name = input.name!;
  const value = input.value!;
  checkSettingName(name);
  const allowed = ACCOUNT_SETTINGS[name].values;
  if (!allowed.includes(value)) {
    throw invalidParameter('value', `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return ctx.store.transact(async (tx) => {
    const current = await tx.get<AccountSettingsRecord>(Kind.Meta, registryKeys.accountSettings);
    const record: AccountSettingsRecord = { settings: { ...current?.value.settings, [name]: value } };
    await tx.put(Kind.Meta, registryKeys.accountSettings, record, current?.version ?? 'absent');
    return { name, value };
  });
}
