/**
 * PutRegistryScanningConfiguration: the region's scanning type and rules. BASIC takes SCAN_ON_PUSH
 * and MANUAL rules, which the push honours (`model/registry-settings.ts`'s `scanOnPushFor`);
 * ENHANCED (Amazon Inspector's scanning) is refused: Longshore has no Inspector, and recording it
 * while scans stayed basic would misreport what runs.
 */
import type {
  PutRegistryScanningConfigurationRequest,
  PutRegistryScanningConfigurationResponse,
} from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { EcrContext } from '../model/records.ts';
import {
  type RegistryScanningRecord,
  registryKeys,
  type ScanFrequency,
  type ScanningRule,
} from '../model/registry-settings.ts';
import { EcrErrorCode, invalidEnum, invalidParameter } from '../model/repositories.ts';

const SCAN_TYPES = ['BASIC', 'ENHANCED'] as const;
const FREQUENCIES: readonly ScanFrequency[] = ['SCAN_ON_PUSH', 'CONTINUOUS_SCAN', 'MANUAL'];
/** The model's pattern for a scanning filter, 1-255 characters. */
const FILTER = /^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$/;

export async function putRegistryScanningConfiguration(
  ctx: EcrContext,
  input: PutRegistryScanningConfigurationRequest,
  _request: RequestContext,
): Promise<Wire<PutRegistryScanningConfigurationResponse>> {
  const record = checkScanningConfiguration(input);
  await ctx.store.transact(async (tx) => {
    const current = await tx.get(Kind.Meta, registryKeys.scanning);
    await tx.put(Kind.Meta, registryKeys.scanning, record, current?.version ?? 'absent');
  });
  return { registryScanningConfiguration: scanningShape(record) };
}

/** The configuration as stored, or ECR's InvalidParameterException / ValidationException. */
export function checkScanningConfiguration(
  input: PutRegistryScanningConfigurationRequest,
): RegistryScanningRecord {
  const scanType = input.scanType ?? 'BASIC';
  if (!(SCAN_TYPES as readonly string[]).includes(scanType)) {
    throw invalidEnum('scanType', scanType, SCAN_TYPES);
  }
  const rules = input.rules ?? [];
  if (rules.length > 2) throw invalidParameter('rules', 'Member must have length less than or equal to 2');
  const out: ScanningRule[] = [];
  for (const rule of rules) {
    const frequency = rule.scanFrequency ?? '';
    if (!(FREQUENCIES as readonly string[]).includes(frequency)) {
      throw invalidEnum('scanFrequency', frequency, FREQUENCIES);
    }
    const filters = rule.repositoryFilters ?? [];
    if (filters.length > 100) {
      throw invalidParameter('repositoryFilters', 'Member must have length less than or equal to 100');
    }
    for (const f of filters) {
      if (f.filterType !== 'WILDCARD') throw invalidEnum('filterType', f.filterType ?? '', ['WILDCARD']);
      const filter = f.filter ?? '';
      if (filter.length < 1 || filter.length > 255) {
        throw invalidParameter('filter', 'Member must have length between 1 and 255');
      }
      if (!FILTER.test(filter)) {
        throw invalidParameter('filter', `Member must satisfy regular expression pattern: ${FILTER.source}`);
      }
    }
    if (out.some((r) => r.scanFrequency === frequency)) {
      throw invalidParameter(
        'rules',
        `Only one rule per scan frequency is allowed: ${frequency} appears twice`,
      );
    }
    out.push({
      scanFrequency: frequency as ScanFrequency,
      repositoryFilters: filters.map((f) => ({ filter: f.filter!, filterType: 'WILDCARD' })),
    });
  }
  if (scanType === 'ENHANCED') {
    throw new ServiceError(
      EcrErrorCode.Validation,
      'Enhanced scanning (Amazon Inspector) is not available in this registry; use the BASIC scan type',
    );
  }
  const continuous = out.find((r) => r.scanFrequency === 'CONTINUOUS_SCAN');
  if (continuous) {
    throw invalidParameter('scanFrequency', 'CONTINUOUS_SCAN is supported only with the ENHANCED scan type');
  }
  return { scanType, rules: out };
}

export function scanningShape(r: RegistryScanningRecord) {
  return {
    scanType: r.scanType,
    rules: r.rules.map((rule) => ({
      scanFrequency: rule.scanFrequency,
      repositoryFilters: rule.repositoryFilters.map((f) => ({ filter: f.filter, filterType: f.filterType })),
    })),
  };
}
