/** A control plane with an EC2 client pointed at it, for the tests of test/ec2/. */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { createTaskNetworkInterface } from '../../src/ec2/model/network-interfaces.ts';
import { ec2Client } from '../support/ec2-client.ts';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';

export interface Ec2Plane {
  t: TestPlane;
  ec2: EC2Client;
  client(region: string): EC2Client;
  /** Makes an awsvpc task's ENI the way ECS does (through the model, in the region's store). */
  taskEni(
    subnetId: string,
    groupIds?: string[],
    region?: string,
  ): ReturnType<typeof createTaskNetworkInterface>;
  stop(): Promise<void>;
}

export async function startEc2Plane(): Promise<Ec2Plane> {
  const t = await startTestPlane({ controllers: false });
  const clients: EC2Client[] = [];
  const client = (region: string) => {
    const c = ec2Client(t.plane.endpoint, region);
    clients.push(c);
    return c;
  };
  return {
    t,
    ec2: client('us-east-1'),
    client,
    taskEni(subnetId, groupIds = [], region = 'us-east-1') {
      const ctx = t.plane.regions.context(region);
      return ctx.store.transact((tx) =>
        createTaskNetworkInterface(tx, ctx, {
          subnetId,
          groupIds,
          description: `arn:aws:ecs:${region}:000000000000:attachment/7d4f3c2a-1b2c-4d5e-8f90-123456789abc`,
          assignPublicIp: false,
        }),
      );
    },
    async stop() {
      for (const c of clients) c.destroy();
      await t.stop();
    },
  };
}
