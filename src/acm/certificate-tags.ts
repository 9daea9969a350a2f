/** AddTagsToCertificate, RemoveTagsFromCertificate, ListTagsForCertificate; ACM's tag rules (50 per certificate, `aws:` reserved). */
import type {
  AddTagsToCertificateRequest,
  ListTagsForCertificateRequest,
  ListTagsForCertificateResponse,
  RemoveTagsFromCertificateRequest,
  Tag,
} from '@aws-sdk/client-acm';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import type { AcmContext } from './acm-context.ts';
import { type AcmCertificate, findCertificate } from './records.ts';

const MAX_TAGS = 50;

export function checkTags(tags: readonly Wire<Tag>[]): { Key: string; Value?: string }[] {
  for (const t of tags) {
    if (typeof t.Key !== 'string' || t.Key.length < 1 || t.Key.length > 128) {
      throw new ServiceError('InvalidTagException', 'Tag keys must be 1 to 128 characters.');
    }
    if (t.Key.startsWith('aws:')) {
      throw new ServiceError('InvalidTagException', `Tag key '${t.Key}' uses the reserved prefix aws:.`);
    }
    if (t.Value !== undefined && t.Value.length > 256) {
      throw new ServiceError('InvalidTagException', 'Tag values must be at most 256 characters.');
    }
  }
  if (tags.length > MAX_TAGS)
    throw new ServiceError('TooManyTagsException', 'A certificate can have at most 50 tags.');
  return tags.map((t) => ({ Key: t.Key as string, ...(t.Value !== undefined ? { Value: t.Value } : {}) }));
}

async function withTags(
  ctx: AcmContext,
  arn: unknown,
  change: (tags: { Key: string; Value?: string }[]) => { Key: string; Value?: string }[],
): Promise<void> {
  await ctx.store.transact(async (tx) => {
    const cert = await findCertificate(tx, arn);
    const tags = change(cert.acm?.tags ?? []);
    if (tags.length > MAX_TAGS)
      throw new ServiceError('TooManyTagsException', 'A certificate can have at most 50 tags.');
    const next: AcmCertificate = {
      ...cert,
      acm: {
        facts: cert.acm?.facts ?? emptyFacts(),
        importedAt: cert.acm?.importedAt ?? cert.createdAt,
        tags,
      },
    };
    await tx.put(Kind.Elbv2Certificate, cert.arn, next);
  });
}

const emptyFacts = () => ({
  domainName: '',
  subjectAlternativeNames: [],
  subject: '',
  issuer: '',
  serial: '',
  notBefore: 0,
  notAfter: 0,
  keyAlgorithm: 'RSA_2048',
});

export async function addTagsToCertificate(
  ctx: AcmContext,
  input: Wire<AddTagsToCertificateRequest>,
): Promise<object> {
  const added = checkTags(input.Tags ?? []);
  await withTags(ctx, input.CertificateArn, (tags) => {
    const byKey = new Map(tags.map((t) => [t.Key, t]));
    for (const t of added) byKey.set(t.Key, t);
    return [...byKey.values()];
  });
  return {};
}

export async function removeTagsFromCertificate(
  ctx: AcmContext,
  input: Wire<RemoveTagsFromCertificateRequest>,
): Promise<object> {
  const removed = input.Tags ?? [];
  await withTags(ctx, input.CertificateArn, (tags) =>
    tags.filter(
      (t) => !removed.some((r) => r.Key === t.Key && (r.Value === undefined || r.Value === t.Value)),
    ),
  );
  return {};
}

export async function listTagsForCertificate(
  ctx: AcmContext,
  input: Wire<ListTagsForCertificateRequest>,
): Promise<Wire<ListTagsForCertificateResponse>> {
  const cert = await findCertificate(ctx.store, input.CertificateArn);
  return { Tags: cert.acm?.tags ?? [] };
}
