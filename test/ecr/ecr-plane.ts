/** Shared by the ECR API tests: a control plane without controllers and an ECR client on it. */
import { ECRClient } from '@aws-sdk/client-ecr';
import { startTestPlane, TEST_CREDENTIALS, type TestPlane } from '../support/control-plane.ts';

/** An ECR client on `endpoint` with the test credentials, without retries. */
export function ecrClient(endpoint: string): ECRClient {
  return new ECRClient({ endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
}

/** A control plane (API only, no service scheduler) and an ECR client on it. */
export async function startEcrPlane(): Promise<{ t: TestPlane; ecr: ECRClient }> {
  const t = await startTestPlane({ controllers: false });
  return { t, ecr: ecrClient(t.plane.endpoint) };
}
