/** DescribeCertificate and GetCertificate: an imported certificate's details (ACM's CertificateDetail) and its PEM. */
import type {
  CertificateDetail,
  DescribeCertificateRequest,
  DescribeCertificateResponse,
  GetCertificateRequest,
  GetCertificateResponse,
} from '@aws-sdk/client-acm';
import type { Wire } from '../core/wire.ts';
import type { Reader } from '../store/store.ts';
import type { AcmContext } from './acm-context.ts';
import { type AcmCertificate, findCertificate, inUseBy } from './records.ts';

const seconds = (ms: number) => ms / 1000;

/** The certificate's status as ACM computes it for imported ones: ISSUED until NotAfter, then EXPIRED. */
export function statusOf(cert: AcmCertificate, now: number): string {
  const notAfter = cert.acm?.facts.notAfter ?? 0;
  return notAfter > 0 && notAfter < now ? 'EXPIRED' : 'ISSUED';
}

export async function certificateDetail(
  reader: Reader,
  cert: AcmCertificate,
  now: number,
): Promise<Wire<CertificateDetail>> {
  const f = cert.acm?.facts;
  return {
    CertificateArn: cert.arn,
    DomainName: f?.domainName ?? '',
    SubjectAlternativeNames: f?.subjectAlternativeNames ?? [],
    Serial: f?.serial ?? '',
    Subject: f?.subject ?? '',
    Issuer: f?.issuer ?? '',
    ImportedAt: seconds(cert.acm?.importedAt ?? cert.createdAt) as never,
    CreatedAt: seconds(cert.createdAt) as never,
    Status: statusOf(cert, now) as never,
    NotBefore: seconds(f?.notBefore ?? 0) as never,
    NotAfter: seconds(f?.notAfter ?? 0) as never,
    KeyAlgorithm: (f?.keyAlgorithm ?? 'RSA_2048') as never,
    InUseBy: await inUseBy(reader, cert.arn),
    Type: 'IMPORTED',
    RenewalEligibility: 'INELIGIBLE',
    Options: { CertificateTransparencyLoggingPreference: 'ENABLED' },
  };
}

export async function describeCertificate(
  ctx: AcmContext,
  input: Wire<DescribeCertificateRequest>,
): Promise<Wire<DescribeCertificateResponse>> {
  return ctx.store.transact(async (tx) => {
    const cert = await findCertificate(tx, input.CertificateArn);
    return { Certificate: await certificateDetail(tx, cert, ctx.clock.now()) };
  });
}

export async function getCertificate(
  ctx: AcmContext,
  input: Wire<GetCertificateRequest>,
): Promise<Wire<GetCertificateResponse>> {
  const cert = await findCertificate(ctx.store, input.CertificateArn);
  return { Certificate: cert.certificatePem, ...(cert.chainPem ? { CertificateChain: cert.chainPem } : {}) };
}
