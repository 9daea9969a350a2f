/**
 * ImportCertificate: a PEM certificate and its (unencrypted) private key, optionally with its
 * chain; a new ARN, or the same one when `CertificateArn` re-imports. The key must be the
 * certificate's; an expired certificate is refused, as ACM refuses them.
 */
import type { ImportCertificateRequest, ImportCertificateResponse } from '@aws-sdk/client-acm';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import type { AcmContext } from './acm-context.ts';
import { pemOf, readCertificate } from './certificate-pem.ts';
import { checkTags } from './certificate-tags.ts';
import { type AcmCertificate, findCertificate } from './records.ts';

export async function importCertificate(
  ctx: AcmContext,
  input: Wire<ImportCertificateRequest>,
): Promise<Wire<ImportCertificateResponse>> {
  const certificatePem = pemOf(input.Certificate, 'Certificate');
  const privateKeyPem = pemOf(input.PrivateKey, 'PrivateKey');
  const chainPem =
    input.CertificateChain !== undefined ? pemOf(input.CertificateChain, 'CertificateChain') : undefined;
  const facts = readCertificate(certificatePem, privateKeyPem);
  const tags = checkTags(input.Tags ?? []);
  if (input.CertificateArn !== undefined && tags.length > 0) {
    throw new ServiceError(
      'ValidationException',
      'Tags cannot be specified when you reimport a certificate.',
    );
  }
  const now = ctx.clock.now();
  return ctx.store.transact(async (tx) => {
    const existing =
      input.CertificateArn !== undefined ? await findCertificate(tx, input.CertificateArn) : undefined;
    const { region, accountId } = ctx.partition;
    const arn = existing?.arn ?? `arn:aws:acm:${region}:${accountId}:certificate/${uuid(ctx)}`;
    const record: AcmCertificate = {
      arn,
      certificatePem,
      privateKeyPem,
      ...(chainPem ? { chainPem } : {}),
      createdAt: existing?.createdAt ?? now,
      acm: { facts, tags: existing?.acm?.tags ?? tags, importedAt: now },
    };
    await tx.put(Kind.Elbv2Certificate, arn, record, existing ? undefined : 'absent');
    return { CertificateArn: arn };
  });
}

function uuid(ctx: AcmContext): string {
  const h = ctx.rng.hex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
