/** What STS handlers work with: IAM's context (root store, clock, randomness, sealer) and the request's partition. */
import type { Partition } from '../core/arn.ts';
import type { IamContext } from '../iam/model/records.ts';

export interface StsContext extends IamContext {
  partition: Partition;
}
