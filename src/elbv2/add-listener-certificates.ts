/** AddListenerCertificates: certificates an HTTPS or TLS listener serves besides its default (by SNI), all or none. */
import type {
  AddListenerCertificatesInput,
  AddListenerCertificatesOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { MAX_ADDITIONAL_CERTIFICATES, requireSecureListener } from './listener-certificates.ts';
import { checkArn } from './lookups.ts';
import { getCertificate } from './model/certificates.ts';
import { certificateNotFound, Elbv2ErrorCode, validation } from './model/errors.ts';
import type { ListenerRecord } from './model/records.ts';
import { inRegion } from './region.ts';

export async function addListenerCertificates(
  ctx: Elbv2Context,
  input: Wire<AddListenerCertificatesInput>,
  _request: RequestContext,
): Promise<Wire<AddListenerCertificatesOutput>> {
  checkArn(input.ListenerArn ?? '', 'listener');
  const arns = (input.Certificates ?? []).map((c) => c.CertificateArn ?? '');
  if (arns.length === 0) throw validation('At least one certificate must be specified');
  return inRegion(ctx, async (tx) => {
    const listener = await requireSecureListener(tx, input.ListenerArn ?? '');
    for (const arn of arns) if (!(await getCertificate(tx, arn))) throw certificateNotFound(arn);
    const added = new Set(listener.additionalCertificateArns ?? []);
    for (const arn of arns) if (!listener.certificateArns.includes(arn)) added.add(arn);
    if (added.size > MAX_ADDITIONAL_CERTIFICATES) {
      throw new ServiceError(
        Elbv2ErrorCode.TooManyCertificates,
        `A listener can have at most ${MAX_ADDITIONAL_CERTIFICATES} certificates besides its default certificate`,
      );
    }
    const updated: ListenerRecord = { ...listener, additionalCertificateArns: [...added] };
    await tx.put(Kind.Elbv2Listener, listener.arn, updated);
    return {
      Certificates: arns.map((arn) => ({
        CertificateArn: arn,
        IsDefault: listener.certificateArns.includes(arn),
      })),
    };
  });
}
