/** CloudWatch metrics as other subsystems use them: write data points, read statistics, list metrics. */
export type { Cell, Distribution } from './cells.ts';
export {
  type MetricDatum,
  type MetricDimension,
  type MetricId,
  type MetricMinute,
  type MetricSeriesRecord,
  metricMinutes,
  putMetricData,
  Resolution,
} from './metric-data.ts';
export {
  alignStart,
  listMetricSeries,
  type MetricFilter,
  metricPeriods,
  metricStatistics,
  type PeriodCell,
  type PeriodQuery,
  periodAnswerable,
  RETENTION_MS,
  type StatisticsPoint,
} from './metric-query.ts';
export { type RetentionResult, retentionPass } from './retention.ts';
export { BASIC_STATISTICS, parseStatistic, type Statistic, statisticValue } from './statistics.ts';
export {
  type BlockWrite,
  blockStoreOf,
  KvBlockStore,
  type MetricBlockStore,
  useBlockStore,
} from './block-store.ts';
export { MetricsDatabase, SqliteBlockStore } from './sqlite-block-store.ts';
