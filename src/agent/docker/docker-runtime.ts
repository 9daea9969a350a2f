/** ContainerRuntime over dockerode: every call bounded by a named timeout, every failure typed. */
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { DockerClient } from './dockerode.ts';
import { classifyDockerError, DockerErrorName, statusCodeOf } from './errors.ts';
import { toContainerInspect } from './inspect.ts';
import { pullWithProgress } from './pull.ts';
import type {
  ContainerCreateSpec,
  ContainerRuntime,
  ContainerSummary,
  ImageInfo,
  ImportOptions,
  LogOptions,
  NetworkInfo,
  NetworkSpec,
  RegistryAuth,
  RuntimeInfo,
  VolumeSpec,
  PullProgress,
} from './runtime.ts';

// Timeouts of the real agent (agent/dockerclient/timeout.go), kept as its defaults.
const CREATE_TIMEOUT_MS = 4 * 60_000;
const START_TIMEOUT_MS = 3 * 60_000;
const INSPECT_TIMEOUT_MS = 30_000;
const REMOVE_TIMEOUT_MS = 5 * 60_000;
const LIST_TIMEOUT_MS = 30_000;
const VOLUME_TIMEOUT_MS = 60_000;
const STATS_TIMEOUT_MS = 10_000;
const INFO_TIMEOUT_MS = 10_000;
/** Creating a bridge network sets up an interface and iptables rules: a second or so when busy. */
const NETWORK_TIMEOUT_MS = 60_000;
/** Importing the pause image (a 2 MB layer). */
const IMPORT_TIMEOUT_MS = 2 * 60_000;
/** `docker stop -t N` holds the request for up to N seconds; allow this much more for the kill. */
const STOP_MARGIN_MS = 30_000;

export interface DockerRuntimeOptions {
  /** Defaults to DOCKER_HOST / /var/run/docker.sock, as dockerode resolves them. */
  docker?: Dockerode.DockerOptions;
}

export class DockerRuntime implements ContainerRuntime {
  readonly docker: Dockerode;
  readonly #local: boolean;

  constructor(options: DockerRuntimeOptions = {}) {
    // No custom http.Agent: docker-modem util.inspect()s every request's options (agent included,
    // with all its sockets) even with debug off, which costs milliseconds of CPU per call. Node's
    // global agent keeps connections alive already.
    this.docker = new DockerClient(options.docker);
    // A unix socket (a path, or dockerode's default-socket lookup) or a loopback TCP host is this host.
    const modem = (this.docker as unknown as { modem: { host?: string } }).modem;
    this.#local = !modem.host || modem.host === 'localhost' || modem.host === '127.0.0.1';
  }

  async info(): Promise<RuntimeInfo> {
    const info = await call(DockerErrorName.CannotInspectContainer, () =>
      invoke<Record<string, unknown>>(this.docker, 'info', {
        abortSignal: AbortSignal.timeout(INFO_TIMEOUT_MS),
      }),
    );
    return {
      cgroupDriver: String(info.CgroupDriver ?? 'cgroupfs'),
      cgroupVersion: info.CgroupVersion === '2' ? '2' : '1',
      serverVersion: String(info.ServerVersion ?? ''),
      local: this.#local,
    };
  }

  async inspectImage(ref: string): Promise<ImageInfo | undefined> {
    try {
      const image = await invoke<Dockerode.ImageInspectInfo>(this.docker.getImage(ref), 'inspect', {
        abortSignal: AbortSignal.timeout(INSPECT_TIMEOUT_MS),
      });
      return { id: image.Id, repoDigests: image.RepoDigests ?? [] };
    } catch (error) {
      if (statusCodeOf(error) === 404) return undefined;
      throw classifyDockerError(DockerErrorName.CannotPullContainer, error);
    }
  }

  async pullImage(
    ref: string,
    auth?: RegistryAuth,
    onProgress?: (progress: PullProgress) => void,
  ): Promise<void> {
    await pullWithProgress(this.docker, ref, auth, onProgress);
  }

  async createContainer(spec: ContainerCreateSpec): Promise<string> {
    const container = await call(DockerErrorName.CannotCreateContainer, () =>
      this.docker.createContainer({ ...spec, abortSignal: AbortSignal.timeout(CREATE_TIMEOUT_MS) }),
    );
    return container.id;
  }

  async startContainer(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).start({ abortSignal: AbortSignal.timeout(START_TIMEOUT_MS) });
    } catch (error) {
      // 304: already started (a retried start after a timeout); that is the state we wanted.
      if (statusCodeOf(error) === 304) return;
      throw classifyDockerError(DockerErrorName.CannotStartContainer, error);
    }
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    try {
      const signal = AbortSignal.timeout(timeoutSeconds * 1000 + STOP_MARGIN_MS);
      await this.docker.getContainer(id).stop({ t: timeoutSeconds, abortSignal: signal } as object);
    } catch (error) {
      // 304: already stopped; 404: already gone. Either way it no longer runs.
      const status = statusCodeOf(error);
      if (status === 304 || status === 404) return;
      throw classifyDockerError(DockerErrorName.CannotStopContainer, error);
    }
  }

  async inspectContainer(idOrName: string) {
    try {
      const info = await this.docker
        .getContainer(idOrName)
        .inspect({ abortSignal: AbortSignal.timeout(INSPECT_TIMEOUT_MS) });
      return toContainerInspect(info);
    } catch (error) {
      if (statusCodeOf(error) === 404) return undefined;
      throw classifyDockerError(DockerErrorName.CannotInspectContainer, error);
    }
  }

  async removeContainer(id: string): Promise<void> {
    try {
      await this.docker
        .getContainer(id)
        .remove({ force: true, v: false, abortSignal: AbortSignal.timeout(REMOVE_TIMEOUT_MS) } as object);
    } catch (error) {
      if (statusCodeOf(error) === 404) return;
      throw classifyDockerError(DockerErrorName.CannotRemoveContainer, error);
    }
  }

  async listContainers(labels: Record<string, string>): Promise<ContainerSummary[]> {
    const label = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
    const list = await call(DockerErrorName.CannotInspectContainer, () =>
      this.docker.listContainers({
        all: true,
        filters: { label },
        abortSignal: AbortSignal.timeout(LIST_TIMEOUT_MS),
      }),
    );
    return list.map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? '').replace(/^\//, ''),
      labels: c.Labels ?? {},
      state: c.State,
    }));
  }

  async inspectVolume(name: string): Promise<VolumeSpec | undefined> {
    try {
      const v = await this.docker
        .getVolume(name)
        .inspect({ abortSignal: AbortSignal.timeout(VOLUME_TIMEOUT_MS) });
      return { name: v.Name, driver: v.Driver, driverOpts: v.Options ?? {}, labels: v.Labels ?? {} };
    } catch (error) {
      if (statusCodeOf(error) === 404) return undefined;
      throw classifyDockerError(DockerErrorName.CannotCreateVolume, error);
    }
  }

  async createVolume(spec: VolumeSpec): Promise<void> {
    await call(DockerErrorName.CannotCreateVolume, () =>
      this.docker.createVolume({
        Name: spec.name,
        Driver: spec.driver ?? 'local',
        DriverOpts: spec.driverOpts ?? {},
        Labels: spec.labels ?? {},
        abortSignal: AbortSignal.timeout(VOLUME_TIMEOUT_MS),
      } as Dockerode.VolumeCreateOptions),
    );
  }

  async removeVolume(name: string): Promise<void> {
    try {
      await this.docker
        .getVolume(name)
        .remove({ abortSignal: AbortSignal.timeout(VOLUME_TIMEOUT_MS) } as object);
    } catch (error) {
      if (statusCodeOf(error) === 404) return;
      throw classifyDockerError(DockerErrorName.CannotCreateVolume, error);
    }
  }

  async listVolumes(labels: Record<string, string>): Promise<VolumeSpec[]> {
    const label = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
    const list = await call(DockerErrorName.CannotCreateVolume, () =>
      this.docker.listVolumes({
        filters: { label },
        abortSignal: AbortSignal.timeout(LIST_TIMEOUT_MS),
      } as object),
    );
    return (list.Volumes ?? []).map((v) => ({
      name: v.Name,
      driver: v.Driver,
      driverOpts: v.Options ?? {},
      labels: v.Labels ?? {},
    }));
  }

  async containerStats(id: string): Promise<unknown> {
    return call(DockerErrorName.CannotInspectContainer, () =>
      invoke<unknown>(this.docker.getContainer(id), 'stats', {
        stream: false,
        abortSignal: AbortSignal.timeout(STATS_TIMEOUT_MS),
      }),
    );
  }

  async containerLogs(id: string, options: LogOptions): Promise<Readable> {
    const stream = await call(DockerErrorName.CannotInspectContainer, () =>
      this.docker.getContainer(id).logs({
        follow: options.follow as true,
        stdout: true,
        stderr: true,
        timestamps: options.timestamps ?? false,
        tail: options.tail,
        since: options.since,
      }),
    );
    // With follow=false dockerode resolves the whole log as one Buffer.
    return Buffer.isBuffer(stream) ? Readable.from([stream]) : (stream as unknown as Readable);
  }

  async events(filters: Record<string, string[]>, since?: number): Promise<Readable> {
    const stream = await call(DockerErrorName.CannotInspectContainer, () =>
      // No abort signal: it would also end the long-lived stream. A refused connect fails fast.
      this.docker.getEvents({ filters, since } as object),
    );
    return stream as unknown as Readable;
  }

  async inspectNetwork(name: string): Promise<NetworkInfo | undefined> {
    try {
      const net = await invoke<DockerNetwork>(this.docker.getNetwork(name), 'inspect', {
        abortSignal: AbortSignal.timeout(NETWORK_TIMEOUT_MS),
      });
      return toNetworkInfo(net);
    } catch (error) {
      if (statusCodeOf(error) === 404) return undefined;
      throw classifyDockerError(DockerErrorName.CannotCreateNetwork, error);
    }
  }

  async listNetworks(): Promise<NetworkInfo[]> {
    const list = await call(DockerErrorName.CannotCreateNetwork, () =>
      invoke<DockerNetwork[]>(this.docker, 'listNetworks', {
        abortSignal: AbortSignal.timeout(NETWORK_TIMEOUT_MS),
      }),
    );
    return list.map(toNetworkInfo);
  }

  async createNetwork(spec: NetworkSpec): Promise<void> {
    await call(DockerErrorName.CannotCreateNetwork, () =>
      this.docker.createNetwork({
        Name: spec.name,
        Driver: 'bridge',
        CheckDuplicate: true,
        IPAM: {
          Driver: 'default',
          Config: spec.ranges.map((r) => ({ Subnet: r.subnet, Gateway: r.gateway })),
        },
        Options: spec.options,
        Labels: spec.labels,
        abortSignal: AbortSignal.timeout(NETWORK_TIMEOUT_MS),
      } as Dockerode.NetworkCreateOptions),
    );
  }

  async removeNetwork(name: string): Promise<void> {
    try {
      await invoke<unknown>(this.docker.getNetwork(name), 'remove', {
        abortSignal: AbortSignal.timeout(NETWORK_TIMEOUT_MS),
      });
    } catch (error) {
      if (statusCodeOf(error) === 404) return;
      throw classifyDockerError(DockerErrorName.CannotRemoveNetwork, error);
    }
  }

  async tagImage(source: string, target: string): Promise<void> {
    // `repo:tag`: the tag follows the last colon after the last slash (a registry port is not a tag).
    const slash = target.lastIndexOf('/');
    const colon = target.lastIndexOf(':');
    const [repo, tag] =
      colon > slash ? [target.slice(0, colon), target.slice(colon + 1)] : [target, 'latest'];
    await call(DockerErrorName.CannotPullContainer, () => this.docker.getImage(source).tag({ repo, tag }));
  }

  async importImage(archive: Buffer, options: ImportOptions): Promise<void> {
    const stream = await call(DockerErrorName.CannotPullContainer, () =>
      this.docker.importImage(
        Readable.from([archive]) as unknown as string,
        {
          repo: options.repo,
          tag: options.tag,
          changes: options.changes,
          abortSignal: AbortSignal.timeout(IMPORT_TIMEOUT_MS),
        } as object,
      ),
    );
    // The daemon answers with a JSON progress stream; the import is done when it ends.
    const text = await new Promise<string>((resolve, reject) => {
      let body = '';
      const s = stream as unknown as Readable;
      s.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      s.on('end', () => resolve(body));
      s.on('error', reject);
    });
    const failure = /"error"\s*:\s*"([^"]*)"/.exec(text);
    if (failure) {
      throw classifyDockerError(DockerErrorName.CannotPullContainer, { message: failure[1] });
    }
  }

  async bridgeGateway(): Promise<string | undefined> {
    try {
      const net = await invoke<{ IPAM?: { Config?: { Gateway?: string }[] } }>(
        this.docker.getNetwork('bridge'),
        'inspect',
        {
          abortSignal: AbortSignal.timeout(INFO_TIMEOUT_MS),
        },
      );
      const config = net?.IPAM?.Config ?? [];
      return config.find((c) => c.Gateway && !c.Gateway.includes(':'))?.Gateway;
    } catch (error) {
      if (statusCodeOf(error) === 404) return undefined;
      throw classifyDockerError(DockerErrorName.CannotInspectContainer, error);
    }
  }
}

interface DockerNetwork {
  Id: string;
  Name: string;
  Driver?: string;
  IPAM?: { Config?: { Subnet?: string }[] | null };
  Labels?: Record<string, string> | null;
  Options?: Record<string, string> | null;
  Containers?: Record<string, unknown> | null;
}

function toNetworkInfo(net: DockerNetwork): NetworkInfo {
  return {
    id: net.Id,
    name: net.Name,
    driver: net.Driver ?? '',
    subnets: (net.IPAM?.Config ?? []).flatMap((c) => (c.Subnet ? [c.Subnet] : [])),
    labels: net.Labels ?? {},
    options: net.Options ?? {},
    containers: Object.keys(net.Containers ?? {}),
  };
}

async function call<T>(errorName: DockerErrorName, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw classifyDockerError(errorName, error);
  }
}

/** Calls a dockerode method with options its type definitions (older than dockerode 5) do not list. */
function invoke<T>(target: object, method: string, options: object): Promise<T> {
  return (target as Record<string, (options: object) => Promise<T>>)[method](options);
}
