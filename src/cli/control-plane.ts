/** Assembles and starts the control plane: store, ECS handlers, gateway, HTTP listener. */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createGateway, type ExtraRoute } from '../aws/gateway.ts';
import type { RequestContext } from '../aws/service.ts';
import { ServiceSet } from '../aws/service-set.ts';
import { Throttle } from '../aws/throttle.ts';
import { AgentHub } from '../channel/agent-hub.ts';
import { markAllDisconnected } from '../channel/connectivity.ts';
import { type ControllerOptions, ControllerManager } from '../controllers/controller-manager.ts';
import type { EcrContext } from '../ecr/model/records.ts';
import { registryRoutes } from '../ecr/registry/registry-routes.ts';
import { EcrLifecycleController } from '../controllers/ecr-lifecycle/ecr-lifecycle-controller.ts';
import { EcrReplicationController } from '../controllers/ecr-replication/ecr-replication-controller.ts';
import { LogsRetentionController } from '../controllers/logs-retention/logs-retention-controller.ts';
import { MetricsRetentionController } from '../controllers/metrics-retention/metrics-retention-controller.ts';
import { AlarmEvaluationController } from '../controllers/alarm-evaluation/alarm-evaluation-controller.ts';
import { AlarmActionRegistry } from '../cloudwatch/model/alarm-actions.ts';
import { lazyEventStore } from '../logs/model/lazy-event-store.ts';
import type { LogsContext } from '../logs/model/records.ts';
import { TaskNetworkController } from '../controllers/task-network/task-network-controller.ts';
import { TaskTargetsController } from '../controllers/task-targets/task-targets-controller.ts';
import { EventRulesController } from '../controllers/event-rules/event-rules-controller.ts';
import { SchedulesController } from '../controllers/schedules/schedules-controller.ts';
import { runTask } from '../ecs/tasks/run-task.ts';
import { EcsEventEmitter, type EcsEventsOptions } from '../controllers/ecs-events/ecs-events-emitter.ts';
import { EcsMetricsPublisher } from '../controllers/ecs-metrics/ecs-metrics-publisher.ts';
import { ServiceScalingController } from '../controllers/service-scaling/service-scaling-controller.ts';
import type { AutoScalingContext } from '../application-autoscaling/model/records.ts';
import { type ScalingTiming, scalingTimingFrom } from '../application-autoscaling/model/timing.ts';
import { DataplaneSupervisor } from '../elbv2/supervisor/dataplane-supervisor.ts';
import { putMetricData } from '../cloudwatch/model/metric-data.ts';
import { MetricsDatabase, SqliteBlockStore } from '../cloudwatch/model/sqlite-block-store.ts';
import { useBlockStore } from '../cloudwatch/model/block-store.ts';
import { LazyMetrics } from '../prometheus/lazy-metrics.ts';
import { RetentionSweeper } from '../controllers/retention/retention-sweeper.ts';
import { DEFAULT_STOPPED_TASK_RETENTION_MS, type EcsContext } from '../ecs/model/context.ts';
import { ecsService } from '../ecs/ecs-service.ts';
import { longshoreService } from '../longshore-api/longshore-service.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { Kind, type Store } from '../store/store.ts';
import type { Credentials } from './credentials.ts';
import { systemClock, systemRng } from '../core/system.ts';
import { describeError } from '../core/errors.ts';
import { RegionSet } from './regions.ts';
import { lazyKeyFileCipher } from '../crypto/value-cipher.ts';
import { CredentialIndex } from '../iam/model/credentials.ts';
import { policySetFor } from '../iam/model/policy-set.ts';
import { Authorizer } from '../aws/authorize.ts';
import { resourceFacts } from '../aws/authorization/resource-facts.ts';
import type { IamContext } from '../iam/model/records.ts';

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
  log: Logger;
}

export interface ControlPlane {
  endpoint: string;
  port: number;
  server: Server;
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
  const store = SqliteStore.open(join(options.dataDir, 'longshore.db'));
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
  /** EC2 works on its region's store view (made on first use, like ECS's), with no ECS region state. */
  const ec2ContextFor = (request: RequestContext) => {
    const ctx = regions.context(request.caller.region);
    return { store: ctx.store, clock: ctx.clock, rng: ctx.rng, partition: ctx.partition };
  };
  /** ELBv2 works on its region's store view, like EC2 (whose subnets and VPCs it names). */
  const elbv2ContextFor = (request: RequestContext) => {
    const ctx = regions.context(request.caller.region);
    return { store: ctx.store, clock: ctx.clock, rng: ctx.rng, partition: ctx.partition };
  };
  /** ECR: repositories and the registry's store in the region; the host is known once we listen. */
  const registry = {
    host: '',
    dir: join(options.dataDir, 'registry'),
    // Registry passwords are signed with a key derived from the installation's secret.
    tokenSecret: createHmac('sha256', options.credentials.secretAccessKey)
      .update('longshore-ecr-token')
      .digest('hex'),
  };
  const ecrContextFor = (region: string): EcrContext => {
    const ctx = regions.context(region);
    return {
      store: ctx.store,
      clock: ctx.clock,
      rng: ctx.rng,
      partition: ctx.partition,
      registryHost: registry.host,
      registryDir: registry.dir,
      tokenSecret: registry.tokenSecret,
      ...(options.vulnerabilityFeedDir ? { vulnerabilityFeedDir: options.vulnerabilityFeedDir } : {}),
    };
  };
  /** CloudWatch Logs: records in the region's store view; events in `<dataDir>/logs/events.db`, opened on first use. */
  const logsEvents = lazyEventStore(join(options.dataDir, 'logs', 'events.db'));
  const logsContextFor = (region: string): LogsContext => {
    const ctx = regions.context(region);
    return { store: ctx.store, clock: ctx.clock, partition: ctx.partition, events: logsEvents.get() };
  };
  /**
   * Secrets Manager and SSM Parameter Store: the region's store view, and the cipher that seals
   * secret and SecureString values with the key in `<dataDir>/keys/secrets.key` (made on first use).
   */
  const secretsCipher = lazyKeyFileCipher(join(options.dataDir, 'keys', 'secrets.key'));
  const secretsContextFor = (request: RequestContext) => {
    const ctx = regions.context(request.caller.region);
    return {
      store: ctx.store,
      clock: ctx.clock,
      rng: ctx.rng,
      partition: ctx.partition,
      cipher: secretsCipher,
    };
  };
  /** EventBridge: the region's store view; connection secrets sealed with the same value cipher. */
  const eventsContextFor = (region: string) => {
    const ctx = regions.context(region);
    return {
      store: ctx.store,
      clock: ctx.clock,
      rng: ctx.rng,
      partition: ctx.partition,
      sealer: secretsCipher,
    };
  };
  /** Application Auto Scaling: the region's store view and the pace its alarms and cooldowns keep. */
  const scalingTiming = scalingTimingFrom(process.env, options.autoScaling);
  const autoScalingContextFor = (region: string): AutoScalingContext => {
    const ctx = regions.context(region);
    return {
      store: ctx.store,
      clock: ctx.clock,
      rng: ctx.rng,
      partition: ctx.partition,
      timing: scalingTiming,
    };
  };
  const extraRoutes: ExtraRoute[] = [];
  if (options.motoReset) extraRoutes.push(resetRoute(store, options.log, () => metricsDb?.clear()));
  // Prometheus metrics at GET /metrics (prom-client loads after start-up or on the first scrape).
  const metrics = new LazyMetrics({
    regions: () => regions.all().map((c) => ({ region: c.partition.region, store: c.store })),
    store,
    agentsConnected: () => hub.connectedAgents,
  });
  extraRoutes.push({ method: 'GET', path: '/metrics', handle: metrics.handle });
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
  // ECS is loaded now; the siblings (and their SDK models) on the first request for one of them.
  const services = new ServiceSet([
    ecsService(contextFor),
    longshoreService(contextFor, () => loadBalancers.listeners()),
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
      load: async () => (await import('../elbv2/elbv2-service.ts')).elbv2Service(elbv2ContextFor),
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
    rawRoutes: registryRoutes(ecrContextFor, {
      home: regions.home,
      challenge: options.registryAuth === 'token' ? 'bearer' : 'basic',
      log: options.log,
    }),
    bodyLimits: { ...ECR_BODY_LIMITS, ...LOGS_BODY_LIMITS },
    secrets: (id) => credentialIndex.resolve(id),
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
  for (const ctx of regions.all()) await markAllDisconnected(ctx);
  // Agents sign with the installation's root key until agent credentials land (issue 14).
  const hub = new AgentHub(
    regions,
    (id) => {
      const credential = credentialIndex.resolve(id);
      return credential?.principal.type === 'root' ? credential : undefined;
    },
    options.log,
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
  const server = createServer({ keepAliveTimeout: 65_000 }, gateway);
  server.on('upgrade', (req, socket, head) => {
    if (!hub.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`;
  config.pollEndpoint = endpoint;
  registry.host = new URL(endpoint).host;
  // Per region, once the API answers: the retention sweep and the service scheduler.
  const sweepers: RetentionSweeper[] = [];
  const managers = new Map<string, ControllerManager>();
  const serviceScaling: ServiceScalingController[] = [];
  const networks: TaskNetworkController[] = [];
  const targetControllers: TaskTargetsController[] = [];
  const ecsEvents = new Map<string, EcsEventEmitter>();
  // AWS/ECS metrics from the usage samples agents send (per region, once a minute).
  const ecsMetrics = new Map<string, EcsMetricsPublisher>();
  hub.onUsage((ctx, at, tasks) => ecsMetrics.get(ctx.partition.region)?.record(at, tasks));
  const eventRules = new Map<string, EventRulesController>();
  const schedulesControllers: SchedulesController[] = [];
  const lifecycles: EcrLifecycleController[] = [];
  const replications: EcrReplicationController[] = [];
  const logsRetention: LogsRetentionController[] = [];
  const metricsRetention: MetricsRetentionController[] = [];
  // CloudWatch alarms: evaluated per region; LONGSHORE_ALARM_EVALUATION_MS shortens CloudWatch's minute.
  const alarmActions = new AlarmActionRegistry();
  // Scaling policies are alarm actions: Application Auto Scaling runs them (loaded with the first one).
  alarmActions.register('arn:aws:autoscaling:', async (action) =>
    (await import('../application-autoscaling/model/alarm-invoker.ts')).scalingPolicyInvoker(
      autoScalingContextFor,
    )(action),
  );
  const alarmEvaluations = new Map<string, AlarmEvaluationController>();
  const alarmIntervalMs = Number(process.env.LONGSHORE_ALARM_EVALUATION_MS) || undefined;
  // CloudWatch metric blocks: a table of their own, not mirrored in memory (cloudwatch/README.md).
  let metricsDb: MetricsDatabase | undefined;
  regions.onRegion((ctx) => {
    const sweeper = new RetentionSweeper(ctx.store, systemClock);
    sweeper.start();
    sweepers.push(sweeper);
    // Task ENIs are released whether or not the service scheduler runs: an address is never leaked.
    const network = new TaskNetworkController(ctx, { log: options.log });
    networks.push(network);
    network
      .start()
      .catch((error: unknown) =>
        options.log.error(
          { region: ctx.partition.region, error: describeError(error) },
          'task network controller failed to start',
        ),
      );
    loadBalancers.addRegion(ctx.partition.region, ctx.store);
    const publisher = new EcsMetricsPublisher(ctx, {
      publish: (store, data) => putMetricData(store, data),
      log: options.log,
    });
    publisher.start();
    ecsMetrics.set(ctx.partition.region, publisher);
    // Service tasks in their load balancers' target groups: registered, drained before they stop.
    const targets = new TaskTargetsController(ctx, { log: options.log });
    targetControllers.push(targets);
    targets
      .start()
      .catch((error: unknown) =>
        options.log.error(
          { region: ctx.partition.region, error: describeError(error) },
          'task targets controller failed to start',
        ),
      );
    // Image scans a crash left IN_PROGRESS are redone (the scanner loads only when there are some).
    resumeInterruptedScans(ctx.store, () => ecrContextFor(ctx.partition.region)).catch((error: unknown) =>
      options.log.warn({ error: describeError(error) }, 'resuming image scans failed'),
    );
    const lifecycle = new EcrLifecycleController({
      store: ctx.store,
      clock: ctx.clock,
      log: options.log,
      onExpired: () => {
        import('../ecr/model/blob-store.ts').then(
          (m) => m.blobStoreFor(registry.dir).requestCollection(ctx.clock.now()),
          (error: unknown) =>
            options.log.warn({ error: describeError(error) }, 'loading the blob store failed'),
        );
      },
    });
    lifecycle.start();
    lifecycles.push(lifecycle);
    // ECR images pushed to repositories a replication rule matches are copied to its destination regions.
    const replication = new EcrReplicationController({
      ctx: ecrContextFor(ctx.partition.region),
      contextFor: ecrContextFor,
      log: options.log,
    });
    replication.start();
    replications.push(replication);
    // CloudWatch Logs events past their group's retention are deleted.
    const logsSweeper = new LogsRetentionController({
      store: ctx.store,
      clock: ctx.clock,
      events: () => (logsEvents.opened() ? logsEvents.get() : undefined),
      log: options.log,
    });
    logsSweeper.start();
    logsRetention.push(logsSweeper);
    // EventBridge: outbox events matched against rules, deliveries invoked, scheduled rules fired.
    const rules = new EventRulesController({
      store: ctx.store,
      clock: ctx.clock,
      rng: ctx.rng,
      partition: ctx.partition,
      ports: {
        runTask: (region, input) => runTask(regions.context(region), input),
        logs: (region) => logsContextFor(region),
        sealer: secretsCipher,
      },
      log: options.log,
    });
    eventRules.set(ctx.partition.region, rules);
    rules
      .start()
      .catch((error: unknown) =>
        options.log.error(
          { region: ctx.partition.region, error: describeError(error) },
          'EventBridge rules controller failed to start',
        ),
      );
    // EventBridge Scheduler: schedules fire their targets (RunTask, events to the outbox).
    const schedules = new SchedulesController({
      store: ctx.store,
      clock: ctx.clock,
      rng: ctx.rng,
      partition: ctx.partition,
      runTask: (region, input) => runTask(regions.context(region), input),
      publishMetrics: (data) => putMetricData(ctx.store, data, { now: ctx.clock.now() }),
      log: options.log,
    });
    schedules.start();
    schedulesControllers.push(schedules);
    metricsDb ??= new MetricsDatabase(join(options.dataDir, 'metrics.db'));
    useBlockStore(ctx.store, new SqliteBlockStore(metricsDb, ctx.partition.region));
    // CloudWatch metric data is rolled up (1 min -> 5 min -> 1 h) and expired as it ages.
    const metricsSweeper = new MetricsRetentionController({
      store: ctx.store,
      clock: ctx.clock,
      log: options.log,
    });
    metricsSweeper.start();
    metricsRetention.push(metricsSweeper);
    const alarms = new AlarmEvaluationController({
      store: ctx.store,
      clock: ctx.clock,
      rng: ctx.rng,
      partition: ctx.partition,
      actions: alarmActions,
      ...(alarmIntervalMs ? { intervalMs: alarmIntervalMs } : {}),
      log: options.log,
    });
    alarms.start();
    alarmEvaluations.set(ctx.partition.region, alarms);
    // ECS's events describe the API's records, so they go out whether or not the scheduler runs.
    if (options.ecsEvents !== false) {
      const emitter = new EcsEventEmitter(ctx, { log: options.log, ...options.ecsEvents });
      ecsEvents.set(ctx.partition.region, emitter);
      emitter
        .start()
        .catch((error: unknown) =>
          options.log.error(
            { region: ctx.partition.region, error: describeError(error) },
            'ECS event emitter failed to start',
          ),
        );
    }
    if (options.controllers === false) return;
    // Scheduled actions and min/max changes of Application Auto Scaling's targets.
    const scaling = new ServiceScalingController(autoScalingContextFor(ctx.partition.region), {
      log: options.log,
    });
    serviceScaling.push(scaling);
    scaling
      .start()
      .catch((error: unknown) =>
        options.log.error(
          { region: ctx.partition.region, error: describeError(error) },
          'service scaling controller failed to start',
        ),
      );
    const manager = new ControllerManager(ctx, { log: options.log, ...options.controllers });
    managers.set(ctx.partition.region, manager);
    manager
      .start()
      .catch((error: unknown) =>
        options.log.error(
          { region: ctx.partition.region, error: describeError(error) },
          'controllers failed to start',
        ),
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
      for (const manager of managers.values()) await manager.stop();
      for (const scaling of serviceScaling) await scaling.stop();
      for (const network of networks) await network.stop();
      for (const t of targetControllers) await t.stop();
      for (const r of eventRules.values()) await r.stop();
      for (const s of schedulesControllers) await s.stop();
      for (const e of ecsEvents.values()) await e.stop();
      await loadBalancers.close();
      for (const p of ecsMetrics.values()) p.stop();
      metrics.close();
      for (const lifecycle of lifecycles) lifecycle.stop();
      for (const replication of replications) await replication.stop();
      for (const sweeper of sweepers) await sweeper.stop();
      for (const l of logsRetention) l.stop();
      for (const m of metricsRetention) await m.stop();
      for (const a of alarmEvaluations.values()) await a.stop();
      metricsDb?.close();
      await hub.close();
      authorizer.close();
      credentialIndex.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await logsEvents.close();
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

async function resumeInterruptedScans(store: Store, context: () => EcrContext): Promise<void> {
  const scans = await store.list<{ status?: string }>(Kind.EcrScan);
  if (!scans.some((s) => s.value.status === 'IN_PROGRESS')) return;
  (await import('../ecr/scanning/scanner.ts')).resumeScans(context());
}

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
