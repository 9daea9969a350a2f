/**
 * dockerode, loaded without the parts of it an agent does not use at rest. dockerode and
 * docker-modem require at load time what only some calls need: ssh2 (DOCKER_HOST=ssh://...; its
 * WebAssembly Poly1305 reserves 16 MiB), gRPC and protobufjs (BuildKit sessions), tar-fs with
 * .dockerignore matching (build contexts), swarm objects and readable-stream (hijacked streams):
 * ~9 MiB of an idle agent's memory. Their modules are given to Node's module cache as stand-ins
 * (`require.cache`, where adding entries is documented) that load the real module on first use, so
 * every call behaves as before; only memory differs. dockerode is pinned (package.json): a release
 * that exports these modules differently needs this list checked (test/agent/dockerode-deferred).
 */
import { existsSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';
import type DockerodeClass from 'dockerode';

const require = createRequire(import.meta.url);

/**
 * Module files (absolute) that are loaded on first use: dockerode's BuildKit session, build context
 * packing and swarm objects (services, tasks, nodes, secrets, configs, plugins), and docker-modem's
 * SSH transport and hijacked-stream duplex (readable-stream). A file that is not there (another
 * layout of a later release) is simply loaded as usual.
 */
export function deferredDockerModules(): string[] {
  const dockerode = require.resolve('dockerode');
  const fromDockerode = createRequire(dockerode);
  const modem = fromDockerode.resolve('docker-modem');
  const lib = dirname(dockerode);
  return [
    ...['session', 'service', 'plugin', 'secret', 'config', 'task', 'node'].map((name) =>
      join(lib, `${name}.js`),
    ),
    fromDockerode.resolve('tar-fs'),
    fromDockerode.resolve('@balena/dockerignore'),
    join(dirname(modem), 'ssh.js'),
    join(dirname(modem), 'http_duplex.js'),
  ].filter((file) => existsSync(file));
}

/**
 * A stand-in for the CommonJS module `file`: called, constructed or read, it loads the module
 * (from then on in the cache as itself) and hands on. Nothing happens when `file` is loaded already.
 */
export function deferModule(file: string): void {
  if (require.cache[file]) return;
  let real: unknown;
  const load = (): object => {
    if (real === undefined) {
      delete require.cache[file];
      real = require(file);
    }
    return real as object;
  };
  const standIn = new Module(file);
  standIn.filename = file;
  standIn.loaded = true;
  standIn.exports = new Proxy(function deferred() {}, {
    apply: (_target, self, args) => Reflect.apply(load() as (...a: unknown[]) => unknown, self, args),
    construct: (_target, args) => Reflect.construct(load() as new (...a: unknown[]) => object, args),
    get: (_target, name) => Reflect.get(load(), name),
    // The target's own `prototype` cannot be denied (a proxy invariant).
    has: (target, name) => Reflect.has(load(), name) || Reflect.has(target, name),
  });
  require.cache[file] = standIn;
}

function loadDockerode(): typeof DockerodeClass {
  for (const file of deferredDockerModules()) deferModule(file);
  return require('dockerode') as typeof DockerodeClass;
}

/** dockerode's client class, as `import Dockerode from 'dockerode'` gives it. */
export const DockerClient: typeof DockerodeClass = loadDockerode();
