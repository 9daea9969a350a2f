/** DeleteCertificate: refused while a load balancer's listener uses it (ResourceInUseException), as ACM does. */
import type { DeleteCertificateRequest } from '@aws-sdk/client-acm';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import type { AcmContext } from './acm-context.ts';
import { findCertificate, inUseBy } from './records.ts';

export async function deleteCertificate(
  ctx: AcmContext,
  input: Wire<DeleteCertificateRequest>,
): Promise<object> {
  await ctx.store.transact(async (tx) => {
    const cert = await findCertificate(tx, input.CertificateArn);
    const users = await inUseBy(tx, cert.arn);
    if (users.length > 0) {
      throw new ServiceError(
        'ResourceInUseException',
        `Certificate ${cert.arn} in use by ${users.join(', ')}`,
      );
    }
    await tx.remove(Kind.Elbv2Certificate, cert.arn);
  });
  return {};
}
