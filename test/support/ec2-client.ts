/** An EC2 client pointed at a test control plane (its own module: the EC2 SDK is large to load). */
import { EC2Client } from '@aws-sdk/client-ec2';
import { TEST_CREDENTIALS } from './control-plane.ts';

export function ec2Client(endpoint: string, region = 'us-east-1'): EC2Client {
  return new EC2Client({ endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
}
