/** RemoveListenerCertificates: removes added certificates from a listener; its default one stays (OperationNotPermitted). */
import type { RemoveListenerCertificatesInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { requireSecureListener } from './listener-certificates.ts';
import { checkArn } from './lookups.ts';
import { operationNotPermitted } from './model/attributes.ts';
import { validation } from './model/errors.ts';
import type { ListenerRecord } from './model/records.ts';
import { inRegion } from './region.ts';

export async function removeListenerCertificates(
  ctx: Elbv2Context,
  input: Wire<RemoveListenerCertificatesInput>,
  _request: RequestContext,
): Promise<object> {
  checkArn(input.ListenerArn ?? '', 'listener');
  const arns = (input.Certificates ?? []).map((c) => c.CertificateArn ?? '');
  if (arns.length === 0) throw validation('At least one certificate must be specified');
  return inRegion(ctx, async (tx) => {
    const listener = await requireSecureListener(tx, input.ListenerArn ?? '');
    if (arns.some((arn) => listener.certificateArns.includes(arn))) {
      throw operationNotPermitted(
        "A listener's default certificate cannot be removed; replace it with ModifyListener",
      );
    }
    const kept = (listener.additionalCertificateArns ?? []).filter((arn) => !arns.includes(arn));
    await tx.put<ListenerRecord>(Kind.Elbv2Listener, listener.arn, {
      ...listener,
      additionalCertificateArns: kept,
    });
    return {};
  });
}
