/**
 * Listener attributes: `tcp.idle_timeout.seconds` on NLB TCP, TLS and TCP_UDP listeners (350 s),
 * and on ALB listeners the names of the mTLS and TLS request headers ELBv2 adds and the response
 * headers it can set (server header on; the others empty: not sent). Recorded and answered; the
 * data plane acts on none of them yet (docs/elbv2.md).
 */
import { type AttributeSpec, applyChanges, bool, intIn, spec } from './attribute-specs.ts';
import type { ListenerRecord, LoadBalancerType } from './records.ts';

/** An HTTP header name, as ELBv2 takes a renamed request header (1..40 token characters). */
const headerName = () => (v: string) =>
  /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}$/.test(v)
    ? undefined
    : 'must be an HTTP header name of 1 to 40 characters';
/** A response header value: empty (not sent) or up to 1024 characters. */
const headerValue = (check?: (v: string) => boolean) => (v: string) =>
  v === '' || (v.length <= 1024 && (!check || check(v))) ? undefined : 'is not a valid value for this header';

const REQUEST_HEADERS = [
  ['x_amzn_mtls_clientcert_serial_number', 'X-Amzn-Mtls-Clientcert-Serial-Number'],
  ['x_amzn_mtls_clientcert_issuer', 'X-Amzn-Mtls-Clientcert-Issuer'],
  ['x_amzn_mtls_clientcert_subject', 'X-Amzn-Mtls-Clientcert-Subject'],
  ['x_amzn_mtls_clientcert_validity', 'X-Amzn-Mtls-Clientcert-Validity'],
  ['x_amzn_mtls_clientcert_leaf', 'X-Amzn-Mtls-Clientcert-Leaf'],
  ['x_amzn_mtls_clientcert', 'X-Amzn-Mtls-Clientcert'],
  ['x_amzn_tls_version', 'X-Amzn-Tls-Version'],
  ['x_amzn_tls_cipher_suite', 'X-Amzn-Tls-Cipher-Suite'],
] as const;

const ALB_LISTENER: Readonly<Record<string, AttributeSpec>> = {
  ...Object.fromEntries(
    REQUEST_HEADERS.map(([key, name]) => [
      `routing.http.request.${key}.header_name`,
      spec(name, headerName()),
    ]),
  ),
  'routing.http.response.server.enabled': spec('true', bool()),
  'routing.http.response.strict_transport_security.header_value': spec('', headerValue()),
  'routing.http.response.access_control_allow_origin.header_value': spec('', headerValue()),
  'routing.http.response.access_control_allow_methods.header_value': spec('', headerValue()),
  'routing.http.response.access_control_allow_headers.header_value': spec('', headerValue()),
  'routing.http.response.access_control_allow_credentials.header_value': spec(
    '',
    headerValue((v) => v === 'true'),
  ),
  'routing.http.response.access_control_expose_headers.header_value': spec('', headerValue()),
  'routing.http.response.access_control_max_age.header_value': spec(
    '',
    headerValue((v) => intIn(0, 86400)(v) === undefined),
  ),
  'routing.http.response.content_security_policy.header_value': spec('', headerValue()),
  'routing.http.response.x_content_type_options.header_value': spec(
    '',
    headerValue((v) => v === 'nosniff'),
  ),
  'routing.http.response.x_frame_options.header_value': spec(
    '',
    headerValue((v) => v === 'DENY' || v === 'SAMEORIGIN' || /^ALLOW-FROM \S+$/.test(v)),
  ),
};

const NLB_TCP_LISTENER: Readonly<Record<string, AttributeSpec>> = {
  'tcp.idle_timeout.seconds': spec('350', intIn(60, 6000)),
};

function listenerSpecs(type: LoadBalancerType, protocol: ListenerRecord['protocol']) {
  if (type === 'application') return ALB_LISTENER;
  return protocol === 'UDP' ? {} : NLB_TCP_LISTENER;
}

/** Every attribute of the listener: modified ones, else the defaults. */
export function listenerAttributes(
  type: LoadBalancerType,
  listener: Pick<ListenerRecord, 'protocol' | 'attributes'>,
): { key: string; value: string }[] {
  return Object.entries(listenerSpecs(type, listener.protocol)).map(([key, s]) => ({
    key,
    value: listener.attributes?.[key] ?? s.default,
  }));
}

/** The listener's modified attributes after `changes` (ValidationError / InvalidConfigurationRequest as for the others). */
export function modifiedListenerAttributes(
  type: LoadBalancerType,
  listener: Pick<ListenerRecord, 'protocol' | 'attributes'>,
  changes: readonly { Key?: string; Value?: string }[],
): Record<string, string> {
  return applyChanges(listenerSpecs(type, listener.protocol), 'Listener', listener.attributes ?? {}, changes);
}
