/** Reading groups and their instances, shared by the handlers and the controllers. */
import { Kind, type Reader } from '../../store/store.ts';
import { type GroupRecord, groupNameOf, groupNotFound, type InstanceRecord, keys } from './records.ts';

export async function getGroup(
  reader: Reader,
  nameOrArn: string,
): Promise<{ value: GroupRecord; version: number } | undefined> {
  return reader.get<GroupRecord>(Kind.AutoScalingGroup, groupNameOf(nameOrArn));
}

export async function requireGroup(
  reader: Reader,
  name: string,
): Promise<{ value: GroupRecord; version: number }> {
  const g = await getGroup(reader, name);
  if (!g) throw groupNotFound(name);
  return g;
}

export async function groupInstances(
  reader: Reader,
  name: string,
): Promise<{ value: InstanceRecord; version: number }[]> {
  return reader.list<InstanceRecord>(Kind.AutoScalingInstance, { prefix: keys.groupInstances(name) });
}

/** The instance by id, in whichever group holds it. */
export async function findInstance(
  reader: Reader,
  instanceId: string,
): Promise<{ value: InstanceRecord; version: number; key: string } | undefined> {
  for (const s of await reader.list<InstanceRecord>(Kind.AutoScalingInstance)) {
    if (s.value.instanceId === instanceId) return { value: s.value, version: s.version, key: s.key };
  }
  return undefined;
}
