/**
 * BatchGetRepositoryScanningConfiguration: how each repository is scanned, the registry's rules and
 * its own scanOnPush together (`model/registry-settings.ts`'s `effectiveScanning`, the same answer
 * the push acts on); an unknown repository is a `REPOSITORY_NOT_FOUND` failure.
 */
import type {
  BatchGetRepositoryScanningConfigurationRequest,
  BatchGetRepositoryScanningConfigurationResponse,
} from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { type EcrContext, ecrKeys, type RepositoryRecord } from '../model/records.ts';
import { effectiveScanning, registryScanning } from '../model/registry-settings.ts';
import { checkRepositoryName, invalidParameter } from '../model/repositories.ts';

export async function batchGetRepositoryScanningConfiguration(
  ctx: EcrContext,
  input: BatchGetRepositoryScanningConfigurationRequest,
  _request: RequestContext,
): Promise<Wire<BatchGetRepositoryScanningConfigurationResponse>> {
  const names = input.repositoryNames!;
  if (names.length < 1) {
    throw invalidParameter('repositoryNames', 'Member must have length greater than or equal to 1');
  }
  if (names.length > 25) {
    throw invalidParameter('repositoryNames', 'Member must have length less than or equal to 25');
  }
  for (const name of names) checkRepositoryName(name, 'repositoryNames');
  const config = await registryScanning(ctx.store);
  const scanningConfigurations = [];
  const failures = [];
  for (const name of new Set(names)) {
    const repo = await ctx.store.get<RepositoryRecord>(Kind.EcrRepository, ecrKeys.repository(name));
    if (!repo) {
      failures.push({
        repositoryName: name,
        failureCode: 'REPOSITORY_NOT_FOUND' as const,
        failureReason: 'REPOSITORY_NOT_FOUND',
      });
      continue;
    }
    const effective = effectiveScanning(repo.value, config);
    scanningConfigurations.push({
      repositoryArn: repo.value.repositoryArn,
      repositoryName: name,
      scanOnPush: effective.scanOnPush,
      scanFrequency: effective.scanFrequency,
      appliedScanFilters: effective.appliedScanFilters,
    });
  }
  return { scanningConfigurations, failures };
}
