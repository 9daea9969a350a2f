/**
 * TLS from files: the control plane's certificate and key (`--tls-cert`, `--tls-key`), checked at
 * start-up so a wrong file fails with its name instead of at the first handshake, and the CA an
 * agent trusts (`--ca-file`), added to this process's default CA certificates.
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';

/** The PEM files the API and the agent channel are served with. */
export interface ServerTls {
  /** The certificate (a chain may follow it: the leaf first). */
  cert: Buffer;
  key: Buffer;
}

/**
 * Reads and checks the certificate and its key: each must be readable PEM, and the key must be
 * the certificate's. Errors name the file and the flag.
 */
export function loadServerTls(certFile: string, keyFile: string): ServerTls {
  const cert = readPem(certFile, '--tls-cert');
  const key = readPem(keyFile, '--tls-key');
  const certificate = parse(certFile, '--tls-cert', 'a PEM certificate', () => new X509Certificate(cert));
  const privateKey: KeyObject = parse(keyFile, '--tls-key', 'a PEM private key', () => createPrivateKey(key));
  if (!certificate.checkPrivateKey(privateKey))
    throw new Error(`--tls-key ${keyFile} is not the key of the certificate in --tls-cert ${certFile}`);
  return { cert, key };
}

/** True when the certificate signed itself: it is then its own CA (a throwaway or test certificate). */
export function isSelfSigned(cert: Buffer): boolean {
  const certificate = new X509Certificate(cert);
  return certificate.checkIssued(certificate) && certificate.verify(certificate.publicKey);
}

/**
 * Trusts the CA certificates in `file` for every TLS connection this process makes afterwards:
 * the agent's SDK client, its control channel and its fetch calls (secrets, registry logins), as
 * NODE_EXTRA_CA_CERTS does at start-up. Certificates already trusted are not added twice.
 */
export function trustCaFile(file: string): void {
  const pem = readPem(file, '--ca-file').toString('utf8');
  const certs = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (certs.length === 0) throw new Error(`--ca-file ${file} holds no PEM certificate`);
  for (const cert of certs) parse(file, '--ca-file', 'a PEM certificate', () => new X509Certificate(cert));
  const trusted = getCACertificates('default');
  const added = certs.filter((cert) => !trusted.includes(cert));
  if (added.length > 0) setDefaultCACertificates([...trusted, ...added]);
}

function readPem(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new Error(`${flag} ${file} cannot be read: ${(error as Error).message}`);
  }
}

function parse<T>(file: string, flag: string, what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new Error(`${flag} ${file} is not ${what}: ${(error as Error).message}`);
  }
}
