/** An EC2 client pointed at a test control plane (its own module: the EC2 SDK is large to load). */
import { EC2Client } from '@aws-sdk/client-ec2';
import { TEST_CREDENTIALS } from './control-plane.ts';

export function ec2Client(endpoint: string, region = 'us-east-1'): EC2Client {
  return new EC2Client({ endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
}

/** The region's default VPC and its subnets by zone (us-east-1a ... f), as the tests lay load balancers on them. */
export async function defaultVpcLayout(
  endpoint: string,
  region = 'us-east-1',
): Promise<{ vpcId: string; subnets: Record<string, string>; subnetIds: string[] }> {
  const { DescribeSubnetsCommand, DescribeVpcsCommand } = await import('@aws-sdk/client-ec2');
  const ec2 = ec2Client(endpoint, region);
  try {
    const { Vpcs } = await ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }),
    );
    const vpcId = Vpcs?.[0]?.VpcId ?? '';
    const { Subnets } = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
    );
    const subnets = Object.fromEntries(
      (Subnets ?? []).map((s) => [s.AvailabilityZone ?? '', s.SubnetId ?? '']),
    );
    return {
      vpcId,
      subnets,
      subnetIds: Object.keys(subnets)
        .sort()
        .map((zone) => subnets[zone]),
    };
  } finally {
    ec2.destroy();
  }
}
