/** How every ELBv2 handler works on its region: one transaction, the region's default VPC made first. */
import { ensureDefaultVpc } from '../ec2/model/index.ts';
import type { Tx } from '../store/store.ts';
import type { Elbv2Context } from './elbv2-service.ts';

/**
 * Runs `fn` in one transaction of the caller's region, after making the region's default VPC if
 * no EC2 call made it yet (load balancers and target groups name its subnets and VPC). Handlers
 * check everything before their first write, so a refused call writes nothing.
 */
export function inRegion<R>(ctx: Elbv2Context, fn: (tx: Tx) => Promise<R>): Promise<R> {
  return ctx.store.transact(async (tx) => {
    await ensureDefaultVpc(tx, ctx);
    return fn(tx);
  });
}
