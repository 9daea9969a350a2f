/**
 * Connections: what an API destination authenticates with. The secret parts (password, API key
 * value, OAuth client secret, parameters marked IsValueSecret) are sealed with the installation's
 * value cipher, bound to the connection's ARN, as soon as they arrive; nothing here returns,
 * logs or puts them in an error. Describe answers the non-secret parts only, as EventBridge does.
 */
import type {
  ConnectionAuthResponseParameters,
  ConnectionHttpParameters as SdkHttpParameters,
  CreateConnectionAuthRequestParameters,
  UpdateConnectionAuthRequestParameters,
} from '@aws-sdk/client-eventbridge';
import type { Wire } from '../../core/wire.ts';
import { validation } from './errors.ts';
import {
  type ConnectionAuthType,
  type ConnectionHttpParameters,
  type ConnectionParameter,
  type ConnectionRecord,
  connectionSecretContext,
  type SecretSealer,
} from './records.ts';

export const AUTH_TYPES: readonly ConnectionAuthType[] = ['BASIC', 'API_KEY', 'OAUTH_CLIENT_CREDENTIALS'];

type AuthInput = Wire<CreateConnectionAuthRequestParameters> | Wire<UpdateConnectionAuthRequestParameters>;

/** The auth parts of a record for `type`, from CreateConnection's or UpdateConnection's parameters over `previous`. */
export function sealAuth(
  sealer: SecretSealer,
  arn: string,
  type: ConnectionAuthType,
  input: AuthInput | undefined,
  previous?: ConnectionRecord,
): Pick<ConnectionRecord, 'basic' | 'apiKey' | 'oauth' | 'invocation'> {
  const seal = (part: string, value: string) => sealer.seal(value, connectionSecretContext(arn, part));
  const out: Pick<ConnectionRecord, 'basic' | 'apiKey' | 'oauth' | 'invocation'> = {
    invocation: input?.InvocationHttpParameters
      ? sealParameters(sealer, arn, 'invocation', input.InvocationHttpParameters)
      : (previous?.invocation ?? emptyParameters()),
  };
  if (type === 'BASIC') {
    const b = input?.BasicAuthParameters;
    if (!b && !previous?.basic) throw validation('BasicAuthParameters are required for BASIC authorization.');
    const username = b?.Username ?? previous?.basic?.username;
    if (!username) throw validation('BasicAuthParameters.Username is required.');
    out.basic = {
      username,
      sealedPassword:
        b?.Password !== undefined
          ? seal('password', b.Password)
          : requirePrevious(previous?.basic?.sealedPassword, 'Password'),
    };
  } else if (type === 'API_KEY') {
    const k = input?.ApiKeyAuthParameters;
    if (!k && !previous?.apiKey)
      throw validation('ApiKeyAuthParameters are required for API_KEY authorization.');
    const name = k?.ApiKeyName ?? previous?.apiKey?.name;
    if (!name) throw validation('ApiKeyAuthParameters.ApiKeyName is required.');
    out.apiKey = {
      name,
      sealedValue:
        k?.ApiKeyValue !== undefined
          ? seal('api-key', k.ApiKeyValue)
          : requirePrevious(previous?.apiKey?.sealedValue, 'ApiKeyValue'),
    };
  } else {
    const o = input?.OAuthParameters;
    const prev = previous?.oauth;
    if (!o && !prev)
      throw validation('OAuthParameters are required for OAUTH_CLIENT_CREDENTIALS authorization.');
    const clientId = o?.ClientParameters?.ClientID ?? prev?.clientId;
    const endpoint = o?.AuthorizationEndpoint ?? prev?.authorizationEndpoint;
    const method = o?.HttpMethod ?? prev?.httpMethod;
    if (!clientId) throw validation('OAuthParameters.ClientParameters.ClientID is required.');
    if (!endpoint || !isHttpUrl(endpoint))
      throw validation('OAuthParameters.AuthorizationEndpoint must be an https:// or http:// URL.');
    if (!method || !['GET', 'POST', 'PUT'].includes(method))
      throw validation('OAuthParameters.HttpMethod must be GET, POST or PUT.');
    const secret = o?.ClientParameters?.ClientSecret;
    out.oauth = {
      clientId,
      sealedClientSecret:
        secret !== undefined
          ? seal('client-secret', secret)
          : requirePrevious(prev?.sealedClientSecret, 'ClientSecret'),
      authorizationEndpoint: endpoint,
      httpMethod: method,
      parameters: o?.OAuthHttpParameters
        ? sealParameters(sealer, arn, 'oauth', o.OAuthHttpParameters)
        : (prev?.parameters ?? emptyParameters()),
    };
  }
  return out;
}

function requirePrevious(sealed: string | undefined, member: string): string {
  if (sealed === undefined) throw validation(`${member} is required.`);
  return sealed;
}

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function emptyParameters(): ConnectionHttpParameters {
  return { headers: [], query: [], body: [] };
}

function sealParameters(
  sealer: SecretSealer,
  arn: string,
  scope: string,
  input: Wire<SdkHttpParameters>,
): ConnectionHttpParameters {
  const one =
    (kind: string) =>
    (p: { Key?: string; Value?: string; IsValueSecret?: boolean }, i: number): ConnectionParameter => {
      if (!p.Key) throw validation(`${kind} parameters need a Key.`);
      const secret = p.IsValueSecret === true;
      return secret
        ? {
            key: p.Key,
            sealed: sealer.seal(p.Value ?? '', connectionSecretContext(arn, `${scope}.${kind}.${i}`)),
            isValueSecret: true,
          }
        : { key: p.Key, value: p.Value ?? '', isValueSecret: false };
    };
  return {
    headers: (input.HeaderParameters ?? []).map(one('header')),
    query: (input.QueryStringParameters ?? []).map(one('query')),
    body: (input.BodyParameters ?? []).map(one('body')),
  };
}

/** DescribeConnection's AuthParameters: no password, key value, client secret or secret parameter value. */
export function publicAuth(record: ConnectionRecord): Wire<ConnectionAuthResponseParameters> {
  const http = (p: ConnectionHttpParameters) => {
    const one = (x: ConnectionParameter) =>
      x.isValueSecret
        ? { Key: x.key, IsValueSecret: true }
        : { Key: x.key, Value: x.value, IsValueSecret: false };
    return {
      HeaderParameters: p.headers.map(one),
      QueryStringParameters: p.query.map(one),
      BodyParameters: p.body.map(one),
    };
  };
  const out: Wire<ConnectionAuthResponseParameters> = {};
  if (record.basic) out.BasicAuthParameters = { Username: record.basic.username };
  if (record.apiKey) out.ApiKeyAuthParameters = { ApiKeyName: record.apiKey.name };
  if (record.oauth) {
    out.OAuthParameters = {
      ClientParameters: { ClientID: record.oauth.clientId },
      AuthorizationEndpoint: record.oauth.authorizationEndpoint,
      HttpMethod: record.oauth.httpMethod as 'GET' | 'POST' | 'PUT',
      OAuthHttpParameters: http(record.oauth.parameters),
    };
  }
  const inv = record.invocation;
  if (inv.headers.length + inv.query.length + inv.body.length > 0) out.InvocationHttpParameters = http(inv);
  return out;
}

/** Plain key/values of one parameter list, secret ones opened: for the invocation only, never logged. */
export function openParameters(
  sealer: SecretSealer,
  arn: string,
  scope: string,
  kind: 'header' | 'query' | 'body',
  list: readonly ConnectionParameter[],
): [string, string][] {
  return list.map((p, i) => [
    p.key,
    p.isValueSecret
      ? sealer.open(p.sealed!, connectionSecretContext(arn, `${scope}.${kind}.${i}`)).toString('utf8')
      : (p.value ?? ''),
  ]);
}

export function openSecret(sealer: SecretSealer, arn: string, part: string, sealed: string): string {
  return sealer.open(sealed, connectionSecretContext(arn, part)).toString('utf8');
}
