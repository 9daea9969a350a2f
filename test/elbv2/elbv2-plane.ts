/** A control plane (without its load balancer data plane) with ELBv2 and EC2 clients pointed at it, and the default VPC's layout, for the API tests of test/elbv2/. */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { importCertificate } from '../../src/elbv2/model/certificates.ts';
import { defaultVpcLayout, ec2Client } from '../support/ec2-client.ts';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

export interface Elbv2Plane {
  t: TestPlane;
  elb: ElasticLoadBalancingV2Client;
  ec2: EC2Client;
  /** The default VPC of us-east-1 and its subnets by zone (us-east-1a ... f). */
  vpcId: string;
  subnets: Record<string, string>;
  /** Stores a certificate through the model (Longshore has no ACM API) and returns its ARN. */
  certificate(): Promise<string>;
  stop(): Promise<void>;
}

export function elbv2Client(endpoint: string, region = 'us-east-1'): ElasticLoadBalancingV2Client {
  return new ElasticLoadBalancingV2Client({
    endpoint,
    region,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
}

export const TEST_CERT_PEM = '-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n';
export const TEST_KEY_PEM = '-----BEGIN PRIVATE KEY-----\nMIIEtest\n-----END PRIVATE KEY-----\n';

/**
 * Stops the plane's load balancer data plane: these are the API's tests, and a data plane health
 * checking their made-up targets would report health while they assert it. What a data plane
 * reports is fed through the model instead (`recordTargetHealth`, `forgetDrainedTarget`).
 */
export async function withoutDataplane(t: TestPlane): Promise<void> {
  await t.plane.loadBalancers.close();
}

export async function startElbv2Plane(): Promise<Elbv2Plane> {
  const t = await startTestPlane({ controllers: false });
  await withoutDataplane(t);
  const elb = elbv2Client(t.plane.endpoint);
  const ec2 = ec2Client(t.plane.endpoint);
  const { vpcId, subnets } = await defaultVpcLayout(t.plane.endpoint);
  return {
    t,
    elb,
    ec2,
    vpcId,
    subnets,
    async certificate() {
      const ctx = t.plane.regions.context('us-east-1');
      const record = await importCertificate(ctx.store, ctx, {
        certificatePem: TEST_CERT_PEM,
        privateKeyPem: TEST_KEY_PEM,
      });
      return record.arn;
    },
    async stop() {
      elb.destroy();
      ec2.destroy();
      await t.stop();
    },
  };
}
