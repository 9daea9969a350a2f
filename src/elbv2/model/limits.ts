/**
 * ELBv2's default quotas, as DescribeAccountLimits answers them, and the ones Longshore enforces
 * (marked). Quotas are per account and region; Longshore's cannot be raised.
 */

/** DescribeAccountLimits' names and ELBv2's default maximums, in ELBv2's order. */
export const ACCOUNT_LIMITS = {
  /** Enforced: TooManyLoadBalancers. */
  'application-load-balancers': 50,
  /** Enforced on rules: ValidationError. */
  'condition-values-per-alb-rule': 5,
  /** Enforced on rules: ValidationError. */
  'condition-wildcards-per-alb-rule': 5,
  'gateway-load-balancers': 100,
  'gateway-load-balancers-per-vpc': 100,
  'geneve-target-groups': 100,
  /** Enforced: TooManyListeners. */
  'listeners-per-application-load-balancer': 50,
  /** Enforced: TooManyListeners. */
  'listeners-per-network-load-balancer': 50,
  /** Enforced: TooManyLoadBalancers. */
  'network-load-balancers': 50,
  /** Enforced: TooManyRules (the default rule included). */
  'rules-per-application-load-balancer': 100,
  /** Enforced: TooManyTargetGroups. */
  'target-groups': 3000,
  /** Enforced: a forward action of an ALB names at most this many groups (TooManyTargetGroups). */
  'target-groups-per-action-on-application-load-balancer': 5,
  /** Enforced likewise for NLBs. */
  'target-groups-per-action-on-network-load-balancer': 1,
  /** Enforced: TooManyUniqueTargetGroupsPerLoadBalancer. */
  'target-groups-per-application-load-balancer': 100,
  'targets-per-application-load-balancer': 1000,
  'targets-per-availability-zone-per-gateway-load-balancer': 300,
  'targets-per-availability-zone-per-network-load-balancer': 500,
  'targets-per-network-load-balancer': 3000,
} as const;

/** The quotas above and the per-resource ones ELBv2 documents but does not list there. */
export const DEFAULT_LIMITS = {
  ...ACCOUNT_LIMITS,
  /** Enforced: TooManyTargets. */
  'targets-per-target-group': 1000,
  /** Enforced: TooManyTags. */
  'tags-per-resource': 50,
  /** Enforced: TooManyActions (one of each type, at most one terminal). */
  'actions-per-rule': 5,
} as const;
