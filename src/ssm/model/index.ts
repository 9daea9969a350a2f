/** What other areas (the agent-side secret injection, the CLI) use of SSM Parameter Store. */
export {
  type ParameterRecord,
  type ParameterVersion,
  type SsmContext,
  getParameterRecord,
  listParameterRecords,
  parameterArn,
} from './records.ts';
export {
  PARAMETERS_RESOLUTION_PREFIX,
  type ParameterResolveContext,
  ParameterResolutionError,
  parameterRegionOf,
  resolveParameterValue,
  resolveParameterValues,
} from './resolve.ts';
