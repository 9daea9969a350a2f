/** The scheduler's public API: pure placement over immutable snapshots, and the cluster query language. */
export { isActiveTask } from './active-tasks.ts';
export { placedTask } from './decision.ts';
export { PlacementValidationError, QueryError, SchedulerInputError } from './errors.ts';
export { type Explanation, explain, type InstanceExplanation, type InstanceVerdict } from './explain.ts';
export { applyPlan, place } from './place.ts';
export { MAX_EXPRESSION_LENGTH } from './query/ast.ts';
export { type CompiledQuery, compileQuery, filterInstances } from './query/compile.ts';
export {
  ecsFailureReason,
  NO_CONTAINER_INSTANCES,
  REASON_ORDER,
  Reason,
  type RejectReason,
} from './reasons.ts';
export {
  MAX_PLACEMENT_CONSTRAINTS,
  MAX_TASKS_PER_REQUEST,
  type PlacementSettings,
  validatePlacement,
} from './request.ts';
export { type PlacementRequestInput, placementRequest } from './request-builder.ts';
export { applyPlacements, type PlacedTask, updateInstances } from './state/cluster-index.ts';
export { DEFAULT_DYNAMIC_PORT_RANGE, MAX_RESERVED_PORTS } from './state/port-usage.ts';
export {
  DEFAULT_RUN_TASK_STRATEGY,
  DEFAULT_SERVICE_STRATEGY,
  MAX_PLACEMENT_STRATEGIES,
} from './strategies/strategy.ts';
export { type NetworkMode, type TaskResources, taskResources } from './task-resources.ts';
export {
  type ClusterSnapshot,
  type InstanceLaunchType,
  type InstanceSnapshot,
  InstanceStatus,
  type Placement,
  type PlacementFailure,
  type PlacementPlan,
  type PlacementRequest,
  type PlaceOptions,
  type RegisteredResources,
  type TaskDecision,
  type TaskOnInstance,
} from './types.ts';
