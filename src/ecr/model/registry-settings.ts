/**
 * The registry's own settings, per region as ECR keeps them: the registry policy, the scanning
 * configuration, the replication configuration, the account settings and the repository creation
 * templates (Kind.Meta records of the region), and each image's replication (Kind.EcrReplication). The push (`images.ts`'s
 * `pushManifest`, shared by the registry and PutImage) reads them here: `scanOnPushFor` decides a
 * scan on push, `replicationDestinationsFor` where the image goes.
 */
import { Kind, type Reader } from '../../store/store.ts';
import type { RepositoryRecord } from './records.ts';
import { wildcard } from './repositories.ts';

/** Kind.Meta keys of the region's registry settings. */
export const registryKeys = {
  policy: 'ecr-registry-policy',
  scanning: 'ecr-registry-scanning',
  replication: 'ecr-replication-configuration',
  accountSettings: 'ecr-account-settings',
  template: (prefix: string): string => `ecr-creation-template/${prefix}`,
  templates: 'ecr-creation-template/',
} as const;

// --- the registry policy -------------------------------------------------------------------------

export interface RegistryPolicyRecord {
  policyText: string;
}

// --- account settings ----------------------------------------------------------------------------

/** The settings ECR knows, each with its values and the value an account starts with. */
export const ACCOUNT_SETTINGS: Readonly<Record<string, { values: readonly string[]; initial: string }>> = {
  BASIC_SCAN_TYPE_VERSION: { values: ['AWS_NATIVE', 'CLAIR'], initial: 'AWS_NATIVE' },
  REGISTRY_POLICY_SCOPE: { values: ['V1', 'V2'], initial: 'V2' },
  BLOB_MOUNTING: { values: ['ENABLED', 'DISABLED'], initial: 'DISABLED' },
};

export interface AccountSettingsRecord {
  settings: Record<string, string>;
}

/** A setting's value in the region: the one put, else the account's initial value. */
export async function accountSetting(reader: Reader, name: string): Promise<string> {
  const stored = await reader.get<AccountSettingsRecord>(Kind.Meta, registryKeys.accountSettings);
  return stored?.value.settings[name] ?? ACCOUNT_SETTINGS[name]?.initial ?? '';
}

/** The actions a registry policy may name under REGISTRY_POLICY_SCOPE V1 (V2 takes every ECR action). */
export const V1_REGISTRY_POLICY_ACTIONS: readonly string[] = [
  'ecr:ReplicateImage',
  'ecr:BatchImportUpstreamImage',
  'ecr:CreateRepository',
  'ecr:*',
];

// --- scanning ------------------------------------------------------------------------------------

export type ScanType = 'BASIC' | 'ENHANCED';
export type ScanFrequency = 'SCAN_ON_PUSH' | 'CONTINUOUS_SCAN' | 'MANUAL';

export interface ScanningFilter {
  filter: string;
  filterType: 'WILDCARD';
}

export interface ScanningRule {
  scanFrequency: ScanFrequency;
  repositoryFilters: ScanningFilter[];
}

export interface RegistryScanningRecord {
  scanType: ScanType;
  rules: ScanningRule[];
}

/** What a registry that never set a scanning configuration answers: basic scanning, no rules. */
export const DEFAULT_SCANNING: RegistryScanningRecord = { scanType: 'BASIC', rules: [] };

export async function registryScanning(reader: Reader): Promise<RegistryScanningRecord> {
  return (
    (await reader.get<RegistryScanningRecord>(Kind.Meta, registryKeys.scanning))?.value ?? DEFAULT_SCANNING
  );
}

/**
 * ECR's scanning filters: a filter without `*` matches every name that contains it; with `*`, the
 * whole name, each `*` standing for any run of characters (none included).
 */
export function scanningFilterMatches(filter: string, repositoryName: string): boolean {
  return filter.includes('*') ? wildcard(filter).test(repositoryName) : repositoryName.includes(filter);
}

export interface EffectiveScanning {
  scanFrequency: ScanFrequency;
  scanOnPush: boolean;
  appliedScanFilters: ScanningFilter[];
}

/** The order in which a repository takes the frequency of the rules that match it. */
const FREQUENCY_ORDER: readonly ScanFrequency[] = ['CONTINUOUS_SCAN', 'SCAN_ON_PUSH', 'MANUAL'];

/**
 * How a repository is scanned: the registry rule whose filters match it (the strongest frequency
 * when several do) with the filters that matched, else its own `scanOnPush` flag. A repository
 * with `scanOnPush` keeps scanning on push whatever the rules say.
 */
export function effectiveScanning(
  repository: RepositoryRecord,
  config: RegistryScanningRecord,
): EffectiveScanning {
  const own = repository.imageScanningConfiguration.scanOnPush;
  for (const frequency of FREQUENCY_ORDER) {
    for (const rule of config.rules) {
      if (rule.scanFrequency !== frequency) continue;
      const matched = rule.repositoryFilters.filter((f) =>
        scanningFilterMatches(f.filter, repository.repositoryName),
      );
      if (matched.length === 0) continue;
      return {
        scanFrequency: own && frequency === 'MANUAL' ? 'SCAN_ON_PUSH' : frequency,
        scanOnPush: own || frequency !== 'MANUAL',
        appliedScanFilters: matched.map((f) => ({ filter: f.filter, filterType: f.filterType })),
      };
    }
  }
  return { scanFrequency: own ? 'SCAN_ON_PUSH' : 'MANUAL', scanOnPush: own, appliedScanFilters: [] };
}

/**
 * Whether an image pushed to `repository` is scanned on push: the one question the registry's
 * manifest PUT and PutImage both ask (through `pushManifest`), inside the push's transaction.
 */
export async function scanOnPushFor(reader: Reader, repository: RepositoryRecord): Promise<boolean> {
  if (repository.imageScanningConfiguration.scanOnPush) return true;
  return effectiveScanning(repository, await registryScanning(reader)).scanOnPush;
}

// --- replication ---------------------------------------------------------------------------------

export interface ReplicationDestination {
  region: string;
  registryId: string;
}

export interface ReplicationFilter {
  filter: string;
  filterType: 'PREFIX_MATCH';
}

export interface ReplicationRule {
  destinations: ReplicationDestination[];
  repositoryFilters?: ReplicationFilter[];
}

export interface ReplicationConfigurationRecord {
  rules: ReplicationRule[];
}

export async function replicationConfiguration(
  reader: Reader,
): Promise<ReplicationConfigurationRecord | undefined> {
  return (await reader.get<ReplicationConfigurationRecord>(Kind.Meta, registryKeys.replication))?.value;
}

/** Where an image pushed to `repositoryName` is replicated: every destination of every rule whose filters match it, once. */
export async function replicationDestinationsFor(
  reader: Reader,
  repositoryName: string,
): Promise<ReplicationDestination[]> {
  const config = await replicationConfiguration(reader);
  const out: ReplicationDestination[] = [];
  for (const rule of config?.rules ?? []) {
    const filters = rule.repositoryFilters ?? [];
    if (filters.length > 0 && !filters.some((f) => repositoryName.startsWith(f.filter))) continue;
    for (const d of rule.destinations) {
      if (!out.some((o) => o.region === d.region && o.registryId === d.registryId))
        out.push({ region: d.region, registryId: d.registryId });
    }
  }
  return out;
}

export type ReplicationStatus = 'IN_PROGRESS' | 'COMPLETE' | 'FAILED';

export interface DestinationStatus extends ReplicationDestination {
  status: ReplicationStatus;
  failureCode?: string;
  /** Longshore's own words on a failure (ECR's API has only the code; the log and the record keep this). */
  failureReason?: string;
}

/**
 * Kind.EcrReplication, keyed like the image (`ecrKeys.image`) in the source region: where the
 * image's last push goes and how far each destination got. Written IN_PROGRESS in the push's own
 * transaction; the replication controller (src/controllers/ecr-replication/) completes it.
 */
export interface ReplicationRecord {
  repositoryName: string;
  imageDigest: string;
  /** The image's imagePushedAt: a record left by a deleted image of the same digest is stale. */
  imagePushedAt: number;
  /** Epoch seconds of the push that asked for this replication. */
  requestedAt: number;
  destinations: DestinationStatus[];
}

// --- repository creation templates ---------------------------------------------------------------

export type TemplateScenario = 'REPLICATION' | 'PULL_THROUGH_CACHE' | 'CREATE_ON_PUSH';

/** Kind.Meta `ecr-creation-template/<prefix>`: the settings of repositories ECR creates itself. */
export interface RepositoryTemplateRecord {
  /** As given: a namespace (`prod`, `prod/team`, an assumed `/` after it) or `ROOT`. */
  prefix: string;
  description?: string;
  encryptionConfiguration?: { encryptionType: string; kmsKey?: string };
  resourceTags: { Key: string; Value: string }[];
  imageTagMutability?: 'MUTABLE' | 'IMMUTABLE' | 'MUTABLE_WITH_EXCLUSION' | 'IMMUTABLE_WITH_EXCLUSION';
  imageTagMutabilityExclusionFilters?: { filterType: string; filter: string }[];
  repositoryPolicy?: string;
  lifecyclePolicy?: string;
  appliedFor: TemplateScenario[];
  customRoleArn?: string;
  /** Epoch seconds. */
  createdAt: number;
  updatedAt: number;
}

/**
 * The template a repository ECR creates for `scenario` takes: among the templates applied for it,
 * the one with the longest prefix the name lies under (`prod` covers `prod/app`), else `ROOT`.
 */
export async function templateFor(
  reader: Reader,
  repositoryName: string,
  scenario: TemplateScenario,
): Promise<RepositoryTemplateRecord | undefined> {
  let best: RepositoryTemplateRecord | undefined;
  let root: RepositoryTemplateRecord | undefined;
  for (const { value } of await reader.list<RepositoryTemplateRecord>(Kind.Meta, {
    prefix: registryKeys.templates,
  })) {
    if (!value.appliedFor.includes(scenario)) continue;
    if (value.prefix === 'ROOT') {
      root = value;
      continue;
    }
    const namespace = `${value.prefix.replace(/\/$/, '')}/`;
    if (repositoryName.startsWith(namespace) && (!best || value.prefix.length > best.prefix.length))
      best = value;
  }
  return best ?? root;
}
