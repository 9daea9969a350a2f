/** Numeric limits and enum values of RegisterTaskDefinition, with the ECS document each comes from. */

/** ECS service quotas: "Containers per task definition: 10"; "Task definition size: 64 KiB". */
export const MAX_CONTAINERS = 10;
export const MAX_TASK_DEFINITION_BYTES = 64 * 1024;
/** ECS service quotas: "Revisions per task definition family: 1,000,000" (deregistered ones count). */
export const MAX_REVISIONS = 1_000_000;

/** Family, container and volume names: "Up to 255 letters (uppercase and lowercase), numbers,
 * underscores, and hyphens are allowed" (RegisterTaskDefinition.family, ContainerDefinition.name). */
export const NAME_MAX = 255;
export const NAME_CHARS = /^[A-Za-z0-9_-]+$/;

/** TaskDefinition.cpu: "Supported values are between 128 CPU units (0.125 vCPUs) and 196608 CPU
 * units (192 vCPUs)" for EC2 and EXTERNAL. One vCPU is 1,024 units; one GB is 1,024 MiB. */
export const TASK_CPU_MIN = 128;
export const TASK_CPU_MAX = 196_608;
export const UNITS_PER_VCPU = 1024;
export const MIB_PER_GB = 1024;

/** ContainerDefinition.memory: "The Docker 20.10.0 or later daemon reserves a minimum of 6 MiB of
 * memory for a container. So, don't specify less than 6 MiB". */
export const CONTAINER_MEMORY_MIN_MIB = 6;

/** HealthCheck: interval 5-300 s (default 30), timeout 2-60 s (default 5), retries 1-10 (default 3),
 * startPeriod 0-300 s (off by default, so ECS does not echo one). */
export const HEALTH_CHECK = {
  interval: { min: 5, max: 300, default: 30 },
  timeout: { min: 2, max: 60, default: 5 },
  retries: { min: 1, max: 10, default: 3 },
  startPeriod: { min: 0, max: 300 },
} as const;

/** ContainerDefinition.startTimeout/stopTimeout: "The valid values for Fargate are 2-120 seconds". */
export const FARGATE_TIMEOUT = { min: 2, max: 120 } as const;

/** PortMapping: ports are 1-65535 (hostPort 0 asks for a dynamic port); "You can specify a maximum of
 * 100 port ranges per container"; the mapping name "can include up to 64 characters ... lowercase
 * letters, numbers, underscores (_), and hyphens (-). The name can't start with a hyphen." */
export const PORT_MIN = 1;
export const PORT_MAX = 65_535;
export const MAX_PORT_RANGES = 100;
export const PORT_NAME = /^[a-z0-9_][a-z0-9_-]{0,63}$/;

/** Private Amazon ECR image references: `{account}.dkr.ecr.{region}.amazonaws.com[.cn]/repo...`. */
export const PRIVATE_ECR_IMAGE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;

/** TaskDefinitionPlacementConstraint: "You can specify a maximum of 10 constraints for each task". */
export const MAX_PLACEMENT_CONSTRAINTS = 10;
/** EphemeralStorage.sizeInGiB: "The minimum supported value is 21 GiB and the maximum ... 200 GiB". */
export const EPHEMERAL_STORAGE_GIB = { min: 21, max: 200 } as const;
/** ContainerDefinition.environmentFiles: "You can specify up to ten environment files". */
export const MAX_ENVIRONMENT_FILES = 10;
/** ContainerDefinition.credentialSpecs: "The maximum number of ARNs is 1". */
export const MAX_CREDENTIAL_SPECS = 1;
/** ContainerRestartPolicy: at most 50 ignored exit codes; restartAttemptPeriod 60-1800 s. */
export const MAX_IGNORED_EXIT_CODES = 50;
export const RESTART_ATTEMPT_PERIOD = { min: 60, max: 1800 } as const;
/** LinuxParameters.swappiness: "Accepted values are whole numbers between 0 and 100". */
export const SWAPPINESS = { min: 0, max: 100 } as const;

/** Enum values from the ECS API model (ecs-2014-11-13). */
export const NetworkModes = ['bridge', 'host', 'awsvpc', 'none'] as const;
export const Compatibilities = ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const;
export const PidModes = ['host', 'task'] as const;
export const IpcModes = ['host', 'task', 'none'] as const;
export const TransportProtocols = ['tcp', 'udp'] as const;
export const AppProtocols = ['http', 'http2', 'grpc'] as const;
export const ContainerConditions = ['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'] as const;
export const LogDrivers = [
  'json-file',
  'syslog',
  'journald',
  'gelf',
  'fluentd',
  'awslogs',
  'splunk',
  'awsfirelens',
] as const;
export const UlimitNames = [
  'core',
  'cpu',
  'data',
  'fsize',
  'locks',
  'memlock',
  'msgqueue',
  'nice',
  'nofile',
  'nproc',
  'rss',
  'rtprio',
  'rttime',
  'sigpending',
  'stack',
] as const;
export const DeviceCgroupPermissions = ['read', 'write', 'mknod'] as const;
export const VolumeScopes = ['task', 'shared'] as const;
export const EfsToggle = ['ENABLED', 'DISABLED'] as const;
export const ResourceTypes = ['GPU', 'InferenceAccelerator'] as const;
export const FirelensTypes = ['fluentd', 'fluentbit'] as const;
export const EnvironmentFileTypes = ['s3'] as const;
export const VersionConsistencies = ['enabled', 'disabled'] as const;
export const PlacementConstraintTypes = ['memberOf'] as const;
export const ProxyTypes = ['APPMESH'] as const;
export const CpuArchitectures = ['X86_64', 'ARM64'] as const;
export const OsFamilies = [
  'WINDOWS_SERVER_2019_FULL',
  'WINDOWS_SERVER_2019_CORE',
  'WINDOWS_SERVER_2016_FULL',
  'WINDOWS_SERVER_2004_CORE',
  'WINDOWS_SERVER_2022_CORE',
  'WINDOWS_SERVER_2022_FULL',
  'WINDOWS_SERVER_2025_CORE',
  'WINDOWS_SERVER_2025_FULL',
  'WINDOWS_SERVER_20H2_CORE',
  'LINUX',
] as const;
