/** What the listener certificate operations share: the listener they name, which must be HTTPS or TLS. */
import type { Reader } from '../store/store.ts';
import { isSecure } from './listener-settings.ts';
import { requireListener } from './lookups.ts';
import { validation } from './model/errors.ts';
import type { ListenerRecord } from './model/records.ts';

/** ELBv2's quota: 25 certificates per load balancer besides the default ones. */
export const MAX_ADDITIONAL_CERTIFICATES = 25;

export async function requireSecureListener(reader: Reader, arn: string): Promise<ListenerRecord> {
  const listener = await requireListener(reader, arn);
  if (!isSecure(listener.protocol)) {
    throw validation(`Certificates can only be added to HTTPS and TLS listeners, not '${listener.protocol}'`);
  }
  return listener;
}

/** A listener's certificates as DescribeListenerCertificates answers them: the default first. */
export function listenerCertificates(
  listener: ListenerRecord,
): { CertificateArn: string; IsDefault: boolean }[] {
  return [
    ...listener.certificateArns.map((arn) => ({ CertificateArn: arn, IsDefault: true })),
    ...(listener.additionalCertificateArns ?? []).map((arn) => ({ CertificateArn: arn, IsDefault: false })),
  ];
}
