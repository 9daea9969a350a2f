/**
 * PutReplicationConfiguration: the region's replication rules (destinations, PREFIX_MATCH
 * repository filters). Images pushed afterwards to a repository a rule matches are replicated by
 * the replication controller (src/controllers/ecr-replication/); what was there before is not, as
 * on ECR. A destination in another account is accepted, as ECR accepts it, and its replications
 * end FAILED (`REGISTRY_NOT_FOUND`): this installation holds one account's registry.
 */
import type {
  PutReplicationConfigurationRequest,
  PutReplicationConfigurationResponse,
  ReplicationConfiguration,
} from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { EcrContext } from '../model/records.ts';
import {
  type ReplicationConfigurationRecord,
  type ReplicationRule,
  registryKeys,
} from '../model/registry-settings.ts';
import { invalidEnum, invalidParameter } from '../model/repositories.ts';

/** ECR's limits: 10 rules, 25 distinct destinations over all of them, 100 filters per rule. */
const MAX_RULES = 10;
const MAX_DESTINATIONS = 25;
const MAX_FILTERS = 100;
const REGION = /^[0-9a-z-]{2,25}$/;
const REGISTRY_ID = /^[0-9]{12}$/;
/** The model's pattern for a prefix filter, 2-256 characters. */
const PREFIX = /^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*\/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$/;

export async function putReplicationConfiguration(
  ctx: EcrContext,
  input: PutReplicationConfigurationRequest,
  _request: RequestContext,
): Promise<Wire<PutReplicationConfigurationResponse>> {
  const record = checkReplicationConfiguration(ctx, input.replicationConfiguration!);
  await ctx.store.transact(async (tx) => {
    const current = await tx.get(Kind.Meta, registryKeys.replication);
    await tx.put(Kind.Meta, registryKeys.replication, record, current?.version ?? 'absent');
  });
  return { replicationConfiguration: replicationConfigurationShape(record) };
}

/** The configuration as stored, or ECR's InvalidParameterException. */
export function checkReplicationConfiguration(
  ctx: EcrContext,
  config: ReplicationConfiguration,
): ReplicationConfigurationRecord {
  const rules = config.rules ?? [];
  if (rules.length > MAX_RULES) {
    throw invalidParameter(
      'replicationConfiguration.rules',
      `Member must have length less than or equal to ${MAX_RULES}`,
    );
  }
  const out: ReplicationRule[] = [];
  const distinct = new Set<string>();
  for (const rule of rules) {
    const destinations = rule.destinations ?? [];
    if (destinations.length < 1) {
      throw invalidParameter(
        'replicationConfiguration.rules.destinations',
        'Member must have length greater than or equal to 1',
      );
    }
    for (const d of destinations) {
      if (!REGION.test(d.region ?? '')) {
        throw invalidParameter('region', 'Member must satisfy regular expression pattern: [0-9a-z-]{2,25}');
      }
      if (!REGISTRY_ID.test(d.registryId ?? '')) {
        throw invalidParameter('registryId', 'Member must satisfy regular expression pattern: [0-9]{12}');
      }
      if (d.region === ctx.partition.region && d.registryId === ctx.partition.accountId) {
        throw invalidParameter(
          'replicationConfiguration',
          'Replication destination cannot be the same as the source registry',
        );
      }
      distinct.add(`${d.registryId}/${d.region}`);
    }
    const filters = rule.repositoryFilters;
    if (filters !== undefined) {
      if (filters.length < 1 || filters.length > MAX_FILTERS) {
        throw invalidParameter(
          'replicationConfiguration.rules.repositoryFilters',
          `Member must have length between 1 and ${MAX_FILTERS}`,
        );
      }
      for (const f of filters) {
        if (f.filterType !== 'PREFIX_MATCH')
          throw invalidEnum('filterType', f.filterType ?? '', ['PREFIX_MATCH']);
        const filter = f.filter ?? '';
        if (filter.length < 2 || filter.length > 256) {
          throw invalidParameter('filter', 'Member must have length between 2 and 256');
        }
        if (!PREFIX.test(filter)) {
          throw invalidParameter(
            'filter',
            `Member must satisfy regular expression pattern: ${PREFIX.source}`,
          );
        }
      }
    }
    out.push({
      destinations: destinations.map((d) => ({ region: d.region!, registryId: d.registryId! })),
      ...(filters
        ? {
            repositoryFilters: filters.map((f) => ({
              filter: f.filter!,
              filterType: 'PREFIX_MATCH' as const,
            })),
          }
        : {}),
    });
  }
  if (distinct.size > MAX_DESTINATIONS) {
    throw invalidParameter(
      'replicationConfiguration',
      `A replication configuration may contain at most ${MAX_DESTINATIONS} unique destinations`,
    );
  }
  return { rules: out };
}

export function replicationConfigurationShape(r: ReplicationConfigurationRecord) {
  return {
    rules: r.rules.map((rule) => ({
      destinations: rule.destinations.map((d) => ({ region: d.region, registryId: d.registryId })),
      ...(rule.repositoryFilters
        ? {
            repositoryFilters: rule.repositoryFilters.map((f) => ({
              filter: f.filter,
              filterType: f.filterType,
            })),
          }
        : {}),
    })),
  };
}
