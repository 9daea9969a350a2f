/**
 * The records EventBridge keeps in the store (one region's view): event buses, rules with their
 * targets, deliveries waiting to be invoked, connections and API destinations. Targets live inside
 * their rule's record (at most 5 each), so PutTargets and DeleteRule change one record.
 */
import type { ApiDestinationHttpMethod, ConnectionState, Target } from '@aws-sdk/client-eventbridge';
import type { Partition } from '../../core/arn.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import type { Wire } from '../../core/wire.ts';
import type { Store } from '../../store/store.ts';

/** Seals and opens the secret parts of connections (the installation's value cipher, injected). */
export interface SecretSealer {
  seal(plain: string, context: string): string;
  open(sealed: string, context: string): Buffer;
}

/** What the EventBridge model and handlers work with, per region. */
export interface EventsContext {
  store: Store;
  clock: Clock;
  rng: Rng;
  partition: Partition;
  /** Made on first use: the key file is only read when a connection holds a secret. */
  sealer: () => SecretSealer;
}

export const DEFAULT_BUS = 'default';

export const RuleState = {
  Enabled: 'ENABLED',
  Disabled: 'DISABLED',
  EnabledWithCloudTrail: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
} as const;
export type RuleState = (typeof RuleState)[keyof typeof RuleState];

/** Kind.EventBus, keyed by name. */
export interface BusRecord {
  name: string;
  arn: string;
  description?: string;
  kmsKeyIdentifier?: string;
  deadLetterArn?: string;
  /** The resource policy (a JSON document), from PutPermission. */
  policy?: string;
  tags: Record<string, string>;
  /** Epoch ms. */
  createdAt: number;
  lastModifiedAt: number;
}

/** A target as PutTargets takes it (AWS JSON form). */
export type TargetRecord = Wire<Target>;

/** Kind.EventRule, keyed `ruleKey(bus, name)`. */
export interface RuleRecord {
  name: string;
  bus: string;
  arn: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
  managedBy?: string;
  createdBy: string;
  targets: TargetRecord[];
  tags: Record<string, string>;
  /** Epoch ms. */
  createdAt: number;
}

export type ConnectionAuthType = 'BASIC' | 'API_KEY' | 'OAUTH_CLIENT_CREDENTIALS';

/** One key/value of a connection's invocation or OAuth parameters; secret values are sealed. */
export interface ConnectionParameter {
  key: string;
  /** Plain when not secret. */
  value?: string;
  /** Sealed when `isValueSecret`. */
  sealed?: string;
  isValueSecret: boolean;
}

export interface ConnectionHttpParameters {
  headers: ConnectionParameter[];
  query: ConnectionParameter[];
  body: ConnectionParameter[];
}

/** Kind.EventConnection, keyed by name. Secret parts are sealed with `connectionSecretContext`. */
export interface ConnectionRecord {
  name: string;
  arn: string;
  /** `arn:aws:secretsmanager:...:secret:events!connection/<name>/<id>`, as EventBridge names it. */
  secretArn: string;
  description?: string;
  state: ConnectionState;
  authorizationType: ConnectionAuthType;
  basic?: { username: string; sealedPassword: string };
  apiKey?: { name: string; sealedValue: string };
  oauth?: {
    clientId: string;
    sealedClientSecret: string;
    authorizationEndpoint: string;
    httpMethod: string;
    parameters: ConnectionHttpParameters;
  };
  invocation: ConnectionHttpParameters;
  /** Epoch ms. */
  createdAt: number;
  lastModifiedAt: number;
  lastAuthorizedAt?: number;
}

/** Kind.EventApiDestination, keyed by name. */
export interface ApiDestinationRecord {
  name: string;
  arn: string;
  description?: string;
  connectionArn: string;
  invocationEndpoint: string;
  httpMethod: ApiDestinationHttpMethod;
  /** Invocations per second, 1..300; EventBridge's default is 300. */
  rateLimitPerSecond: number;
  /** Epoch ms. */
  createdAt: number;
  lastModifiedAt: number;
}

/** Kind.EventRuleSchedule, keyed like the rule: the last occurrence fired (epoch ms). */
export interface RuleScheduleRecord {
  ruleArn: string;
  lastFiredOccurrence: number;
}

/** Keys: bus and rule names hold no `/` (custom buses) so `bus/` is a safe prefix. */
export const eventsKeys = {
  rule: (bus: string, rule: string): string => `${bus}/${rule}`,
  rulesOf: (bus: string): string => `${bus}/`,
} as const;

/** The connection's sealed parts are bound to its ARN: a sealed value copied elsewhere does not open. */
export const connectionSecretContext = (connectionArn: string, part: string): string =>
  `${connectionArn}#${part}`;

export const busArn = (p: Partition, name: string): string =>
  `arn:aws:events:${p.region}:${p.accountId}:event-bus/${name}`;

/** Rules on the default bus have `rule/<name>`; on another bus `rule/<bus>/<name>`. */
export const ruleArn = (p: Partition, bus: string, name: string): string =>
  `arn:aws:events:${p.region}:${p.accountId}:rule/${bus === DEFAULT_BUS ? name : `${bus}/${name}`}`;

export const connectionArn = (p: Partition, name: string, id: string): string =>
  `arn:aws:events:${p.region}:${p.accountId}:connection/${name}/${id}`;

export const apiDestinationArn = (p: Partition, name: string, id: string): string =>
  `arn:aws:events:${p.region}:${p.accountId}:api-destination/${name}/${id}`;
