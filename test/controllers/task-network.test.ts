/**
 * Task ENIs across a control-plane restart: a task that stopped while the control plane was down
 * (or before it released the address) gets its ENI deleted and its attachment DELETED when the
 * control plane comes back, and an ENI no task holds is swept; nothing is released twice.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { systemClock, systemRng } from '../../src/core/system.ts';
import {
  createTaskNetworkInterface,
  ensureDefaultVpc,
  getNetworkInterface,
  getSubnet,
  listSubnets,
} from '../../src/ec2/model/index.ts';
import type { TaskRecord } from '../../src/ecs/model/records.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { Kind } from '../../src/store/store.ts';
import { waitFor } from '../support/agents.ts';
import { startTestPlane } from '../support/control-plane.ts';

const scope = {
  clock: systemClock,
  rng: systemRng,
  partition: { region: 'us-east-1', accountId: '000000000000' },
};

function stoppedTask(eniId: string, attachmentId: string, subnetId: string): TaskRecord {
  return {
    clusterName: 'default',
    assignmentVersion: 2,
    reportSeq: 3,
    task: {
      taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/default/0123456789abcdef0123456789abcdef',
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      attachments: [{ id: attachmentId, type: 'ElasticNetworkInterface', status: 'ATTACHED', details: [] }],
    },
    network: { eniId, attachmentId, subnetId },
  };
}

describe('task network controller', () => {
  it('releases what a stopped task holds and sweeps orphans when the control plane starts', async () => {
    // The test writes into the SQLite file while the control plane is down.
    const first = await startTestPlane({ controllers: false, embedded: true });
    const dataDir = first.dataDir;
    await first.stop({ keepData: true });

    // While the control plane is down: a STOPPED task still holding its ENI, and an orphan ENI.
    const store = SqliteStore.open(join(dataDir, 'longshore.db'));
    const { held, orphan, subnetId } = await store.transact(async (tx) => {
      await ensureDefaultVpc(tx, scope);
      const subnet = (await listSubnets(tx)).find((s) => s.defaultForAz);
      assert.ok(subnet);
      const eni = (description: string) =>
        createTaskNetworkInterface(tx, scope, {
          subnetId: subnet.subnetId,
          groupIds: [],
          description,
          assignPublicIp: false,
        });
      const held = await eni(
        'arn:aws:ecs:us-east-1:000000000000:attachment/11111111-2222-4333-a444-555555555555',
      );
      const orphan = await eni(
        'arn:aws:ecs:us-east-1:000000000000:attachment/66666666-7777-4888-a999-000000000000',
      );
      await tx.put(
        Kind.Task,
        'default/0123456789abcdef0123456789abcdef',
        stoppedTask(held.networkInterfaceId, '11111111-2222-4333-a444-555555555555', subnet.subnetId),
      );
      return { held: held.networkInterfaceId, orphan: orphan.networkInterfaceId, subnetId: subnet.subnetId };
    });
    const before = (await getSubnet(store, subnetId))?.allocated.length ?? 0;
    await store.close();

    const second = await startTestPlane({ dataDir, controllers: false, embedded: true });
    try {
      const ctx = second.plane.ecs;
      const record = await waitFor('the ENI to be released', async () => {
        const r = await ctx.store.get<TaskRecord>(Kind.Task, 'default/0123456789abcdef0123456789abcdef');
        return r?.value.network?.released ? r.value : undefined;
      });
      assert.equal(record.task.attachments?.[0].status, 'DELETED');
      assert.equal(await getNetworkInterface(ctx.store, held), undefined);
      await waitFor('the orphan to be swept', async () =>
        (await getNetworkInterface(ctx.store, orphan)) ? undefined : true,
      );
      assert.equal(
        (await getSubnet(ctx.store, subnetId))?.allocated.length,
        before - 2,
        'both addresses are free again',
      );
    } finally {
      await second.stop();
    }
  });
});
