/** The shapes of the action and resource catalog (catalog.ts). */
import type { ContextValue } from '../../iam/policy/context.ts';

/** Where a request is served: the partition, region and account its ARNs are built in. */
export interface Scope {
  partition: string;
  region: string;
  accountId: string;
}

/** A resource whose facts (real ARN, resource policy, tags) the authorizer looks up in the store. */
export interface ResourceRef {
  type: 'ecr-repository' | 'secret' | 'event-bus';
  /** The name or ARN the input gave. */
  id: string;
}

/** One resource an action is authorized against, with its resource-specific condition keys. */
export interface AuthorizedResource {
  /** The resource's ARN, or `*` for actions without resource-level permissions. */
  arn: string;
  context?: Record<string, ContextValue>;
  /** Look the resource up (its policy is then evaluated too). */
  ref?: ResourceRef;
}

/** An action to authorize: on every one of `resources` (all must be allowed). */
export interface ActionCheck {
  action: string;
  resources: AuthorizedResource[];
  /** Keys that hold for every resource (aws:RequestTag/..., iam:PassedToService). */
  context?: Record<string, ContextValue>;
}

/** A resource as tables write it: a bare ARN, or with its keys. */
export type Resource = string | AuthorizedResource;

/** How one operation's input names its resources. */
export type ResourceRule = (input: Record<string, unknown>, scope: Scope) => Resource[];

/** One service's table. */
export interface ServiceActions {
  /** The IAM service prefix (`elasticloadbalancing` for elbv2). */
  prefix: string;
  /** Operations and their resources; the rest fall back to `*`. */
  operations: Readonly<Record<string, ResourceRule>>;
  /** Operations AWS never authorizes (sts:GetCallerIdentity). */
  unauthorized?: readonly string[];
  /** The roles an operation hands to a service (checked as iam:PassRole with iam:PassedToService). */
  passRoles?: Readonly<
    Record<string, (input: Record<string, unknown>) => { arn: unknown; service: string }[]>
  >;
  /** Input members listing tag keys to remove (aws:TagKeys), when not the usual names. */
  tagListKeys?: readonly string[];
}

/** The strings of a list member (anything else dropped). */
export const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];

/** A string member, or undefined. */
export const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** `arn:<partition>:<service>:<region>:<account>:<resource>` in the request's scope. */
export const arnIn = (scope: Scope, service: string, resource: string, global = false): string =>
  `arn:${scope.partition}:${service}:${global ? '' : scope.region}:${scope.accountId}:${resource}`;
