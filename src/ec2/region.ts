/** How every EC2 handler works on its region: one transaction, the default VPC made first. */
import { ensureDefaultVpc } from './model/default-vpc.ts';
import { dryRun } from './model/errors.ts';
import type { Tx } from '../store/store.ts';
import type { Ec2Context } from './ec2-service.ts';

/**
 * Runs `fn` in one transaction of the caller's region, after making the region's default VPC if
 * this is its first EC2 call (so a fresh account sees it, as in AWS).
 */
export function inRegion<R>(ctx: Ec2Context, fn: (tx: Tx) => Promise<R>): Promise<R> {
  return ctx.store.transact(async (tx) => {
    await ensureDefaultVpc(tx, ctx);
    return fn(tx);
  });
}

/**
 * DryRun: EC2 checks the caller's permissions and answers DryRunOperation without doing anything.
 * Every caller here holds the account's root keys, so a well-formed request always would succeed.
 */
export function refuseDryRun(input: { DryRun?: boolean }): void {
  if (input.DryRun) throw dryRun();
}
