/**
 * What ACM reads from an imported certificate: its subject and alternative names, validity, key
 * algorithm and serial, with node:crypto's X509Certificate; and whether the private key is the
 * certificate's. Errors carry ACM's ValidationException texts.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { ServiceError } from '../core/errors.ts';

export interface CertificateFacts {
  domainName: string;
  subjectAlternativeNames: string[];
  subject: string;
  issuer: string;
  serial: string;
  notBefore: number;
  notAfter: number;
  keyAlgorithm: string;
  signatureAlgorithm?: string;
}

const invalid = (message: string) => new ServiceError('ValidationException', message);

/** Blob members come from the gateway as base64 text (or bytes); the PEM text inside. */
export function pemOf(blob: unknown, member: string): string {
  let text: string;
  if (typeof blob === 'string') text = Buffer.from(blob, 'base64').toString('utf8');
  else if (blob instanceof Uint8Array) text = Buffer.from(blob).toString('utf8');
  else throw invalid(`${member} must be a PEM-encoded blob.`);
  return text;
}

export function readCertificate(certificatePem: string, privateKeyPem: string): CertificateFacts {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certificatePem);
  } catch {
    throw invalid('Could not parse certificate. Please ensure the certificate is in PEM format.');
  }
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch {
    throw invalid(
      'Could not parse private key. Please ensure the private key is in PEM format and not encrypted.',
    );
  }
  if (!cert.checkPrivateKey(key)) {
    throw invalid('The private key is not supported or does not match the public key in the certificate.');
  }
  const now = Date.now();
  const notAfter = Date.parse(cert.validTo);
  if (Number.isFinite(notAfter) && notAfter < now) throw invalid('The certificate has expired.');
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1] ?? '';
  const sans = (cert.subjectAltName ?? '')
    .split(', ')
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4));
  return {
    domainName: cn || sans[0] || '',
    subjectAlternativeNames: sans.length > 0 ? sans : cn ? [cn] : [],
    subject: cert.subject.split('\n').join(','),
    issuer: cert.issuer.split('\n').join(','),
    serial: (cert.serialNumber.match(/../g) ?? []).join(':').toLowerCase(),
    notBefore: Date.parse(cert.validFrom),
    notAfter,
    keyAlgorithm: keyAlgorithmOf(cert),
  };
}

/** ACM's KeyAlgorithm names: RSA_2048, EC_prime256v1 ... */
function keyAlgorithmOf(cert: X509Certificate): string {
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return `RSA_${details.modulusLength ?? 2048}`;
  if (key.asymmetricKeyType === 'ec') return `EC_${details.namedCurve ?? 'prime256v1'}`;
  return String(key.asymmetricKeyType ?? 'RSA_2048').toUpperCase();
}
