/** GetRegistryScanningConfiguration: the region's scanning type and rules (BASIC, none, until one is put). */
import type {
  GetRegistryScanningConfigurationRequest,
  GetRegistryScanningConfigurationResponse,
} from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import type { EcrContext } from '../model/records.ts';
import { registryScanning } from '../model/registry-settings.ts';
import { scanningShape } from './put-registry-scanning-configuration.ts';

export async function getRegistryScanningConfiguration(
  ctx: EcrContext,
  _input: GetRegistryScanningConfigurationRequest,
  _request: RequestContext,
): Promise<Wire<GetRegistryScanningConfigurationResponse>> {
  return {
    registryId: ctx.partition.accountId,
    scanningConfiguration: scanningShape(await registryScanning(ctx.store)),
  };
}
