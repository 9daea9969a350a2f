/** ListCertificates: summaries, filtered by status and key type, paged (MaxItems 1..1000, an opaque NextToken). */
import type {
  CertificateSummary,
  ListCertificatesRequest,
  ListCertificatesResponse,
} from '@aws-sdk/client-acm';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import type { AcmContext } from './acm-context.ts';
import { statusOf } from './describe-certificate.ts';
import { inUseBy, listCertificateRecords } from './records.ts';

/** Without a key-type filter ACM lists RSA_1024, RSA_2048 and the EC keys are left out (as ACM does). */
const DEFAULT_KEY_TYPES = ['RSA_1024', 'RSA_2048'];

export async function listCertificates(
  ctx: AcmContext,
  input: Wire<ListCertificatesRequest>,
): Promise<Wire<ListCertificatesResponse>> {
  const max = input.MaxItems ?? 1000;
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw new ServiceError(
      'ValidationException',
      `Value '${max}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`,
    );
  }
  let start = 0;
  if (input.NextToken !== undefined) {
    start = Number(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0)
      throw new ServiceError('InvalidArgsException', 'The nextToken is not valid.');
  }
  const now = ctx.clock.now();
  const statuses = input.CertificateStatuses ?? [];
  const keyTypes = input.Includes?.keyTypes ?? DEFAULT_KEY_TYPES;
  return ctx.store.transact(async (tx) => {
    const all = (await listCertificateRecords(tx))
      .filter((c) => statuses.length === 0 || statuses.includes(statusOf(c, now) as never))
      .filter((c) => keyTypes.includes((c.acm?.facts.keyAlgorithm ?? 'RSA_2048') as never))
      .sort((a, b) => a.createdAt - b.createdAt || (a.arn < b.arn ? -1 : 1));
    const page = all.slice(start, start + max);
    const summaries: Wire<CertificateSummary>[] = [];
    for (const c of page) {
      const f = c.acm?.facts;
      summaries.push({
        CertificateArn: c.arn,
        DomainName: f?.domainName ?? '',
        SubjectAlternativeNameSummaries: f?.subjectAlternativeNames ?? [],
        HasAdditionalSubjectAlternativeNames: false,
        Status: statusOf(c, now) as never,
        Type: 'IMPORTED',
        KeyAlgorithm: (f?.keyAlgorithm ?? 'RSA_2048') as never,
        InUse: (await inUseBy(tx, c.arn)).length > 0,
        RenewalEligibility: 'INELIGIBLE',
        NotBefore: ((f?.notBefore ?? 0) / 1000) as never,
        NotAfter: ((f?.notAfter ?? 0) / 1000) as never,
        CreatedAt: (c.createdAt / 1000) as never,
        ImportedAt: ((c.acm?.importedAt ?? c.createdAt) / 1000) as never,
      });
    }
    const next =
      start + max < all.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
    return { CertificateSummaryList: summaries, ...(next ? { NextToken: next } : {}) };
  });
}
