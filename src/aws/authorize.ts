/**
 * Authorization on every request (the gateway calls `authorize` once the input is read and before
 * the handler runs): the catalog names the actions and resources a request needs
 * (authorization/catalog.ts), the principal's policies are compiled once and cached until an IAM
 * record changes, resource policies (ECR repositories, secrets, event buses) are looked up when a
 * resource names one, and the evaluator (iam/policy/) decides. Root principals, the installation's
 * own key, are allowed everything, as the account root is. A denial answers the service's
 * access-denied error with AWS's message.
 */
import type { Principal, PolicySet } from '../iam/model/principal.ts';
import { addGlobalKeys, type ContextValue } from '../iam/policy/context.ts';
import { type CompiledPolicy, compilePolicy, parseDocument } from '../iam/policy/document.ts';
import { type CompiledPolicySet, type Decision, deniedMessage, evaluate } from '../iam/policy/evaluate.ts';
import {
  type ActionCheck,
  checksFor,
  prefixOf,
  type ResourceRef,
  type Scope,
} from './authorization/catalog.ts';
import { accessDenied } from './authorize-errors.ts';
import { ProtocolError } from './errors.ts';
import type { ProtocolName } from './protocols/protocol.ts';
import type { RawRoute } from './protocols/raw-routes.ts';
import type { AwsService } from './service.ts';
import type { Caller } from './sigv4.ts';

/** What the store knows of a looked-up resource. */
export interface ResourceFacts {
  /** The resource's real ARN (a secret's carries its suffix). */
  arn: string;
  /** Its resource-based policy, as stored (text or parsed). */
  policy?: string | Record<string, unknown>;
  tags?: Readonly<Record<string, string>>;
}

export interface AuthorizerOptions {
  /** False: every authenticated request is allowed (`--iam off`). */
  enabled: boolean;
  /** The policies that speak for a principal (iam/model's `policySetFor` over the store). */
  policySetFor(principal: Principal): Promise<PolicySet>;
  /** A resource's facts in a region; undefined when it does not exist. */
  resourceFacts?(region: string, ref: ResourceRef): Promise<ResourceFacts | undefined>;
  /**
   * Registers `invalidate`, to be called when IAM records change (the store's change feed);
   * returns the unsubscribe function.
   */
  watch?(invalidate: () => void): () => void;
  /** The principal behind a caller; default `caller.principal`. None is the installation's key: root. */
  principalOf?(caller: Caller): Principal | undefined;
  /** Default `aws`. */
  partition?: string;
}

/** One request to authorize, as the gateway has it after decoding and validation. */
export interface AuthorizationCall {
  service: AwsService;
  operation: string;
  input: Record<string, unknown>;
  caller: Caller;
  protocol: ProtocolName;
  /** Epoch ms. */
  now: number;
  sourceIp?: string;
  secureTransport?: boolean;
}

/** A raw route's request, as the gateway has it once SigV4 checked out. */
export interface RawRouteRequest {
  method: string;
  path: string;
  /** The query and lower-case headers, for routes whose action depends on them (S3). */
  query?: URLSearchParams;
  headers?: Record<string, string>;
  caller: Caller;
  now: number;
  sourceIp?: string;
  secureTransport?: boolean;
}

/** aws:SourceIp: an IPv4 client seen through an IPv6 socket is its IPv4 address. */
const sourceIpOf = (address: string | undefined): string | undefined =>
  address?.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;

interface CachedPrincipal {
  policies: CompiledPolicySet;
  tags?: Readonly<Record<string, string>>;
}

/** Compiled policy sets kept at most; past it the cache starts over (IAM changes clear it anyway). */
const MAX_PRINCIPALS = 10_000;
const MAX_RESOURCE_POLICIES = 1_000;

export class Authorizer {
  readonly #options: AuthorizerOptions;
  readonly #principals = new Map<string, Promise<CachedPrincipal>>();
  readonly #resourcePolicies = new Map<string, CompiledPolicy>();
  readonly #unwatch: (() => void) | undefined;

  constructor(options: AuthorizerOptions) {
    this.#options = options;
    this.#unwatch = options.watch?.(() => this.invalidate());
  }

  get enabled(): boolean {
    return this.#options.enabled;
  }

  /** Forgets every compiled policy set (an IAM record changed). */
  invalidate(): void {
    this.#principals.clear();
  }

  close(): void {
    this.#unwatch?.();
  }

  /** The principal behind `caller`, or undefined for the installation's key. */
  principalOf(caller: Caller): Principal | undefined {
    return this.#options.principalOf ? this.#options.principalOf(caller) : caller.principal;
  }

  /** Throws the service's access-denied error unless every check of the request is allowed. */
  async authorize(call: AuthorizationCall): Promise<void> {
    if (!this.#options.enabled) return;
    const principal = this.principalOf(call.caller);
    if (!principal || principal.type === 'root') return;
    const scope = this.scopeOf(principal, call.caller.region);
    const checks = checksFor(call.service.name, call.operation, call.input, scope);
    if (checks.length === 0) return;
    const denial = await this.firstDenial(principal, checks, {
      region: call.caller.region,
      now: call.now,
      sourceIp: sourceIpOf(call.sourceIp),
      secureTransport: call.secureTransport,
    });
    if (denial) throw accessDenied(call.service, call.protocol, denial.message);
  }

  /**
   * A SigV4 raw route's request: the route names its check (`RawRoute.authorization`); a denial is
   * `AccessDenied` (403) in the S3 dialect, `AccessDeniedException` (403) otherwise.
   */
  async authorizeRoute(route: RawRoute, request: RawRouteRequest): Promise<void> {
    if (!this.#options.enabled || !route.authorization || route.auth.type !== 'sigv4') return;
    const principal = this.principalOf(request.caller);
    if (!principal || principal.type === 'root') return;
    const check = route.authorization(
      request.method,
      request.path,
      this.scopeOf(principal, request.caller.region),
      {
        method: request.method,
        path: request.path,
        query: request.query ?? new URLSearchParams(),
        headers: request.headers ?? {},
      },
    );
    if (!check) return;
    const checks = Array.isArray(check) ? check : [check as ActionCheck];
    if (checks.length === 0) return;
    const denial = await this.firstDenial(principal, checks, {
      region: request.caller.region,
      now: request.now,
      sourceIp: sourceIpOf(request.sourceIp),
      secureTransport: request.secureTransport,
    });
    if (!denial) return;
    const code = route.auth.dialect === 's3' ? 'AccessDenied' : 'AccessDeniedException';
    throw new ProtocolError(code, denial.message, 403);
  }

  /** Checks that come from elsewhere than a gateway operation (raw routes: the registry). */
  async authorizeChecks(
    principal: Principal | undefined,
    checks: readonly ActionCheck[],
    facts: { region: string; now: number; sourceIp?: string; secureTransport?: boolean },
  ): Promise<{ message: string; decision: Decision } | undefined> {
    if (!this.#options.enabled || !principal || principal.type === 'root') return undefined;
    return this.firstDenial(principal, checks, facts);
  }

  scopeOf(principal: Principal, region: string): Scope {
    return { partition: this.#options.partition ?? 'aws', region, accountId: principal.accountId };
  }

  /**
   * The decision for one action on one resource with the statements that made it (what `longshore
   * iam explain` and the policy simulator print). `extra` adds or overrides condition keys.
   */
  async decide(
    principal: Principal,
    check: ActionCheck,
    facts: { region: string; now: number; sourceIp?: string; secureTransport?: boolean },
  ): Promise<{ resource: string; decision: Decision }[]> {
    const cached = await this.compiled(principal);
    const out: { resource: string; decision: Decision }[] = [];
    for (const resource of check.resources) {
      out.push(await this.decideOne(principal, cached, check, resource, facts));
    }
    return out;
  }

  private async firstDenial(
    principal: Principal,
    checks: readonly ActionCheck[],
    facts: { region: string; now: number; sourceIp?: string; secureTransport?: boolean },
  ): Promise<{ message: string; decision: Decision } | undefined> {
    const cached = await this.compiled(principal);
    for (const check of checks) {
      for (const resource of check.resources) {
        const { resource: arn, decision } = await this.decideOne(principal, cached, check, resource, facts);
        if (decision.type !== 'allowed') {
          return { message: deniedMessage(principal, check.action, arn, decision), decision };
        }
      }
    }
    return undefined;
  }

  private async decideOne(
    principal: Principal,
    cached: CachedPrincipal,
    check: ActionCheck,
    resource: ActionCheck['resources'][number],
    facts: { region: string; now: number; sourceIp?: string; secureTransport?: boolean },
  ): Promise<{ resource: string; decision: Decision }> {
    const found = resource.ref ? await this.#options.resourceFacts?.(facts.region, resource.ref) : undefined;
    const arn = found?.arn ?? resource.arn;
    const context = addGlobalKeys(new Map<string, ContextValue>(), {
      principal,
      principalTags: cached.tags,
      now: facts.now,
      region: facts.region,
      sourceIp: facts.sourceIp,
      secureTransport: facts.secureTransport,
      resourceTags: found?.tags,
    });
    const prefix = check.action.slice(0, check.action.indexOf(':'));
    for (const [k, v] of Object.entries(found?.tags ?? {}))
      context.set(`${prefix}:resourcetag/${k}`.toLowerCase(), v);
    for (const [k, v] of Object.entries(check.context ?? {})) context.set(k.toLowerCase(), v);
    for (const [k, v] of Object.entries(resource.context ?? {})) context.set(k.toLowerCase(), v);
    const resourcePolicy = found?.policy ? this.resourcePolicy(found.policy) : undefined;
    const decision = evaluate({
      request: { principal, action: check.action, resource: arn, context },
      policies: cached.policies,
      ...(resourcePolicy ? { resourcePolicy } : {}),
      ...(arn.startsWith('arn:') ? { resourceAccount: arn.split(':')[4] || principal.accountId } : {}),
    });
    return { resource: arn, decision };
  }

  private compiled(principal: Principal): Promise<CachedPrincipal> {
    const key = `${principal.arn}#${principal.sessionKeyId ?? ''}`;
    let entry = this.#principals.get(key);
    if (!entry) {
      if (this.#principals.size >= MAX_PRINCIPALS) this.#principals.clear();
      entry = this.#options.policySetFor(principal).then(compileSet);
      // A failed lookup is not kept: the next request tries again.
      entry.catch(() => this.#principals.delete(key));
      this.#principals.set(key, entry);
    }
    return entry;
  }

  private resourcePolicy(policy: string | Record<string, unknown>): CompiledPolicy {
    const text = typeof policy === 'string' ? policy : JSON.stringify(policy);
    let compiled = this.#resourcePolicies.get(text);
    if (!compiled) {
      if (this.#resourcePolicies.size >= MAX_RESOURCE_POLICIES) this.#resourcePolicies.clear();
      compiled = compilePolicy({ source: 'resource-policy', document: parseDocument(text) }, 'resource');
      this.#resourcePolicies.set(text, compiled);
    }
    return compiled;
  }
}

/** A PolicySet compiled for evaluation. */
export function compileSet(set: PolicySet): CachedPrincipal {
  return {
    policies: {
      identity: set.identity.map((p) => compilePolicy(p, 'identity')),
      ...(set.boundary ? { boundary: compilePolicy(set.boundary, 'boundary') } : {}),
      ...(set.session ? { session: set.session.map((p) => compilePolicy(p, 'session')) } : {}),
    },
    ...(set.tags ? { tags: set.tags } : {}),
  };
}

export { prefixOf };
