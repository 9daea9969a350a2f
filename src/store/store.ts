/**
 * The Store interface: versioned records in named collections, written in serializable
 * transactions, with a change feed that every committed write goes through.
 */

/** Collections Longshore keeps. Each record is a JSON document under a string key. */
export const Kind = {
  Cluster: 'cluster',
  TaskDefinition: 'task-definition',
  ContainerInstance: 'container-instance',
  Task: 'task',
  Service: 'service',
  AccountSetting: 'account-setting',
  Tag: 'tag',
  ClientToken: 'client-token',
  Meta: 'meta',
  /** Cluster mode: each control-plane replica's presence (src/channel/replica-presence.ts). */
  Replica: 'replica',
  Vpc: 'ec2-vpc',
  Subnet: 'ec2-subnet',
  SecurityGroup: 'ec2-security-group',
  NetworkInterface: 'ec2-network-interface',
  EcrRepository: 'ecr-repository',
  EcrImage: 'ecr-image',
  EcrTag: 'ecr-tag',
  EcrUpload: 'ecr-upload',
  EcrScan: 'ecr-scan',
  EcrReplication: 'ecr-replication',
  Elbv2LoadBalancer: 'elbv2-load-balancer',
  Elbv2TargetGroup: 'elbv2-target-group',
  Elbv2Listener: 'elbv2-listener',
  Elbv2Rule: 'elbv2-rule',
  Elbv2Target: 'elbv2-target',
  Elbv2Certificate: 'elbv2-certificate',
  /** One CloudWatch metric (namespace, name, dimensions) and when it last got data, `src/cloudwatch/model/`. */
  MetricSeries: 'cloudwatch-metric',
  /** A block of one metric's cells at one resolution (1 s, 1 min, 5 min, 1 h), `src/cloudwatch/model/`. */
  MetricBlock: 'cloudwatch-metric-block',
  /** CloudWatch Logs (`src/logs/model/records.ts`); the events themselves live in the logs event store. */
  LogGroup: 'logs-group',
  LogStream: 'logs-stream',
  LogMetricFilter: 'logs-metric-filter',
  /** A Secrets Manager secret with its versions, values sealed (`src/secretsmanager/model/records.ts`). */
  SecretsManagerSecret: 'secretsmanager-secret',
  /** An SSM parameter with its history, SecureString values sealed (`src/ssm/model/records.ts`). */
  SsmParameter: 'ssm-parameter',
  // CloudWatch alarms (`src/cloudwatch/alarms/`).
  /** A metric or composite alarm with its state. */
  CloudWatchAlarm: 'cloudwatch-alarm',
  /** One alarm history item (state change, configuration update, action). */
  CloudWatchAlarmHistory: 'cloudwatch-alarm-history',
  // EventBridge (`src/events/`).
  /** An event accepted onto a bus and not yet matched against its rules (`src/events/model/`). */
  EventOutbox: 'events-outbox',
  /** What ECS last emitted for one task, container instance or service (`src/controllers/ecs-events/`). */
  EcsEventCursor: 'ecs-event-cursor',
  /** A custom event bus (the `default` bus exists without one until it gets a policy or tags). */
  EventBus: 'events-bus',
  /** A rule with its targets, keyed `<bus>/<rule>` (`src/events/model/records.ts`). */
  EventRule: 'events-rule',
  /** One (event, rule, target) to invoke, with its attempts (`src/events/model/deliveries.ts`). */
  EventDelivery: 'events-delivery',
  /** The last occurrence a scheduled rule fired, keyed `<bus>/<rule>`. */
  EventRuleSchedule: 'events-rule-schedule',
  /** A connection for API destinations, secret parts sealed. */
  EventConnection: 'events-connection',
  EventApiDestination: 'events-api-destination',
  // EventBridge Scheduler (`src/events/scheduler/`).
  /** A schedule group other than `default`, keyed by name (`src/events/model/schedules.ts`). */
  SchedulerGroup: 'scheduler-group',
  /** A schedule, keyed `<group>/<name>`. */
  SchedulerSchedule: 'scheduler-schedule',
  /** What the schedules controller last fired and fires next for one schedule, keyed like it. */
  SchedulerRun: 'scheduler-run',
  // Application Auto Scaling (`src/application-autoscaling/`).
  /** A scalable target (an ECS service's desired count) with its range and suspended state. */
  ScalableTarget: 'appscaling-target',
  /** A scaling policy (step or target tracking) of a scalable target, with its cooldown bookkeeping. */
  ScalingPolicy: 'appscaling-policy',
  /** A scheduled action of a scalable target, with the last occurrence it ran for. */
  ScheduledAction: 'appscaling-scheduled-action',
  /** One scaling activity (successful, failed or not scaled), kept six weeks. */
  ScalingActivity: 'appscaling-activity',
  // IAM and STS (`src/iam/`, `src/sts/`).
  /** An IAM user with its inline policies, attachments, boundary and tags, keyed by lower-cased name (`src/iam/model/records.ts`). */
  IamUser: 'iam-user',
  IamGroup: 'iam-group',
  IamRole: 'iam-role',
  /** A customer managed policy with its versions, keyed by lower-cased name. */
  IamPolicy: 'iam-policy',
  IamInstanceProfile: 'iam-instance-profile',
  /** A long-term access key (AKIA...), secret sealed, keyed by access key id. */
  IamAccessKey: 'iam-access-key',
  /** Temporary credentials (ASIA...) from AssumeRole or GetSessionToken, secret and token sealed. */
  StsSession: 'sts-session',
  /** An agent join token (Longshore's own; `src/iam/model/agent-keys.ts`): a hash of its secret, keyed by token id. */
  AgentJoinToken: 'agent-join-token',
  /** An agent's key pair from a join (AKLA...), secret sealed, keyed by access key id: an ecsInstanceRole session. */
  AgentKey: 'agent-key',
  // EFS (`src/efs/`).
  /** A file system with its policy and lifecycle configuration, keyed by id (`src/efs/model/records.ts`). */
  EfsFileSystem: 'efs-file-system',
  /** A mount target, keyed by id. */
  EfsMountTarget: 'efs-mount-target',
  /** An access point, keyed by id. */
  EfsAccessPoint: 'efs-access-point',
  // EC2 Auto Scaling (`src/autoscaling/`).
  /** An Auto Scaling group: range, desired capacity, launch definition, keyed by name (`src/autoscaling/model/records.ts`). */
  AutoScalingGroup: 'autoscaling-group',
  /** One instance of a group, keyed `<group>/<instance-id>`, with its lifecycle state and protection. */
  AutoScalingInstance: 'autoscaling-instance',
  /** An ECS capacity provider over an Auto Scaling group, keyed by name (`src/ecs/model/capacity-provider-records.ts`). */
  CapacityProvider: 'ecs-capacity-provider',
  /** Managed scaling's state per cluster and capacity provider: recent reservation datapoints, keyed `<cluster>/<provider>`. */
  ManagedScalingState: 'ecs-managed-scaling',
  // S3 (`src/s3/`).
  /** A bucket, keyed by name (global: bucket names are unique in the partition). */
  S3Bucket: 's3-bucket',
  /** An object's metadata, keyed `<bucket>/<key>`; its content is a file under `<dataDir>/s3/blobs/`. */
  S3Object: 's3-object',
  /** A multipart upload in progress, keyed `<bucket>/<uploadId>`. */
  S3Upload: 's3-upload',
  /** One uploaded part, keyed `<bucket>/<uploadId>/<part number>`. */
  S3Part: 's3-part',
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** A record as stored: `version` starts at 1 and grows by one on every write (optimistic concurrency). */
export interface Stored<T> {
  readonly key: string;
  readonly version: number;
  readonly value: T;
}

/** Selects records of one kind: by key prefix (keys embed their parents, e.g. `cluster/task-id`). */
export interface Query {
  prefix?: string;
}

/** What a write says about the record it replaces. */
export type Expect =
  /** Write whatever is there. */
  | undefined
  /** The record must not exist yet. */
  | 'absent'
  /** The record must be at exactly this version. */
  | number;

/** Thrown by `put`/`remove` when `Expect` does not hold; controllers re-read and retry. */
export class VersionConflict extends Error {
  readonly kind: Kind;
  readonly key: string;
  constructor(kind: Kind, key: string, expected: Expect, actual: number | undefined) {
    super(`version conflict on ${kind} ${key}: expected ${String(expected)}, found ${String(actual)}`);
    this.name = 'VersionConflict';
    this.kind = kind;
    this.key = key;
  }
}

/**
 * What changed in one kind under a key prefix since a reader last looked, so derived state (cluster
 * snapshots) is patched instead of rebuilt. Synchronous, so a caller's read and update cannot
 * interleave with a commit.
 */
export interface ChangesSince {
  /** Where to ask from next time; taken before anything is read. Opaque: hand it back as is. */
  cursor: unknown;
  /**
   * Current records (undefined: removed) of every key under the prefix written since the cursor,
   * plus the keys asked for in `also`; undefined means "cannot say" (no cursor, or the store's log
   * no longer reaches back to it): list everything.
   */
  changed: Map<string, Stored<unknown> | undefined> | undefined;
  /** Keys under the prefix this reader sees with uncommitted values (a transaction's own writes). */
  pending: string[];
}

/** Reads, inside or outside a transaction. Lists are ordered by key. */
export interface Reader {
  get<T>(kind: Kind, key: string): Promise<Stored<T> | undefined>;
  list<T>(kind: Kind, query?: Query): Promise<Stored<T>[]>;
  /** Committed changes to `kind` under `prefix` since `cursor` (undefined: from now), as this reader sees them. */
  changesSince(kind: Kind, prefix: string, cursor: unknown, also?: readonly string[]): ChangesSince;
}

/** One record written or removed by a committed transaction. */
export interface StoreChange {
  kind: Kind;
  key: string;
  /** The record's version after the write; undefined when it was removed. */
  version: number | undefined;
}

/**
 * The changes of one committed transaction, as `watch` delivers them. Revisions ascend by one per
 * transaction that wrote anything, across the whole store (several processes on one PostgreSQL
 * database see the same numbering), so a watcher can tell when it missed something.
 */
export interface ChangeBatch {
  revision: number;
  changes: readonly StoreChange[];
  /**
   * True when changes before this batch were lost to this watcher (it fell behind, or the feed was
   * interrupted): anything derived from earlier batches must be rebuilt from a fresh listing.
   * `clear()` announces itself this way too.
   */
  gap: boolean;
}

/** A watcher; it must not throw (an error it throws is rethrown asynchronously, never swallowed). */
export type ChangeListener = (batch: ChangeBatch) => void;

/** A transaction: reads see its own writes; nothing is visible to others until it commits. */
export interface Tx extends Reader {
  /** Writes `value`; returns the new version. */
  put<T>(kind: Kind, key: string, value: T, expect?: Expect): Promise<number>;
  remove(kind: Kind, key: string, expect?: Expect): Promise<boolean>;
  /** Runs `callback` once the transaction has committed (never when it rolls back). */
  onCommit(callback: () => void): void;
}

/** The embedded (SQLite) and cluster (PostgreSQL) stores both implement this. */
export interface Store extends Reader {
  /** Runs `fn` in one serializable transaction; commits when it resolves, rolls back when it throws. */
  transact<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
  /**
   * The change feed: `listener` gets every transaction committed from now on, once, in commit
   * order, after the commit and before `transact` resolves (in this process). The store is the one
   * source of change events: nothing else publishes them. Returns the unsubscribe function.
   */
  watch(listener: ChangeListener): () => void;
  /** The revision of the last committed transaction (0 for a new store). */
  revision(): number;
  /** Deletes every record (moto's `/moto-api/reset`, with `--moto-reset`); watchers get a gap. */
  clear(): Promise<void>;
  close(): Promise<void>;
}
