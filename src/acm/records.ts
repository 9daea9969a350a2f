/**
 * ACM certificates as stored: the ELBv2 certificate record HTTPS and TLS listeners name (its PEM
 * and key, `Kind.Elbv2Certificate`, keyed by ARN), with what ACM adds (`acm`: what the
 * certificate says, tags, import time). Lookups answer ACM's errors.
 */
import { ServiceError } from '../core/errors.ts';
import { type CertificateRecord, listListeners } from '../elbv2/model/index.ts';
import { Kind, type Reader } from '../store/store.ts';
import type { CertificateFacts } from './certificate-pem.ts';

export interface AcmCertificate extends CertificateRecord {
  acm?: {
    facts: CertificateFacts;
    tags: { Key: string; Value?: string }[];
    importedAt: number;
  };
}

const ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;

export const notFound = (arn: string) =>
  new ServiceError('ResourceNotFoundException', `Could not find certificate ${arn}.`);

export function checkArn(arn: unknown): string {
  if (typeof arn !== 'string' || !ARN.test(arn)) {
    throw new ServiceError('InvalidArnException', `String '${String(arn)}' is not a valid ARN.`);
  }
  return arn;
}

export async function findCertificate(reader: Reader, arn: unknown): Promise<AcmCertificate> {
  const checked = checkArn(arn);
  const stored = await reader.get<AcmCertificate>(Kind.Elbv2Certificate, checked);
  if (!stored) throw notFound(checked);
  return stored.value;
}

export async function listCertificateRecords(reader: Reader): Promise<AcmCertificate[]> {
  return (await reader.list<AcmCertificate>(Kind.Elbv2Certificate)).map((r) => r.value);
}

/** The load balancers whose listeners name the certificate (ACM's InUseBy). */
export async function inUseBy(reader: Reader, arn: string): Promise<string[]> {
  const lbs = new Set<string>();
  for (const l of await listListeners(reader)) {
    const names = [...(l.certificateArns ?? []), ...(l.additionalCertificateArns ?? [])];
    if (names.includes(arn)) lbs.add(l.loadBalancerArn);
  }
  return [...lbs].sort();
}
