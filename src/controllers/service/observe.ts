/** Reads everything one service reconcile needs, inside its transaction: the service, its tasks, instances and task definitions. */
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import type { EcsContext } from '../../ecs/model/context.ts';
import {
  type ClusterRecord,
  type ContainerInstanceRecord,
  keys,
  type ServiceRecord,
  type TaskDefinitionRecord,
  type TaskRecord,
} from '../../ecs/model/records.ts';
import { findTaskDefinition } from '../../ecs/model/task-definition-lookup.ts';
import { isExpired } from '../../ecs/model/tasks/task-view.ts';
import { Kind, type Reader, type Stored, type Tx } from '../../store/store.ts';
import { getAlarm } from '../../cloudwatch/model/alarms.ts';
import type { DeploymentAlarm } from './deployment-alarms.ts';
import { type ClassifyContext, classify, type ServiceTask } from './service-tasks.ts';

export interface Observation {
  stored: Stored<ServiceRecord>;
  cluster: ClusterRecord;
  /** Every known task of the service (STOPPED ones too, until they expire). */
  tasks: ServiceTask[];
  instanceStatus: Map<string, string>;
  /** Task definitions by ARN: the deployments' and the tasks'. */
  taskDefinitions: Map<string, TaskDefinitionRecord>;
  /** deploymentConfiguration.alarms when enabled: whether to roll back, and the alarms' states. */
  alarms?: { rollback: boolean; states: DeploymentAlarm[] };
  /** Reclassifies a task record written during this pass. */
  reclassify(key: string, version: number, record: TaskRecord): ServiceTask;
}

/** Undefined when the service or its cluster is gone, or the service is INACTIVE. */
export async function observe(
  ctx: EcsContext,
  tx: Tx,
  key: string,
  uncheckedHealthyAfterMs: number,
): Promise<Observation | undefined> {
  const stored = await tx.get<ServiceRecord>(Kind.Service, key);
  if (!stored || stored.value.service.status === 'INACTIVE') return undefined;
  const clusterName = stored.value.clusterName;
  const cluster = await tx.get<ClusterRecord>(Kind.Cluster, keys.cluster(clusterName));
  if (!cluster) return undefined;
  const now = ctx.clock.now();
  const prefix = keys.inCluster(clusterName);
  const instances = await tx.list<ContainerInstanceRecord>(Kind.ContainerInstance, { prefix });
  const instanceStatus = new Map<string, string>();
  for (const { value } of instances) {
    if (value.instance.status !== 'INACTIVE')
      instanceStatus.set(value.instance.containerInstanceArn ?? '', value.instance.status ?? 'ACTIVE');
  }
  const name = stored.value.service.serviceName;
  const records = (await tx.list<TaskRecord>(Kind.Task, { prefix })).filter(
    (t) => t.value.serviceName === name && !isExpired(t.value, now),
  );
  const taskDefinitions = new Map<string, TaskDefinitionRecord>();
  const arns = new Set<string>([
    ...(stored.value.service.deployments ?? []).map((d) => d.taskDefinition ?? ''),
    ...records.map((t) => t.value.task.taskDefinitionArn ?? ''),
  ]);
  for (const arn of arns) {
    if (!arn) continue;
    const td = await findTaskDefinition(ctx, tx, arn);
    if (td) taskDefinitions.set(arn, td.value);
  }
  const context: ClassifyContext = {
    now,
    gracePeriodMs: (stored.value.service.healthCheckGracePeriodSeconds ?? 0) * 1000,
    uncheckedHealthyAfterMs,
    instanceStatus,
    hasHealthCheck: (arn) => hasHealthCheck(taskDefinitions.get(arn)?.taskDefinition as TaskDefinition),
    hasLoadBalancers: (stored.value.service.loadBalancers ?? []).some((lb) => lb.targetGroupArn),
  };
  const alarmConfig = stored.value.service.deploymentConfiguration?.alarms;
  return {
    stored,
    cluster: cluster.value,
    ...(alarmConfig?.enable
      ? {
          alarms: {
            rollback: alarmConfig.rollback === true,
            states: await readAlarms(tx, alarmConfig.alarmNames ?? []),
          },
        }
      : {}),
    tasks: records.map((r) => classify(r.key, r.version, r.value, context)),
    instanceStatus,
    taskDefinitions,
    reclassify: (k, version, record) => classify(k, version, record, context),
  };
}

/** The named alarms as a deployment sees them; a name with no alarm never fires. */
async function readAlarms(reader: Reader, names: readonly string[]): Promise<DeploymentAlarm[]> {
  const out: DeploymentAlarm[] = [];
  for (const name of names) {
    const alarm = await getAlarm(reader, name);
    out.push({
      name,
      ...(alarm ? { state: alarm.state.value, transitionedAt: alarm.state.transitionedAt } : {}),
      windowMs:
        alarm?.type === 'MetricAlarm'
          ? (alarm.period ?? metricsPeriod(alarm.metrics)) * (alarm.evaluationPeriods + 1) * 1000
          : 0,
    });
  }
  return out;
}

/** A metric-math alarm's period: the longest of its metric stats. */
function metricsPeriod(
  metrics: readonly { MetricStat?: { Period?: number }; Period?: number }[] | undefined,
): number {
  return Math.max(0, ...(metrics ?? []).map((m) => m.MetricStat?.Period ?? m.Period ?? 0));
}

/** "If a task has one or more essential containers with a health check defined" (minimumHealthyPercent docs). */
export function hasHealthCheck(td: TaskDefinition | undefined): boolean {
  return (td?.containerDefinitions ?? []).some((c) => c.essential !== false && c.healthCheck !== undefined);
}
