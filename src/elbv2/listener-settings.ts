/**
 * A listener's protocol, port, certificate, security policy and ALPN policy, checked for its load
 * balancer's type as ELBv2 checks them (CreateListener and ModifyListener share this).
 */
import type { Certificate } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import type { Reader } from '../store/store.ts';
import { getCertificate } from './model/certificates.ts';
import { certificateNotFound, Elbv2ErrorCode, validation } from './model/errors.ts';
import type { LoadBalancerType, TargetGroupProtocol } from './model/records.ts';

const PROTOCOLS: Readonly<Record<LoadBalancerType, readonly TargetGroupProtocol[]>> = {
  application: ['HTTPS', 'HTTP'],
  network: ['TCP_UDP', 'UDP', 'TCP', 'TLS'],
};

/**
 * ELBv2's predefined security policies (DescribeSSLPolicies' names). HTTPS and TLS listeners made
 * without one get ELBSecurityPolicy-TLS13-1-2-2021-06, ELBv2's default for new listeners.
 */
export const SSL_POLICIES = [
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06',
  'ELBSecurityPolicy-TLS13-1-1-2021-06',
  'ELBSecurityPolicy-TLS13-1-0-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
  'ELBSecurityPolicy-2016-08',
  'ELBSecurityPolicy-TLS-1-0-2015-04',
  'ELBSecurityPolicy-TLS-1-1-2017-01',
  'ELBSecurityPolicy-TLS-1-2-2017-01',
  'ELBSecurityPolicy-TLS-1-2-Ext-2018-06',
  'ELBSecurityPolicy-FS-2018-06',
  'ELBSecurityPolicy-FS-1-1-2019-08',
  'ELBSecurityPolicy-FS-1-2-2019-08',
  'ELBSecurityPolicy-FS-1-2-Res-2019-08',
  'ELBSecurityPolicy-FS-1-2-Res-2020-10',
  'ELBSecurityPolicy-2015-05',
] as const;
export const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

const ALPN_POLICIES = ['HTTP1Only', 'HTTP2Only', 'HTTP2Optional', 'HTTP2Preferred', 'None'];

export const isSecure = (p: string) => p === 'HTTPS' || p === 'TLS';

export function checkedProtocol(type: LoadBalancerType, protocol: string | undefined): TargetGroupProtocol {
  if (protocol === undefined) throw validation('A listener protocol must be specified');
  const allowed = PROTOCOLS[type];
  if (!allowed.includes(protocol as TargetGroupProtocol)) {
    throw validation(`Listener protocol '${protocol}' must be one of '${allowed.join(', ')}'`);
  }
  return protocol as TargetGroupProtocol;
}

export function checkedPort(port: number | undefined): number {
  if (port === undefined) throw validation('A listener port must be specified');
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw validation(`Listener port '${port}' must be between 1 and 65535`);
  }
  return port;
}

/** HTTPS/TLS: exactly one certificate Longshore holds (CertificateNotFound for any other ARN). */
export async function checkedCertificates(
  reader: Reader,
  protocol: TargetGroupProtocol,
  certificates: readonly Wire<Certificate>[] | undefined,
): Promise<string[]> {
  if (!isSecure(protocol)) {
    if (certificates && certificates.length > 0) {
      throw validation(`Certificates can only be specified for HTTPS and TLS listeners, not '${protocol}'`);
    }
    return [];
  }
  if (!certificates || certificates.length === 0) {
    throw validation(`A certificate must be specified for ${protocol} listeners`);
  }
  if (certificates.length > 1) {
    throw new ServiceError(
      Elbv2ErrorCode.TooManyCertificates,
      'A listener has exactly one default certificate; add others with AddListenerCertificates',
    );
  }
  const arn = certificates[0].CertificateArn ?? '';
  if (!(await getCertificate(reader, arn))) throw certificateNotFound(arn);
  return [arn];
}

export function checkedSslPolicy(
  protocol: TargetGroupProtocol,
  policy: string | undefined,
): string | undefined {
  if (!isSecure(protocol)) {
    if (policy !== undefined)
      throw validation(`An SSL policy can only be specified for HTTPS and TLS listeners`);
    return undefined;
  }
  const name = policy ?? DEFAULT_SSL_POLICY;
  if (!(SSL_POLICIES as readonly string[]).includes(name)) {
    throw new ServiceError(Elbv2ErrorCode.SSLPolicyNotFound, `SSL policy '${name}' not found`);
  }
  return name;
}

export function checkedAlpnPolicy(
  protocol: TargetGroupProtocol,
  alpn: readonly string[] | undefined,
): string | undefined {
  if (!alpn || alpn.length === 0) return undefined;
  if (protocol !== 'TLS') throw validation('An ALPN policy can only be specified for TLS listeners');
  if (alpn.length > 1) throw validation('At most one ALPN policy can be specified');
  if (!ALPN_POLICIES.includes(alpn[0])) {
    throw new ServiceError(Elbv2ErrorCode.ALPNPolicyNotFound, `ALPN policy '${alpn[0]}' not found`);
  }
  return alpn[0];
}
