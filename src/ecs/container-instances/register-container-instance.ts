/** RegisterContainerInstance: an agent joins a cluster (or re-registers as the same instance). */
import type { Wire } from '../../core/wire.ts';
import type {
  Attribute,
  RegisterContainerInstanceRequest,
  RegisterContainerInstanceResponse,
  Resource,
} from '@aws-sdk/client-ecs';
import { containerInstanceArn } from '../../core/arn.ts';
import { clientException, invalidParameter } from '../model/errors.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName, resourceId } from '../model/lookup.ts';
import { type ContainerInstanceRecord, keys } from '../model/records.ts';
import { validateTags } from '../model/tag-rules.ts';
import { instanceView } from './instance-view.ts';

/** Ports ECS reserves on every instance when the agent sends none: SSH, Docker, the agent. */
export const DEFAULT_RESERVED_PORTS = ['22', '2375', '2376', '51678', '51679'];

export async function registerContainerInstance(
  ctx: EcsContext,
  input: Wire<RegisterContainerInstanceRequest>,
): Promise<Wire<RegisterContainerInstanceResponse>> {
  const cluster = clusterName(ctx, input.cluster);
  validateTags(input.tags);
  const resources = normalizeResources(input.totalResources ?? []);
  const identity = parseIdentity(input.instanceIdentityDocument);
  return ctx.store.transact(async (tx) => {
    await activeCluster(tx, cluster);
    let id = ctx.rng.hex(16);
    let previous: ContainerInstanceRecord | undefined;
    let expect: number | 'absent' = 'absent';
    if (input.containerInstanceArn) {
      const ref = resourceId(ctx, input.containerInstanceArn, 'container-instance');
      const found = await tx.get<ContainerInstanceRecord>(
        Kind.ContainerInstance,
        keys.containerInstance(cluster, ref.id),
      );
      if (!found || found.value.instance.status === 'INACTIVE') {
        throw clientException(
          `Container instance ${input.containerInstanceArn} is not registered in cluster ${cluster}; register without containerInstanceArn.`,
        );
      }
      id = ref.id;
      previous = found.value;
      expect = found.version;
    }
    const now = ctx.clock.now();
    const record: ContainerInstanceRecord = {
      clusterName: cluster,
      instance: {
        containerInstanceArn: containerInstanceArn(ctx.partition, cluster, id),
        ec2InstanceId:
          identity.instanceId ?? previous?.instance.ec2InstanceId ?? `i-${ctx.rng.hex(9).slice(0, 17)}`,
        version: (previous?.instance.version ?? 0) + 1,
        versionInfo: input.versionInfo ?? {},
        registeredResources: resources,
        status: previous?.instance.status ?? 'ACTIVE',
        agentConnected: previous?.instance.agentConnected ?? false,
        attributes: mergeAttributes(previous?.instance.attributes ?? [], input.attributes ?? []),
        registeredAt: previous?.instance.registeredAt ?? now / 1000,
        attachments: [],
        tags: input.tags ?? previous?.instance.tags ?? [],
      },
    };
    await tx.put(Kind.ContainerInstance, keys.containerInstance(cluster, id), record, expect);
    return { containerInstance: instanceView(record, [], ['TAGS']) };
  });
}

/** ECS's resource names and types; PORTS get ECS's reserved defaults when the agent sends none. */
function normalizeResources(total: readonly Resource[]): Resource[] {
  const byName = new Map(total.map((r) => [r.name, r]));
  for (const name of ['CPU', 'MEMORY']) {
    const r = byName.get(name);
    if (r && (r.type !== 'INTEGER' || !Number.isInteger(r.integerValue) || (r.integerValue ?? 0) < 0)) {
      throw invalidParameter(`${name} resource must be of type INTEGER with a non-negative integerValue.`);
    }
  }
  const out: Resource[] = [];
  for (const name of ['CPU', 'MEMORY']) {
    const r = byName.get(name);
    out.push({ name, type: 'INTEGER', doubleValue: 0, longValue: 0, integerValue: r?.integerValue ?? 0 });
  }
  for (const name of ['PORTS', 'PORTS_UDP']) {
    const r = byName.get(name);
    const ports = r?.stringSetValue ?? (name === 'PORTS' ? DEFAULT_RESERVED_PORTS : []);
    out.push({
      name,
      type: 'STRINGSET',
      doubleValue: 0,
      longValue: 0,
      integerValue: 0,
      stringSetValue: ports,
    });
  }
  for (const r of total) {
    if (!['CPU', 'MEMORY', 'PORTS', 'PORTS_UDP'].includes(r.name ?? '')) out.push(r);
  }
  return out;
}

/** Custom and agent attributes: the agent's current set replaces its previous one by name. */
function mergeAttributes(previous: readonly Attribute[], sent: readonly Attribute[]): Attribute[] {
  const byName = new Map(previous.map((a) => [a.name, a]));
  for (const a of sent) {
    if (!a.name) throw invalidParameter('Attribute name can not be blank.');
    byName.set(a.name, { name: a.name, ...(a.value !== undefined ? { value: a.value } : {}) });
  }
  return [...byName.values()];
}

/** The EC2 identity document's instanceId, when an agent sends one. */
function parseIdentity(document: string | undefined): { instanceId?: string } {
  if (!document) return {};
  try {
    const parsed = JSON.parse(document) as { instanceId?: unknown };
    return typeof parsed.instanceId === 'string' ? { instanceId: parsed.instanceId } : {};
  } catch {
    throw invalidParameter('instanceIdentityDocument is not valid JSON.');
  }
}
