/** PutImageScanningConfiguration: the repository's scan-on-push setting. */
import type {
  PutImageScanningConfigurationRequest,
  PutImageScanningConfigurationResponse,
} from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { type EcrContext, ecrKeys } from '../model/records.ts';
import { checkRepositoryName, getRepository } from '../model/repositories.ts';

export async function putImageScanningConfiguration(
  ctx: EcrContext,
  input: PutImageScanningConfigurationRequest,
  _request: RequestContext,
): Promise<Wire<PutImageScanningConfigurationResponse>> {
  const name = input.repositoryName!;
  checkRepositoryName(name);
  const scanOnPush = input.imageScanningConfiguration?.scanOnPush ?? false;
  return ctx.store.transact(async (tx) => {
    const { record, version } = await getRepository(tx, ctx, name, input.registryId);
    await tx.put(
      Kind.EcrRepository,
      ecrKeys.repository(name),
      { ...record, imageScanningConfiguration: { scanOnPush } },
      version,
    );
    return {
      registryId: record.registryId,
      repositoryName: name,
      imageScanningConfiguration: { scanOnPush },
    };
  });
}
