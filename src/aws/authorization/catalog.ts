/**
 * The action and resource catalog: for an operation of a served service and its input, which IAM
 * actions are authorized against which resources, with which condition keys (the Service
 * Authorization Reference's "Actions defined by ..." tables). One table per service
 * (`<service>-actions.ts`); an operation no table names is authorized as `<prefix>:<Operation>` on
 * `*`, the documented fallback (docs/iam-authorization.md lists where that is so today).
 */
import type { ContextValue } from '../../iam/policy/context.ts';
import { acmActions, cloudWatchActions, longshoreActions, stsActions } from './small-actions.ts';
import { ec2Actions } from './ec2-actions.ts';
import { ecrActions } from './ecr-actions.ts';
import { ecsActions } from './ecs-actions.ts';
import { elbv2Actions } from './elbv2-actions.ts';
import { appAutoScalingActions, eventsActions, schedulerActions } from './events-actions.ts';
import { iamActions } from './iam-actions.ts';
import { logsActions } from './logs-actions.ts';
import { s3Actions } from './s3-actions.ts';
import { secretsManagerActions, ssmActions } from './secrets-actions.ts';
import type { ActionCheck, Resource, ServiceActions, Scope } from './types.ts';

export type { ActionCheck, AuthorizedResource, ResourceRef, Scope, ServiceActions } from './types.ts';

/** Every served service's table, by the gateway's service name (`AwsService.name`). */
export const CATALOG: Readonly<Record<string, ServiceActions>> = {
  ecs: ecsActions,
  ecr: ecrActions,
  logs: logsActions,
  cloudwatch: cloudWatchActions,
  elbv2: elbv2Actions,
  secretsmanager: secretsManagerActions,
  ssm: ssmActions,
  ec2: ec2Actions,
  events: eventsActions,
  scheduler: schedulerActions,
  'application-autoscaling': appAutoScalingActions,
  acm: acmActions,
  sts: stsActions,
  iam: iamActions,
  longshore: longshoreActions,
  s3: s3Actions,
};

/** The IAM prefix of a service (`elbv2` -> `elasticloadbalancing`); the service name when no table says. */
export const prefixOf = (service: string): string => CATALOG[service]?.prefix ?? service;

/**
 * The checks one request needs: first the operation's own action, then any it implies
 * (`iam:PassRole` for each role the input hands to a service). An empty list means the action
 * needs no authorization (sts:GetCallerIdentity).
 */
export function checksFor(
  service: string,
  operation: string,
  input: Record<string, unknown>,
  scope: Scope,
): ActionCheck[] {
  const table = CATALOG[service];
  const prefix = table?.prefix ?? service;
  if (table?.unauthorized?.includes(operation)) return [];
  const rule = table?.operations[operation];
  const resources = (rule ? rule(input, scope) : ['*']).map((r: Resource) =>
    typeof r === 'string' ? { arn: r } : r,
  );
  const main: ActionCheck = {
    action: `${prefix}:${operation}`,
    resources: resources.length > 0 ? resources : [{ arn: '*' }],
    context: requestTagKeys(input, table?.tagListKeys),
  };
  const checks = [main];
  for (const role of table?.passRoles?.[operation]?.(input) ?? []) {
    if (typeof role.arn !== 'string' || role.arn === '') continue;
    checks.push({
      action: 'iam:PassRole',
      resources: [{ arn: role.arn }],
      context: { 'iam:PassedToService': role.service },
    });
  }
  return checks;
}

/** Whether a table names `operation` (the rest fall back to `*`). */
export const isCatalogued = (service: string, operation: string): boolean =>
  CATALOG[service]?.operations[operation] !== undefined ||
  (CATALOG[service]?.unauthorized?.includes(operation) ?? false);

/**
 * aws:RequestTag/<key> and aws:TagKeys from the tags an input sets (`tags`/`Tags` as a list of
 * key/value pairs in any of the services' spellings, or a map), and aws:TagKeys from an untag
 * request's key list.
 */
export function requestTagKeys(
  input: Record<string, unknown>,
  listKeys: readonly string[] = ['tagKeys', 'TagKeys', 'tagKeyList'],
): Record<string, ContextValue> | undefined {
  const tags = requestTags(input);
  if (tags) {
    const out: Record<string, ContextValue> = { 'aws:TagKeys': Object.keys(tags) };
    for (const [k, v] of Object.entries(tags)) out[`aws:RequestTag/${k}`] = v;
    return out;
  }
  for (const key of listKeys) {
    const list = input[key];
    if (Array.isArray(list)) return { 'aws:TagKeys': list.filter((k): k is string => typeof k === 'string') };
  }
  return undefined;
}

/** The tags an input sets, whatever the service's spelling; undefined when it sets none. */
export function requestTags(input: Record<string, unknown>): Record<string, string> | undefined {
  const raw = input.tags ?? input.Tags;
  if (raw === undefined || raw === null) return undefined;
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    // A list of bare keys is an untag request's (CloudWatch Logs' UntagLogGroup `tags`).
    if (raw.some((t) => typeof t === 'string')) return undefined;
    for (const t of raw as Record<string, unknown>[]) {
      const k = t?.key ?? t?.Key;
      const v = t?.value ?? t?.Value ?? '';
      if (typeof k === 'string') out[k] = String(v);
    }
  } else if (typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) out[k] = String(v);
  } else return undefined;
  return out;
}
