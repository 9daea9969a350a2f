/** Assembles and starts the control plane: store, ECS handlers, gateway, HTTP listener. */
import { createHmac, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createGateway, type ExtraRoute } from '../aws/gateway.ts';
import {
  clearRegionControllers,
  emptyRegionControllers,
  type RegionDeps,
  startRegionControllers,
} from './region-controllers.ts';
import { openStore } from './open-store.ts';
import { healthRoutes, storeHealthOf } from './health-routes.ts';
import type { ServerTls } from './tls-files.ts';
import { useBlockStore } from '../cloudwatch/model/block-store.ts';
import { autoScalingControllers, groupLaunchers } from './auto-scaling-groups.ts';
import { RunningSet } from './running-set.ts';
import type { RequestContext } from '../aws/service.ts';
import { ServiceSet } from '../aws/service-set.ts';
import { Throttle } from '../aws/throttle.ts';
import { AgentHub } from '../channel/agent-hub.ts';
import { endOrphanedSessions } from '../channel/connectivity.ts';
import { ReplicaPresence } from '../channel/replica-presence.ts';
import { UsageRelay, usageRelayRoute } from '../channel/usage-relay.ts';
import type { SecretLookup } from '../aws/sigv4.ts';
import { longshoreVersion } from './version.ts';
import type { ControllerOptions, ControllerManager } from '../controllers/controller-manager.ts';
import type { EcrContext } from '../ecr/model/records.ts';
import { registryRoutes } from '../ecr/registry/registry-routes.ts';
import { s3Routes } from '../s3/s3-routes.ts';
import type { AlarmEvaluationController } from '../controllers/alarm-evaluation/alarm-evaluation-controller.ts';
import { AlarmActionRegistry } from '../cloudwatch/model/alarm-actions.ts';
import { lazyEventStore, lazyPostgresEventStore } from '../logs/model/lazy-event-store.ts';
import type { LogsContext } from '../logs/model/records.ts';
import type { EventRulesController } from '../controllers/event-rules/event-rules-controller.ts';
import type { EcsEventEmitter, EcsEventsOptions } from '../controllers/ecs-events/ecs-events-emitter.ts';
import type { EcsMetricsPublisher } from '../controllers/ecs-metrics/ecs-metrics-publisher.ts';
import type { AutoScalingContext } from '../application-autoscaling/model/records.ts';
import { type ScalingTiming, scalingTimingFrom } from '../application-autoscaling/model/timing.ts';
import { AWS_METRICS_PACE, metricsPaceFrom, paceEnv } from '../controllers/ecs-metrics/metrics-pace.ts';
import { liveTailRoute } from '../logs/live-tail/live-tail-route.ts';
import { DataplaneSupervisor } from '../elbv2/supervisor/dataplane-supervisor.ts';
import { putMetricData } from '../cloudwatch/model/metric-data.ts';
import { MetricsDatabase, SqliteBlockStore } from '../cloudwatch/model/sqlite-block-store.ts';
import { LazyMetrics } from '../prometheus/lazy-metrics.ts';
import { DEFAULT_STOPPED_TASK_RETENTION_MS, type EcsContext } from '../ecs/model/context.ts';
import { ecsService } from '../ecs/ecs-service.ts';
import { longshoreService } from '../longshore-api/longshore-service.ts';
import { Kind, type Store } from '../store/store.ts';
import type { Credentials } from './credentials.ts';
import { systemClock, systemRng } from '../core/system.ts';
import { describeError } from '../core/errors.ts';
import { RegionSet } from './regions.ts';
import { regionView } from '../store/region-view.ts';
import { lazyKeyFileCipher } from '../crypto/value-cipher.ts';
import { CredentialIndex } from '../iam/model/credentials.ts';
import { isAgentKeyId } from '../iam/model/agent-keys.ts';
import { agentJoinRoute } from './agent-join-route.ts';
import { policySetFor } from '../iam/model/policy-set.ts';
import { Authorizer } from '../aws/authorize.ts';
import { resourceFacts } from '../aws/authorization/resource-facts.ts';
import type { IamContext } from '../iam/model/records.ts';
import { taskRoleIssuer } from '../iam/model/task-credentials.ts';

export interface ControlPlaneOptions {
  dataDir: string;
  host: string;
  port: number;
  region: string;
  accountId: string;
  credentials: Credentials;
  /** Multiplier of ECS's throttling rates; 0 turns throttling off. */
  throttle: number;
  /**
   * Serve moto's `POST /moto-api/reset`, which forgets every record and, as in moto, takes no
   * credentials: only when the user asks for it (`--moto-reset`); otherwise the path is unknown.
   */
  motoReset: boolean;
  /** An OSV export directory ECR image scans match against (`--vulnerability-feed`). */
  vulnerabilityFeedDir?: string;
  /** The registry's 401 challenge (`--registry-auth`): ECR's Basic by default, or the token flow's Bearer. */
  registryAuth?: 'basic' | 'token';
  /** A PostgreSQL URL (`--store`): records there, shared by replicas; the embedded SQLite store otherwise. */
  storeUrl?: string;
  /**
   * Cluster mode: a directory every replica mounts (NFS, CephFS ...) holding ECR blobs and S3
   * objects (`--shared-dir`), so any replica serves what another stored; else each replica's data directory.
   */
  sharedDir?: string;
  /** IAM authorization of every request (`--iam`): on by default; `off` allows every signed request. */
  iam?: 'on' | 'off';
  /** Extra environment for the load balancer data plane process (tests: metrics interval, workers). */
  loadBalancerEnv?: Record<string, string>;
  stoppedTaskRetentionMs?: number;
  maxBodyBytes?: number;
  /** The service scheduler and its friends; `false` runs the API alone (handler tests). */
  controllers?: false | ControllerOptions;
  /**
   * ECS's events on each region's default bus (docs/ecs-events.md); they run whether or not the
   * service scheduler does. `false` starts none (tests: a stop committed with no event emitted yet).
   */
  ecsEvents?: false | EcsEventsOptions;
  /**
   * Application Auto Scaling's pace (docs/auto-scaling.md): shorter alarm periods and a ceiling on
   * cooldowns for local use; AWS's by default, or LONGSHORE_AUTOSCALING_* from the environment.
   */
  autoScaling?: Partial<ScalingTiming>;
  /**
   * Fast local metrics (`--fast-metrics`, LONGSHORE_FAST_METRICS=1): AWS/ECS datapoints every 5 s,
   * 10 s target tracking periods, cooldowns of at most 10 s, alarms evaluated every second
   * (controllers/ecs-metrics/metrics-pace.ts). AWS's pace by default.
   */
  fastMetrics?: boolean;
  /** Seconds between AWS/ECS datapoints (LONGSHORE_ECS_METRICS_INTERVAL_SECONDS; AWS: 60). */
  ecsMetricsIntervalSeconds?: number;
  /** HTTPS for the API and the agent channel (`--tls-cert`, `--tls-key`): the endpoint is then https://. */
  tls?: ServerTls;
  log: Logger;
}

export interface ControlPlane {
  endpoint: string;
  port: number;
  server: Server | HttpsServer;
  store: Store;
  hub: AgentHub;
  /** The home region's ECS context (the one `longshore` commands default to). */
  ecs: EcsContext;
  /** Every region's ECS context, made on first use. */
  regions: RegionSet;
  /** The AWS APIs the gateway serves (tests load them all with `loadAll()` and walk their operations). */
  services: ServiceSet;
  /** The home region's service scheduler. */
  controllers?: ControllerManager;
  /** The load balancers' data plane (a child process once a load balancer exists). */
  loadBalancers: DataplaneSupervisor;
  /** Each region's AWS/ECS metrics publisher (tests publish a minute without waiting for it). */
  ecsMetrics: ReadonlyMap<string, EcsMetricsPublisher>;
  /** IAM authorization (`longshore iam explain` and tests ask it for decisions). */
  authorizer: Authorizer;
  /** Invokers of CloudWatch alarm actions by ARN prefix (Application Auto Scaling registers its own). */
  alarmActions: AlarmActionRegistry;
  /** Each region's alarm evaluation (tests evaluate an alarm now with `evaluate(name)`). */
  alarmEvaluations: ReadonlyMap<string, AlarmEvaluationController>;
  /** Each region's EventBridge delivery (tests wait for it with `idle()`). */
  eventRules: ReadonlyMap<string, EventRulesController>;
  /** Each region's ECS event emitter (none with `ecsEvents: false`). */
  ecsEvents: ReadonlyMap<string, EcsEventEmitter>;
  close(): Promise<void>;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const { store, leader, readBarrier } = await openStore(options);
  const config = {
    stoppedTaskRetentionMs: options.stoppedTaskRetentionMs ?? DEFAULT_STOPPED_TASK_RETENTION_MS,
    pollEndpoint: '',
  };
  const regions = await RegionSet.open({
    store,
    preferred: options.region,
    accountId: options.accountId,
    clock: systemClock,
    rng: systemRng,
    config,
    log: options.log,
  });
  const ecs = regions.context(regions.home);
  /** Each request and each agent works in the region its signature is scoped to. */
  const contextFor = (request: RequestContext) => regions.context(request.caller.region);
  /** What the sibling services need of the region: its partition (no ECS region is made for them). */
  const partitionFor = (request: RequestContext) => ({
    partition: { region: request.caller.region, accountId: options.accountId },
  });
  /**
   * What every sibling service works on in a region: the region's store view (made on first use,
   * like ECS's), its clock, randomness and partition, with no ECS region state. EC2 and ELBv2
   * (whose load balancers name EC2's subnets and VPCs) need nothing more.
   */
  /** `root` as `ctx`'s region sees it: the region's own view, or a leader term's (made once per term and region). */
  const termViews = new WeakMap<Store, Map<string, Store>>();
  const storeView = (ctx: EcsContext, root: Store): Store => {
    if (root === store) return ctx.store;
    const region = ctx.partition.region;
    const views = termViews.get(root) ?? new Map<string, Store>();
    termViews.set(root, views);
    const view = views.get(region) ?? regionView(root, region, regions.home);
    views.set(region, view);
    return view;
  };
  const regionBase = (region: string, root: Store = store) => {
    const ctx = regions.context(region);
    return { store: storeView(ctx, root), clock: ctx.clock, rng: ctx.rng, partition: ctx.partition };
  };
  const ec2ContextFor = (request: RequestContext) => regionBase(request.caller.region);
  /** ECR: repositories and the registry's store in the region; the host is known once we listen. */
  const registry = {
    host: '',
    dir: join(options.sharedDir ?? options.dataDir, 'registry'),
    // Registry passwords are signed with a key derived from the installation's secret.
    tokenSecret: createHmac('sha256', options.credentials.secretAccessKey)
      .update('longshore-ecr-token')
      .digest('hex'),
  };
  const ecrContextFor = (region: string, root?: Store): EcrContext => ({
    ...regionBase(region, root),
    registryHost: registry.host,
    registryDir: registry.dir,
    tokenSecret: registry.tokenSecret,
    ...(options.tls ? { registryTls: true } : {}),
    ...(options.vulnerabilityFeedDir ? { vulnerabilityFeedDir: options.vulnerabilityFeedDir } : {}),
  });
  /**
   * CloudWatch Logs: records in the region's store view; events in `<dataDir>/logs/events.db`, or
   * in cluster mode in the replicas' PostgreSQL database (every replica reads every event), opened on first use.
   */
  const logsEvents = options.storeUrl
    ? await lazyPostgresEventStore(options.storeUrl)
    : lazyEventStore(join(options.dataDir, 'logs', 'events.db'));
  const logsContextFor = (region: string, root?: Store): LogsContext => ({
    ...regionBase(region, root),
    events: logsEvents.get(),
  });
  /**
   * Secrets Manager and SSM Parameter Store: the region's store view, and the cipher that seals
   * secret and SecureString values with the key in `<dataDir>/keys/secrets.key` (made on first use).
   */
  const secretsCipher = lazyKeyFileCipher(join(options.dataDir, 'keys', 'secrets.key'));
  const secretsContextFor = (request: RequestContext) => ({
    ...regionBase(request.caller.region),
    cipher: secretsCipher,
  });
  /** EventBridge: the region's store view; connection secrets sealed with the same value cipher. */
  const eventsContextFor = (region: string) => ({ ...regionBase(region), sealer: secretsCipher });
  /** Application Auto Scaling: the region's store view and the pace its alarms and cooldowns keep. */
  // The local pace: `fastMetrics` fills in the LONGSHORE_* variables the environment leaves unset.
  const paced = paceEnv(process.env, options.fastMetrics);
  const metricsPace = metricsPaceFrom(paced, options.ecsMetricsIntervalSeconds);
  const scalingTiming = scalingTimingFrom(paced, options.autoScaling);
  const autoScalingContextFor = (region: string, root?: Store): AutoScalingContext => ({
    ...regionBase(region, root),
    timing: scalingTiming,
  });
  const extraRoutes: ExtraRoute[] = [];
  if (options.motoReset) extraRoutes.push(resetRoute(store, options.log, () => metricsDb?.clear()));
  // Prometheus metrics at GET /metrics: requests counted from the start, prom-client loaded with the first scrape.
  const metrics = new LazyMetrics({
    regions: () => regions.all().map((c) => ({ region: c.partition.region, store: c.store })),
    store,
    agentsConnected: () => hub.connectedAgents,
  });
  extraRoutes.push({ method: 'GET', path: '/metrics', handle: metrics.handle });
  // GET /healthz and /readyz, unsigned (health-routes.ts); not ready once close() begins.
  let closing = false;
  extraRoutes.push(
    ...healthRoutes({
      store: options.storeUrl ? 'postgres' : 'sqlite',
      storeHealth: storeHealthOf(store),
      isLeader: () => leader.isLeader(),
      closing: () => closing,
    }),
  );
  /**
   * IAM and STS: global, in the root store. Access keys and session secrets are sealed with the key
   * in `<dataDir>/keys/iam.key` (made on first use); the credential index answers the gateway's
   * synchronous key lookups (the root key, users' keys, sessions) from memory, fed by the change feed.
   */
  const iamCipher = lazyKeyFileCipher(join(options.dataDir, 'keys', 'iam.key'));
  const credentialIndex = await CredentialIndex.open({
    store,
    sealer: {
      seal: (plain, context) => iamCipher().seal(plain, context),
      open: (sealed, context) => iamCipher().open(sealed, context),
    },
    clock: systemClock,
    accountId: options.accountId,
    root: options.credentials,
    onError: (error) => options.log.warn({ error: describeError(error) }, 'IAM credential index'),
  });
  const iamContext: IamContext = {
    store,
    clock: systemClock,
    rng: systemRng,
    accountId: options.accountId,
    sealer: {
      seal: (plain, context) => iamCipher().seal(plain, context),
      open: (sealed, context) => iamCipher().open(sealed, context),
    },
    lastUsed: (id, stored) => credentialIndex.lastUsed(id, stored),
    expiredSessions: (before, limit) => credentialIndex.expiredSessions(before, limit),
  };
  const stsContextFor = (request: RequestContext) => ({ ...iamContext, ...partitionFor(request) });
  // Agents trade a join token for keys of their own (unsigned; docs/agents.md).
  extraRoutes.push(agentJoinRoute({ ctx: iamContext, log: options.log }));
  // ECS is loaded now; the siblings (and their SDK models) on the first request for one of them.
  const services = new ServiceSet([
    ecsService(contextFor),
    longshoreService(contextFor, () => loadBalancers.listeners(), {
      store,
      clock: systemClock,
      rng: systemRng,
    }),
    {
      name: 'sts',
      signingName: 'sts',
      load: async () => (await import('../sts/sts-service.ts')).stsService(stsContextFor),
    },
    {
      name: 'iam',
      signingName: 'iam',
      load: async () => (await import('../iam/iam-service.ts')).iamService(() => iamContext),
    },
    {
      name: 'scheduler',
      signingName: 'scheduler',
      load: async () =>
        // The region's store view, clock and randomness: the same context EC2 gets.
        (await import('../events/scheduler/scheduler-service.ts')).schedulerService(ec2ContextFor),
    },
    {
      name: 'events',
      signingName: 'events',
      load: async () =>
        (await import('../events/bus/events-service.ts')).eventsService((request) =>
          eventsContextFor(request.caller.region),
        ),
    },
    {
      name: 'cloudwatch',
      signingName: 'monitoring',
      load: async () =>
        (await import('../cloudwatch/cloudwatch-service.ts')).cloudWatchService(ec2ContextFor),
    },
    {
      name: 'application-autoscaling',
      signingName: 'application-autoscaling',
      load: async () =>
        (
          await import('../application-autoscaling/application-autoscaling-service.ts')
        ).applicationAutoScalingService((request) => autoScalingContextFor(request.caller.region)),
    },
    {
      name: 'autoscaling',
      signingName: 'autoscaling',
      load: async () =>
        (await import('../autoscaling/autoscaling-service.ts')).autoScalingService(ec2ContextFor),
    },
    {
      name: 'ecr',
      signingName: 'ecr',
      load: async () =>
        (await import('../ecr/ecr-service.ts')).ecrService((request) => ecrContextFor(request.caller.region)),
    },
    {
      name: 'logs',
      signingName: 'logs',
      load: async () =>
        (await import('../logs/logs-service.ts')).logsService((request) =>
          logsContextFor(request.caller.region),
        ),
    },
    {
      name: 'acm',
      signingName: 'acm',
      load: async () => (await import('../acm/acm-service.ts')).acmService(ec2ContextFor),
    },
    {
      name: 'secretsmanager',
      signingName: 'secretsmanager',
      load: async () =>
        (await import('../secretsmanager/secretsmanager-service.ts')).secretsManagerService(
          secretsContextFor,
        ),
    },
    {
      name: 'ssm',
      signingName: 'ssm',
      load: async () => (await import('../ssm/ssm-service.ts')).ssmService(secretsContextFor),
    },
    {
      name: 'efs',
      signingName: 'elasticfilesystem',
      load: async () => {
        const { efsService } = await import('../efs/efs-service.ts');
        const { LocalDirectoryBackend } = await import('../efs/model/file-system-backend.ts');
        // File system data: `<dataDir>/efs/<fs-id>/`, or under LONGSHORE_EFS_ROOT (a shared
        // mount at the same path on every host, for tasks on several hosts: docs/volumes.md).
        const backend = new LocalDirectoryBackend(
          process.env.LONGSHORE_EFS_ROOT ?? join(options.dataDir, 'efs'),
        );
        return efsService((request) => ({ ...ec2ContextFor(request), backend }));
      },
    },
    {
      name: 'ec2',
      signingName: 'ec2',
      load: async () => (await import('../ec2/ec2-service.ts')).ec2Service(ec2ContextFor),
    },
    {
      name: 'elbv2',
      signingName: 'elasticloadbalancing',
      load: async () => (await import('../elbv2/elbv2-service.ts')).elbv2Service(ec2ContextFor),
    },
  ]);
  // IAM authorization on every request (docs/iam-authorization.md): compiled policy sets are cached
  // per principal and dropped when an IAM record changes.
  const iamKinds = new Set<string>([
    Kind.IamUser,
    Kind.IamGroup,
    Kind.IamRole,
    Kind.IamPolicy,
    Kind.StsSession,
  ]);
  const authorizer = new Authorizer({
    enabled: options.iam !== 'off',
    policySetFor: (principal) => policySetFor(store, principal),
    resourceFacts: (region, ref) => resourceFacts(regions.context(region).store, ref),
    watch: (invalidate) =>
      store.watch((batch) => {
        if (batch.gap || batch.changes.some((c) => iamKinds.has(c.kind))) invalidate();
      }),
  });
  const gateway = createGateway({
    authorizer,
    services,
    // The OCI distribution API (`docker push` / `pull`): its own auth (ECR's registry passwords).
    rawRoutes: [
      ...registryRoutes(ecrContextFor, {
        home: regions.home,
        challenge: options.registryAuth === 'token' ? 'bearer' : 'basic',
        log: options.log,
      }),
      // CloudWatch Logs' StartLiveTail: an event stream answer, which the JSON protocol does not write.
      liveTailRoute({ logsContextFor }),
      // S3 (every request signed for `s3`): buckets in the root store, objects under `<dataDir>/s3/`.
      ...s3Routes({
        store,
        clock: systemClock,
        rng: systemRng,
        dir: join(options.sharedDir ?? options.dataDir, 's3'),
        accountId: options.accountId,
        secrets: (id) => credentialIndex.resolve(id),
        baseHosts: () => (registry.host ? [new URL(`http://${registry.host}`).hostname] : []),
        log: options.log,
      }),
    ],
    bodyLimits: { ...ECR_BODY_LIMITS, ...LOGS_BODY_LIMITS },
    secrets: (id) => credentialIndex.resolve(id),
    // Cluster mode: every request first sees every write acknowledged by any replica (one query,
    // shared by concurrent requests; docs/cluster-mode.md).
    ...(readBarrier ? { readBarrier } : {}),
    onAuthenticated: (caller, now) =>
      credentialIndex.noteUse(caller.accessKeyId, caller.service, caller.region, now),
    throttle: new Throttle(options.throttle),
    clock: systemClock,
    newRequestId: randomUUID,
    maxBodyBytes: options.maxBodyBytes,
    extraRoutes,
    onRequest: metrics.onRequest,
    log: options.log,
  });
  // Embedded: no agent is connected yet, whatever the store says from before a crash. Cluster
  // mode: agents may be connected to other replicas; the leader ends those of dead replicas.
  if (!options.storeUrl) for (const ctx of regions.all()) await endOrphanedSessions(ctx, () => false);
  let listening = '';
  const presence = options.storeUrl
    ? new ReplicaPresence({
        store,
        id: `${hostname()}-${randomUUID().slice(0, 8)}`,
        endpoint: () => listening,
        leader: () => leader.isLeader(),
        version: longshoreVersion(),
        clock: systemClock,
        log: options.log,
      })
    : undefined;
  /** The usage relay between replicas signs with the installation's root key. */
  const rootKeys: SecretLookup = (id) => {
    const credential = credentialIndex.resolve(id);
    return credential?.principal.type === 'root' ? credential : undefined;
  };
  /** Agents sign with the root key or with their own (a join token's: an ecsInstanceRole session). */
  const agentKeys: SecretLookup = (id) => {
    const credential = credentialIndex.resolve(id);
    return credential?.principal.type === 'root' || isAgentKeyId(id) ? credential : undefined;
  };
  const hub = new AgentHub(
    regions,
    agentKeys,
    options.log,
    // Task and execution role sessions for the agents (docs/task-roles.md).
    taskRoleIssuer(iamContext, options.credentials.secretAccessKey),
    presence ? { presence, leading: () => leader.isLeader() } : undefined,
  );
  // Load balancers' listeners and proxies: a child process, started with the first load balancer.
  const loadBalancers = new DataplaneSupervisor({
    bindAddress: options.host,
    agentAddress: (arn) => hub.agentAddress(arn),
    log: options.log,
    now: () => systemClock.now(),
    onMetrics: (store, data) => putMetricData(store, data),
    ...(options.loadBalancerEnv ? { env: options.loadBalancerEnv } : {}),
  });
  // One listener: HTTPS with --tls-cert/--tls-key (the agent channel's upgrades are then wss://).
  const server = options.tls
    ? createHttpsServer({ keepAliveTimeout: 65_000, cert: options.tls.cert, key: options.tls.key }, gateway)
    : createServer({ keepAliveTimeout: 65_000 }, gateway);
  server.on('upgrade', (req, socket, head) => {
    if (!hub.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const scheme = options.tls ? 'https' : 'http';
  const endpoint = `${scheme}://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`;
  config.pollEndpoint = endpoint;
  listening = endpoint;
  // Cluster mode: this replica's presence record (agents learn where to reconnect from it).
  await presence?.start();
  registry.host = new URL(endpoint).host;
  // Instances of Auto Scaling groups: agents started by launchers, stopped with the control plane.
  const launchers = groupLaunchers({
    endpoint: () => endpoint,
    credentials: options.credentials,
    dataDir: options.dataDir,
    log: options.log,
  });
  // Per region, once the API answers: every controller, publisher and sweeper (region-controllers.ts).
  const running = new RunningSet(options.log);
  const perRegion = emptyRegionControllers();
  const { ecsMetrics, eventRules, alarmEvaluations, ecsEvents, managers } = perRegion;
  // AWS/ECS metrics from the usage samples agents send (per region, once a minute).
  // Cluster mode: a follower relays its agents' samples to the leader, whose publisher has the rest.
  const usageRelay = presence
    ? new UsageRelay({
        presence,
        credentials: options.credentials,
        region: regions.home,
        clock: systemClock,
        log: options.log,
      })
    : undefined;
  if (presence)
    extraRoutes.push(
      usageRelayRoute({
        secrets: rootKeys,
        clock: systemClock,
        accept: (s) => ecsMetrics.get(s.region)?.record(s.at, s.tasks),
      }),
    );
  hub.onUsage(
    (ctx, at, tasks) => {
      const region = ctx.partition.region;
      const publisher = ecsMetrics.get(region);
      if (publisher) publisher.record(at, tasks);
      else usageRelay?.add({ region, at, tasks });
    },
    metricsPace === AWS_METRICS_PACE ? undefined : metricsPace.sampleMs,
  );
  // CloudWatch alarms: evaluated per region; LONGSHORE_ALARM_EVALUATION_MS shortens CloudWatch's minute.
  const alarmActions = new AlarmActionRegistry();
  // Scaling policies are alarm actions: Application Auto Scaling runs them (loaded with the first one).
  alarmActions.register('arn:aws:autoscaling:', async (action) =>
    (await import('../application-autoscaling/model/alarm-invoker.ts')).scalingPolicyInvoker(
      autoScalingContextFor,
    )(action),
  );
  const alarmIntervalMs = Number(paced.LONGSHORE_ALARM_EVALUATION_MS) || undefined;
  // CloudWatch metric blocks: a table of their own, not mirrored in memory (cloudwatch/README.md).
  let metricsDb: MetricsDatabase | undefined;
  const openMetricsDb = (): MetricsDatabase => {
    metricsDb ??= new MetricsDatabase(join(options.dataDir, 'metrics.db'));
    return metricsDb;
  };
  /** What the controllers of a leader's term use: every context writes through `term` (fenced). */
  const regionDeps = (term: Store): RegionDeps => ({
    log: options.log,
    running,
    ecsContextFor: (region) => ({
      ...regions.context(region),
      store: storeView(regions.context(region), term),
    }),
    ...(options.controllers !== undefined ? { controllers: options.controllers } : {}),
    ...(options.ecsEvents !== undefined ? { ecsEvents: options.ecsEvents } : {}),
    // The API's view, not the term's: listeners keep serving whoever leads.
    addLoadBalancerRegion: (region) => loadBalancers.addRegion(region, regions.context(region).store),
    ecrContextFor: (region) => ecrContextFor(region, term),
    registryDir: registry.dir,
    collectBlobs: (now) => {
      import('../ecr/model/blob-store.ts').then(
        (m) => m.blobStoreFor(registry.dir).requestCollection(now),
        (error: unknown) =>
          options.log.warn({ error: describeError(error) }, 'loading the blob store failed'),
      );
    },
    logsContextFor: (region) => logsContextFor(region, term),
    logsEvents: () => (logsEvents.opened() ? logsEvents.get() : undefined),
    secretsCipher,
    alarmActions,
    ...(alarmIntervalMs ? { alarmIntervalMs } : {}),
    metricsPace,
    autoScalingContextFor: (region) => autoScalingContextFor(region, term),
    // EC2 Auto Scaling groups and ECS managed scaling (their launchers start instances on first use).
    groupControllers: (ctx) =>
      autoScalingControllers(ctx, {
        launchers,
        periodSeconds: scalingTiming.periodSeconds,
        log: options.log,
      }),
  });
  // Every replica serves the API (metric blocks included); the leader runs the controllers.
  // The store as this term's controllers write it: a deposed leader's late writes fail (`Fenced`).
  let term: RegionDeps | undefined = leader.isLeader() ? regionDeps(leader.fenced(store)) : undefined;
  const known: EcsContext[] = [];
  regions.onRegion((ctx) => {
    // Embedded: metric blocks in <dataDir>/metrics.db. Cluster mode: as records in PostgreSQL,
    // which every replica reads (a replica's own file would hide the leader's datapoints).
    if (!options.storeUrl)
      useBlockStore(ctx.store, new SqliteBlockStore(openMetricsDb(), ctx.partition.region));
    known.push(ctx);
    if (term) startRegionControllers(term.ecsContextFor(ctx.partition.region), term, perRegion);
  });
  const leadership = leader.onChange((now) => {
    if (now === (term !== undefined)) return;
    // The replica record says who leads at once (operators read it; nothing depends on it).
    presence?.beat().catch(() => {});
    if (now) {
      options.log.warn('this replica holds the leader lease: starting the controllers');
      const deps = regionDeps(leader.fenced(store));
      term = deps;
      for (const ctx of known)
        startRegionControllers(deps.ecsContextFor(ctx.partition.region), deps, perRegion);
      return;
    }
    options.log.warn('this replica lost the leader lease: stopping the controllers');
    term = undefined;
    clearRegionControllers(perRegion);
    running.stopAll().then(
      () => {},
      (error: unknown) =>
        options.log.error({ error: describeError(error) }, 'stopping the controllers failed'),
    );
  });
  const controllers = managers.get(regions.home);
  return {
    endpoint,
    port,
    server,
    store,
    hub,
    ecs,
    regions,
    services,
    controllers,
    loadBalancers,
    ecsMetrics,
    authorizer,
    alarmActions,
    alarmEvaluations,
    eventRules,
    ecsEvents,
    async close() {
      closing = true;
      leadership();
      // Its record gone, agents and the leader know at once that this replica left.
      usageRelay?.close();
      await presence?.stop();
      await running.stopAll();
      await launchers.close();
      await loadBalancers.close();
      metricsDb?.close();
      await hub.close();
      authorizer.close();
      credentialIndex.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await logsEvents.close();
      await leader.close();
      await store.close();
    },
  };
}

/** ECR's UploadLayerPart carries up to 20 MiB, base64-encoded in JSON (4/3 of it), plus the envelope. */
const ECR_BODY_LIMITS = {
  'AmazonEC2ContainerRegistry_V20150921.UploadLayerPart': 28 * 1024 * 1024,
} as const;

/**
 * PutLogEvents carries up to 1 MiB of messages (10,000 events), which JSON escaping and the
 * per-event envelope can grow several times over; CloudWatch's own limit is on the messages.
 */
const LOGS_BODY_LIMITS = { 'Logs_20140328.PutLogEvents': 8 * 1024 * 1024 } as const;

/** `POST /moto-api/reset`: forget every record, as moto's server mode does (with `--moto-reset` only). */
function resetRoute(store: Store, log: Logger, alsoClear: () => void): ExtraRoute {
  return {
    method: 'POST',
    path: '/moto-api/reset',
    async handle(_req, res) {
      await store.clear();
      alsoClear();
      log.info('state reset through /moto-api/reset');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status": "ok"}');
    },
  };
}
