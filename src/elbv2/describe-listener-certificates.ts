/** DescribeListenerCertificates: an HTTPS or TLS listener's certificates, the default one first (IsDefault), paged. */
import type {
  DescribeListenerCertificatesInput,
  DescribeListenerCertificatesOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { listenerCertificates } from './listener-certificates.ts';
import { requireListener } from './lookups.ts';
import { elbPage, orderKey } from './paging.ts';
import { inRegion } from './region.ts';

export async function describeListenerCertificates(
  ctx: Elbv2Context,
  input: Wire<DescribeListenerCertificatesInput>,
  _request: RequestContext,
): Promise<Wire<DescribeListenerCertificatesOutput>> {
  return inRegion(ctx, async (tx) => {
    const listener = await requireListener(tx, input.ListenerArn ?? '');
    const certificates = listenerCertificates(listener).map((c, i) => ({
      c,
      key: orderKey(i, c.CertificateArn),
    }));
    const page = elbPage(certificates, (x) => x.key, input);
    return { Certificates: page.items.map((x) => x.c), NextMarker: page.NextMarker };
  });
}
