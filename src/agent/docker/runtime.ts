/** The container runtime the task engine drives: a narrow interface over the Docker Engine API. */
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';

/** What the engine needs from `docker inspect` of a container. Timestamps are Docker's RFC 3339 strings. */
export interface ContainerInspect {
  id: string;
  /** Docker name without the leading slash. */
  name: string;
  image: string;
  imageId: string;
  status: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  /** Docker's own error for a failed start, if any. */
  error?: string;
  createdAt: string;
  /** Undefined when the container never started. */
  startedAt?: string;
  finishedAt?: string;
  health?: 'starting' | 'healthy' | 'unhealthy';
  labels: Record<string, string>;
  ports: { containerPort: number; protocol: 'tcp' | 'udp'; hostIp: string; hostPort: number }[];
  networks: { name: string; ipv4Address: string }[];
  networkMode: string;
  /** The container's main process on the daemon's host (0 when it does not run). */
  pid: number;
  /** Whether the container has a TTY (its logs are then a raw stream, not multiplexed). */
  tty: boolean;
}

export interface ImageInfo {
  id: string;
  repoDigests: string[];
}

export interface ContainerSummary {
  id: string;
  name: string;
  labels: Record<string, string>;
  state: string;
}

export interface RuntimeInfo {
  cgroupDriver: string;
  cgroupVersion: '1' | '2';
  serverVersion: string;
  /** True when the daemon runs on this host (unix socket), so host paths like /sys/fs/cgroup are its own. */
  local: boolean;
}

export interface VolumeSpec {
  name: string;
  driver?: string;
  driverOpts?: Record<string, string>;
  labels?: Record<string, string>;
}

/** A Docker network as the agent needs it (the awsvpc bridge of a VPC, or any other, for overlap checks). */
export interface NetworkInfo {
  id: string;
  name: string;
  driver: string;
  /** IPAM ranges (IPv4 and IPv6 as Docker lists them). */
  subnets: string[];
  labels: Record<string, string>;
  options: Record<string, string>;
  /** Ids of the containers attached. */
  containers: string[];
}

export interface NetworkSpec {
  name: string;
  /** One IPAM range each, with its gateway. */
  ranges: { subnet: string; gateway: string }[];
  options: Record<string, string>;
  labels: Record<string, string>;
}

export interface ImportOptions {
  repo: string;
  tag: string;
  /** Dockerfile instructions to record (`ENV PATH=/bin`, `CMD [...]`). */
  changes: string[];
}

export interface LogOptions {
  follow: boolean;
  tail?: number;
  since?: number;
  timestamps?: boolean;
}

/** Credentials for pulling from a private registry, as Docker's X-Registry-Auth carries them. */
export interface RegistryAuth {
  username: string;
  password: string;
  serveraddress: string;
}

/** Container create options, in the Docker Engine API's own shape. */
export type ContainerCreateSpec = Dockerode.ContainerCreateOptions & { name: string };

/** Every call either resolves, or rejects with a DockerRetriableError or DockerTerminalError. */
/** A pull so far: layers the daemon named, those finished (or already present), and their bytes. */
export interface PullProgress {
  layers: number;
  layersDone: number;
  /** Bytes downloaded of the layers whose size is known. */
  bytes: number;
  totalBytes: number;
}

export interface ContainerRuntime {
  info(): Promise<RuntimeInfo>;
  inspectImage(ref: string): Promise<ImageInfo | undefined>;
  /**
   * `auth`: credentials for a private registry (Docker's X-Registry-Auth). `onProgress` hears the
   * layers and bytes so far as the daemon reports them.
   */
  pullImage(ref: string, auth?: RegistryAuth, onProgress?: (progress: PullProgress) => void): Promise<void>;
  createContainer(spec: ContainerCreateSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  inspectContainer(idOrName: string): Promise<ContainerInspect | undefined>;
  removeContainer(id: string): Promise<void>;
  listContainers(labels: Record<string, string>): Promise<ContainerSummary[]>;
  inspectVolume(name: string): Promise<VolumeSpec | undefined>;
  createVolume(spec: VolumeSpec): Promise<void>;
  removeVolume(name: string): Promise<void>;
  /** Volumes carrying every one of these labels (the agent's task-scoped volumes, for cleanup). */
  listVolumes(labels: Record<string, string>): Promise<VolumeSpec[]>;
  containerStats(id: string): Promise<unknown>;
  containerLogs(id: string, options: LogOptions): Promise<Readable>;
  /** A raw event stream (newline-delimited JSON) for these filters. */
  events(filters: Record<string, string[]>, since?: number): Promise<Readable>;
  /** Undefined when there is no such network. */
  inspectNetwork(name: string): Promise<NetworkInfo | undefined>;
  listNetworks(): Promise<NetworkInfo[]>;
  /** Rejects with a DockerTerminalError (409) when a network of that name exists. */
  createNetwork(spec: NetworkSpec): Promise<void>;
  /** A network already gone is not an error; one with containers attached is (403). */
  removeNetwork(name: string): Promise<void>;
  /** `docker import` of a root filesystem tar. */
  importImage(archive: Buffer, options: ImportOptions): Promise<void>;
  /** Gives the local image `source` the name `target` (`repo:tag`), as `docker tag` does. */
  tagImage(source: string, target: string): Promise<void>;
  /** The gateway of Docker's default bridge network (docker0), e.g. 172.17.0.1. */
  bridgeGateway(): Promise<string | undefined>;
}
