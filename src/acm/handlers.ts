/** The table of implemented ACM operations. docs/api-coverage-acm.md is generated from it. */
import type { Handler } from '../aws/handler-table.ts';
import type { AcmContext } from './acm-context.ts';
import {
  addTagsToCertificate,
  listTagsForCertificate,
  removeTagsFromCertificate,
} from './certificate-tags.ts';
import { deleteCertificate } from './delete-certificate.ts';
import { describeCertificate, getCertificate } from './describe-certificate.ts';
import { importCertificate } from './import-certificate.ts';
import { listCertificates } from './list-certificates.ts';

export const handlers: Readonly<Record<string, Handler<AcmContext>>> = {
  ImportCertificate: { category: 'import', handle: importCertificate },
  DescribeCertificate: { category: 'read', handle: describeCertificate },
  GetCertificate: { category: 'read', handle: getCertificate },
  ListCertificates: { category: 'read', handle: listCertificates },
  DeleteCertificate: { category: 'mutate', handle: deleteCertificate },
  AddTagsToCertificate: { category: 'mutate', handle: addTagsToCertificate },
  RemoveTagsFromCertificate: { category: 'mutate', handle: removeTagsFromCertificate },
  ListTagsForCertificate: { category: 'read', handle: listTagsForCertificate },
};
