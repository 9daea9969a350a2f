/**
 * Which Smithy number type a model member holds. The SDK schemas that the gateway validates with
 * give every number one `NumericSchema`, so Integer, Long and Double members look alike there;
 * this table names, per service namespace, the members that are not 32-bit Integers.
 */

/** Smithy's number types (BigInteger and BigDecimal have schemas of their own). */
export const NumberKind = {
  Byte: 'byte',
  Short: 'short',
  Integer: 'integer',
  Long: 'long',
  Float: 'float',
  Double: 'double',
} as const;
export type NumberKind = (typeof NumberKind)[keyof typeof NumberKind];

/**
 * Per Smithy namespace, the members (`Structure$member`) whose numbers are not Integers in the
 * official model (botocore's service-2.json; test/aws/number-kinds.test.ts checks every served
 * service against the models in the shared reference folder and prints the entries to add). A kind
 * applies to the member's value, or to its items when it is a list or map of numbers. In a listed
 * namespace every other number member is an Integer, the type of nearly all of them; a namespace
 * not listed yet gets its numbers as sent, so a Double is never truncated by mistake.
 */
const NON_INTEGER_MEMBERS: ReadonlyMap<string, ReadonlyMap<string, NumberKind>> = new Map([
  [
    'com.amazonaws.ecs',
    new Map([
      ['CanaryConfiguration$canaryPercent', NumberKind.Double],
      ['ContainerInstance$version', NumberKind.Long],
      ['DaemonDeploymentConfiguration$drainPercent', NumberKind.Double],
      ['LinearConfiguration$stepPercent', NumberKind.Double],
      ['ManagedApplicationAutoScalingPolicy$targetValue', NumberKind.Double],
      ['MemoryGiBPerVCpuRequest$min', NumberKind.Double],
      ['MemoryGiBPerVCpuRequest$max', NumberKind.Double],
      ['NetworkBandwidthGbpsRequest$min', NumberKind.Double],
      ['NetworkBandwidthGbpsRequest$max', NumberKind.Double],
      ['Resource$doubleValue', NumberKind.Double],
      ['Resource$longValue', NumberKind.Long],
      ['Scale$value', NumberKind.Double],
      ['ServiceRevisionSummary$requestedTestTrafficWeight', NumberKind.Double],
      ['ServiceRevisionSummary$requestedProductionTrafficWeight', NumberKind.Double],
      ['Task$version', NumberKind.Long],
      ['TotalLocalStorageGBRequest$min', NumberKind.Double],
      ['TotalLocalStorageGBRequest$max', NumberKind.Double],
    ]),
  ],
  [
    'com.amazonaws.ecr',
    new Map([
      ['AwsEcrContainerImageDetails$inUseCount', NumberKind.Long],
      ['CvssScore$baseScore', NumberKind.Double],
      ['CvssScoreDetails$score', NumberKind.Double],
      ['EnhancedImageScanFinding$score', NumberKind.Double],
      ['ImageDetail$imageSizeInBytes', NumberKind.Long],
      ['ImageReferrer$size', NumberKind.Long],
      ['InitiateLayerUploadResponse$partSize', NumberKind.Long],
      ['InvalidLayerPartException$lastValidByteReceived', NumberKind.Long],
      ['Layer$layerSize', NumberKind.Long],
      ['UploadLayerPartRequest$partFirstByte', NumberKind.Long],
      ['UploadLayerPartRequest$partLastByte', NumberKind.Long],
      ['UploadLayerPartResponse$lastByteReceived', NumberKind.Long],
    ]),
  ],
  [
    'com.amazonaws.cloudwatch',
    new Map([
      ['DashboardEntry$Size', NumberKind.Long],
      ['Datapoint$SampleCount', NumberKind.Double],
      ['Datapoint$Average', NumberKind.Double],
      ['Datapoint$Sum', NumberKind.Double],
      ['Datapoint$Minimum', NumberKind.Double],
      ['Datapoint$Maximum', NumberKind.Double],
      ['Datapoint$ExtendedStatistics', NumberKind.Double],
      ['GetInsightRuleReportOutput$AggregateValue', NumberKind.Double],
      ['GetInsightRuleReportOutput$ApproximateUniqueCount', NumberKind.Long],
      ['InsightRuleContributor$ApproximateAggregateValue', NumberKind.Double],
      ['InsightRuleContributorDatapoint$ApproximateValue', NumberKind.Double],
      ['InsightRuleMetricDatapoint$UniqueContributors', NumberKind.Double],
      ['InsightRuleMetricDatapoint$MaxContributorValue', NumberKind.Double],
      ['InsightRuleMetricDatapoint$SampleCount', NumberKind.Double],
      ['InsightRuleMetricDatapoint$Average', NumberKind.Double],
      ['InsightRuleMetricDatapoint$Sum', NumberKind.Double],
      ['InsightRuleMetricDatapoint$Minimum', NumberKind.Double],
      ['InsightRuleMetricDatapoint$Maximum', NumberKind.Double],
      ['MetricAlarm$Threshold', NumberKind.Double],
      ['MetricDataResult$Values', NumberKind.Double],
      ['MetricDatum$Value', NumberKind.Double],
      ['MetricDatum$Values', NumberKind.Double],
      ['MetricDatum$Counts', NumberKind.Double],
      ['PutMetricAlarmInput$Threshold', NumberKind.Double],
      ['StatisticSet$SampleCount', NumberKind.Double],
      ['StatisticSet$Sum', NumberKind.Double],
      ['StatisticSet$Minimum', NumberKind.Double],
      ['StatisticSet$Maximum', NumberKind.Double],
    ]),
  ],
  [
    'com.amazonaws.elasticloadbalancingv2',
    new Map([
      ['AuthenticateCognitoActionConfig$SessionTimeout', NumberKind.Long],
      ['AuthenticateOidcActionConfig$SessionTimeout', NumberKind.Long],
      ['DescribeTrustStoreRevocation$RevocationId', NumberKind.Long],
      ['DescribeTrustStoreRevocation$NumberOfRevokedEntries', NumberKind.Long],
      ['DescribeTrustStoreRevocationsInput$RevocationIds', NumberKind.Long],
      ['GetTrustStoreRevocationContentInput$RevocationId', NumberKind.Long],
      ['RemoveTrustStoreRevocationsInput$RevocationIds', NumberKind.Long],
      ['TrustStore$TotalRevokedEntries', NumberKind.Long],
      ['TrustStoreRevocation$RevocationId', NumberKind.Long],
      ['TrustStoreRevocation$NumberOfRevokedEntries', NumberKind.Long],
      ['ZonalCapacityReservationState$EffectiveCapacityUnits', NumberKind.Double],
    ]),
  ],
  // Every number of these is an Integer (Longshore's own API: ExplainPlacement's `count`).
  ['com.amazonaws.scheduler', new Map()],
  ['com.amazonaws.sts', new Map()],
  ['com.longshore', new Map()],
]);

/**
 * The kind of the numbers in `member` of `structure` (`namespace#Name`, as the SDK names shapes);
 * undefined when the table does not cover the namespace.
 */
export function numberKind(structure: string, member: string): NumberKind | undefined {
  const hash = structure.indexOf('#');
  const members = NON_INTEGER_MEMBERS.get(structure.slice(0, hash));
  return members && (members.get(`${structure.slice(hash + 1)}$${member}`) ?? NumberKind.Integer);
}

/** The table, for the test that compares it with the models. */
export function nonIntegerMembers(): ReadonlyMap<string, ReadonlyMap<string, NumberKind>> {
  return NON_INTEGER_MEMBERS;
}
