/** UpdateCapacityProvider: managed scaling, termination protection and draining of an ASG provider. */
import type { UpdateCapacityProviderRequest, UpdateCapacityProviderResponse } from '@aws-sdk/client-ecs';
import { getGroup } from '../../autoscaling/model/groups.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { CapacityProviderRecord } from '../model/capacity-provider-records.ts';
import type { EcsContext } from '../model/context.ts';
import { clientException, invalidParameter } from '../model/errors.ts';
import { BUILTIN_CAPACITY_PROVIDERS } from '../clusters/cluster-rules.ts';
import { checkTerminationProtection, managedScalingOf } from './capacity-provider-rules.ts';
import { providerView } from './capacity-provider-view.ts';

export async function updateCapacityProvider(
  ctx: EcsContext,
  input: Wire<UpdateCapacityProviderRequest>,
): Promise<Wire<UpdateCapacityProviderResponse>> {
  const ref = input.name ?? '';
  const name = ref.startsWith('arn:') ? (ref.split('/').pop() ?? '') : ref;
  if ((BUILTIN_CAPACITY_PROVIDERS as readonly string[]).includes(name)) {
    throw clientException(`The specified capacity provider '${name}' is reserved and cannot be updated.`);
  }
  const change = input.autoScalingGroupProvider;
  if (!change) throw invalidParameter('autoScalingGroupProvider is required.');
  return ctx.store.transact(async (tx) => {
    const stored = await tx.get<CapacityProviderRecord>(Kind.CapacityProvider, name);
    if (!stored) throw clientException('The specified capacity provider does not exist.');
    const cur = stored.value.provider.autoScalingGroupProvider ?? { autoScalingGroupArn: undefined };
    const next = {
      ...cur,
      managedScaling: change.managedScaling
        ? managedScalingOf(change.managedScaling, cur.managedScaling)
        : cur.managedScaling,
      managedTerminationProtection: change.managedTerminationProtection ?? cur.managedTerminationProtection,
      managedDraining: change.managedDraining ?? cur.managedDraining,
    };
    const group = await getGroup(tx, stored.value.groupName);
    checkTerminationProtection(next, group?.value.newInstancesProtectedFromScaleIn ?? false);
    const record: CapacityProviderRecord = {
      ...stored.value,
      provider: { ...stored.value.provider, autoScalingGroupProvider: next, updateStatus: 'UPDATE_COMPLETE' },
    };
    await tx.put(Kind.CapacityProvider, name, record, stored.version);
    return { capacityProvider: providerView(record, false) };
  });
}
