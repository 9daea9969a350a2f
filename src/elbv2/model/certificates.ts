/**
 * Certificates HTTPS and TLS listeners name: `Kind.Elbv2Certificate` records, keyed by an
 * ACM-shaped ARN (`arn:aws:acm:<region>:<account>:certificate/<uuid>`), put there by
 * `importCertificate` (tests, tools) or by an ACM API that keeps its certificates in the same
 * records. CreateListener refuses any other ARN with CertificateNotFound.
 */
import { Kind, type Reader, type Store, type Tx } from '../../store/store.ts';
import type { CertificateRecord, Elbv2Scope } from './records.ts';

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const KEY = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/;

/** A UUID from the scope's Rng (ACM names certificates by UUID). */
function uuid(scope: Elbv2Scope): string {
  const h = scope.rng.hex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Stores a certificate and its key (PEM) in the region's store (or in a transaction of it) and
 * returns its record; throws when either is not PEM.
 */
export async function importCertificate(
  target: Store | Tx,
  scope: Elbv2Scope,
  input: { certificatePem: string; privateKeyPem: string; chainPem?: string },
): Promise<CertificateRecord> {
  if (!PEM.test(input.certificatePem)) throw new Error('the certificate is not a PEM certificate');
  if (!KEY.test(input.privateKeyPem)) throw new Error('the private key is not a PEM private key');
  if ('transact' in target) return target.transact((tx) => importCertificate(tx, scope, input));
  const tx = target;
  const { region, accountId } = scope.partition;
  const record: CertificateRecord = {
    arn: `arn:aws:acm:${region}:${accountId}:certificate/${uuid(scope)}`,
    certificatePem: input.certificatePem,
    privateKeyPem: input.privateKeyPem,
    ...(input.chainPem ? { chainPem: input.chainPem } : {}),
    createdAt: scope.clock.now(),
  };
  await tx.put(Kind.Elbv2Certificate, record.arn, record, 'absent');
  return record;
}

export async function getCertificate(reader: Reader, arn: string): Promise<CertificateRecord | undefined> {
  return (await reader.get<CertificateRecord>(Kind.Elbv2Certificate, arn))?.value;
}
