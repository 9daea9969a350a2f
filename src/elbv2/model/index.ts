/** The ELBv2 domain layer other areas use (ECS services with load balancers, the data plane glue): records, lookups, targets, health, the data plane's config. */
export * from './arns.ts';
export { importCertificate, getCertificate } from './certificates.ts';
export { Elbv2ErrorCode } from './errors.ts';
export { ACCOUNT_LIMITS } from './limits.ts';
export {
  getListener,
  getLoadBalancer,
  getRule,
  getTargetGroup,
  listListeners,
  listLoadBalancers,
  listRules,
  listTargetGroups,
} from './lookups.ts';
export type * from './records.ts';
export {
  describeTargetHealth,
  forgetDrainedTarget,
  recordTargetHealth,
  type TargetHealthView,
} from './target-health.ts';
export { listTargets, type TargetInput, targetKey, targetsByGroup } from './target-records.ts';
export { deregisterTargets, registerTargets } from './targets.ts';
export {
  type Elbv2Records,
  type InstanceResolver,
  readElbv2Records,
  toDataplaneConfig,
} from './to-dataplane.ts';
export { forwardedGroups, targetGroupLoadBalancers, targetGroupUsage } from './usage.ts';
