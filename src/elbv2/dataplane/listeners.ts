/**
 * Listener sockets. A binding is one socket (or a TCP+UDP pair) on the host; HTTP listeners of
 * several ALBs asking for the same port share one binding and are told apart by Host (the LB's
 * DNS name), HTTPS ones too (each LB's certificate is chosen by SNI); every other listener has a
 * binding of its own. A port that is taken or needs
 * privileges falls back to a free one (reported as `hostPort`). A listener whose protocol, port
 * or HTTP/2 setting did not change keeps its binding and its connections across configs.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, isIPv6, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  createSecureContext,
  createServer as createTlsServer,
  type SecureContext,
  type Server as TlsServer,
} from 'node:tls';
import { type AnyRequest, handleRequest, hostWithoutPort, requestHost } from './alb.ts';
import { type AnyResponse, writeHead } from './alb-responses.ts';
import type { DataplaneReport, ListenerConfig, LoadBalancerConfig } from './config.ts';
import { FastConnection } from './fast-http.ts';
import { countConnection } from './metrics.ts';
import { handleStream, UdpForwarder } from './nlb.ts';
import type { ListenerEntry, Runtime } from './runtime.ts';
import { handleUpgrade } from './websocket.ts';

type Kind = 'http' | 'https' | 'tcp' | 'tls' | 'udp' | 'tcp_udp';

/** What a binding is: listeners with the same spec may keep (or, for HTTP and HTTPS, share) it. */
export function bindingSpec(lb: LoadBalancerConfig, listener: ListenerConfig): { kind: Kind; spec: string } {
  const kind = listener.protocol.toLowerCase() as Kind;
  const h2 = kind === 'https' ? `:h2=${lb.http2Enabled}` : '';
  return { kind, spec: `${kind}:${listener.port}${h2}` };
}

type AnyServer = HttpServer | Http2SecureServer | NetServer | TlsServer;

class Binding {
  readonly kind: Kind;
  readonly spec: string;
  readonly requestedPort: number;
  hostPort = 0;
  readonly entries = new Map<string, ListenerEntry>();
  /** The only entry, when there is one: the hot path skips Host matching. */
  only: ListenerEntry | undefined;
  server: AnyServer | undefined;
  /** HTTP listeners: the node:http server that takes connections the raw path hands over (not listening itself). */
  handoff: HttpServer | undefined;
  readonly fastSockets = new Set<Socket>();
  udp: UdpSocket | undefined;
  forwarder: UdpForwarder | undefined;

  constructor(kind: Kind, spec: string, requestedPort: number) {
    this.kind = kind;
    this.spec = spec;
    this.requestedPort = requestedPort;
  }

  refresh(): void {
    this.only = this.entries.size === 1 ? [...this.entries.values()][0] : undefined;
  }

  /** The ALB a request is for: the only one, or the one whose DNS name is the Host. */
  route(req: AnyRequest): ListenerEntry | undefined {
    return this.routeHost(hostWithoutPort(requestHost(req)));
  }

  routeHost(host: string): ListenerEntry | undefined {
    if (this.only) return this.only;
    const lower = host.toLowerCase();
    for (const e of this.entries.values()) if (e.lb.dnsName.toLowerCase() === lower) return e;
    return undefined;
  }

  first(): ListenerEntry {
    return this.only ?? [...this.entries.values()][0];
  }

  close(): void {
    this.forwarder?.close();
    if (!this.forwarder) this.udp?.close();
    const server = this.server;
    if (server) {
      server.close();
      if ('closeAllConnections' in server) server.closeAllConnections();
    }
    this.handoff?.closeAllConnections();
    for (const s of this.fastSockets) s.destroy();
  }
}

function isPortProblem(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EADDRINUSE' || code === 'EACCES' || code === 'EPERM';
}

function listenTcp(server: AnyServer, port: number, host: string, reusePort: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen({ port, host, exclusive: true, reusePort }, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function bindUdp(socket: UdpSocket, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    socket.once('error', onError);
    socket.bind({ port, address: host, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket.address().port);
    });
  });
}

export interface ListenersOptions {
  rt: Runtime;
  bindAddress: string;
  /**
   * HTTP listeners bind with SO_REUSEPORT so proxy worker processes can listen on the same port
   * (the kernel spreads connections). Conflicts between this process's own listeners are still
   * caught (by looking at its own bindings); a foreign process holding the port without
   * SO_REUSEPORT still gives EADDRINUSE.
   */
  reusePort?: boolean;
  /** Workers: take the port given or fail; no free-port fallback (the primary chose the port). */
  strictPorts?: boolean;
  report(report: DataplaneReport): void;
}

/** Every binding, keyed by listener ARN (shared HTTP bindings appear under each member). */
export class Listeners {
  readonly #options: ListenersOptions;
  readonly #byListener = new Map<string, Binding>();
  readonly #bindings = new Set<Binding>();
  /** Listeners that could not listen, with the message last reported. */
  readonly #failed = new Map<string, string>();

  constructor(options: ListenersOptions) {
    this.#options = options;
  }

  hostPort(listenerArn: string): number | undefined {
    return this.#byListener.get(listenerArn)?.hostPort;
  }

  async apply(
    lbs: LoadBalancerConfig[],
    entryOf: (lb: LoadBalancerConfig, l: ListenerConfig) => Omit<ListenerEntry, 'hostPort'>,
  ): Promise<void> {
    const wanted = new Map<string, { lb: LoadBalancerConfig; listener: ListenerConfig }>();
    for (const lb of lbs) for (const listener of lb.listeners) wanted.set(listener.arn, { lb, listener });

    // 1. Listeners that left or changed their binding let go of it; the others get their new entry in place.
    for (const [arn, binding] of [...this.#byListener]) {
      const w = wanted.get(arn);
      if (
        w &&
        bindingSpec(w.lb, w.listener).spec === binding.spec &&
        (binding.kind !== 'http' || binding.entries.has(arn))
      ) {
        const entry = { ...entryOf(w.lb, w.listener), hostPort: binding.hostPort };
        binding.entries.set(arn, entry);
        binding.refresh();
        this.#updateCertificate(binding, w.listener);
        continue;
      }
      this.#release(arn, binding);
    }
    for (const arn of this.#failed.keys()) if (!wanted.has(arn)) this.#failed.delete(arn);

    // 2. New listeners bind (HTTP ones join a binding already on their port).
    for (const [arn, { lb, listener }] of wanted) {
      if (this.#byListener.has(arn)) continue;
      const { kind, spec } = bindingSpec(lb, listener);
      const entry = entryOf(lb, listener);
      // HTTP listeners of several ALBs share a port by Host; HTTPS ones by SNI (each LB's certificate) and Host.
      if ((kind === 'http' || (kind === 'https' && listener.certificate)) && listener.port !== 0) {
        const shared = [...this.#bindings].find(
          (b) => b.spec === spec && ![...b.entries.values()].some((e) => e.lb.arn === lb.arn),
        );
        if (shared) {
          shared.entries.set(arn, { ...entry, hostPort: shared.hostPort });
          shared.refresh();
          this.#byListener.set(arn, shared);
          this.#listening(arn, shared.hostPort);
          continue;
        }
      }
      const binding = new Binding(kind, spec, listener.port);
      binding.entries.set(arn, { ...entry, hostPort: 0 });
      binding.refresh();
      try {
        await this.#bind(binding, listener);
      } catch (err) {
        binding.close();
        const message = this.#failureMessage(listener, err);
        if (this.#failed.get(arn) !== message) {
          this.#failed.set(arn, message);
          this.#options.report({ type: 'listen-failed', listenerArn: arn, message });
        }
        continue;
      }
      this.#failed.delete(arn);
      for (const e of binding.entries.values()) e.hostPort = binding.hostPort;
      this.#bindings.add(binding);
      this.#byListener.set(arn, binding);
      this.#listening(arn, binding.hostPort);
    }
  }

  close(): void {
    for (const b of this.#bindings) b.close();
    this.#bindings.clear();
    this.#byListener.clear();
  }

  #listening(arn: string, hostPort: number): void {
    this.#options.report({
      type: 'listening',
      listenerArn: arn,
      hostAddress: this.#options.bindAddress,
      hostPort,
    });
  }

  #release(arn: string, binding: Binding): void {
    this.#byListener.delete(arn);
    binding.entries.delete(arn);
    binding.refresh();
    if (binding.entries.size === 0) {
      binding.close();
      this.#bindings.delete(binding);
    }
  }

  #failureMessage(listener: ListenerConfig, err: unknown): string {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'NO_CERTIFICATE')
      return `${listener.protocol} listener on port ${listener.port} has no certificate: give it one (Certificates) to listen.`;
    if (e.code === 'EADDRNOTAVAIL')
      return `Cannot listen on ${this.#options.bindAddress}: the address is not on this host. Start the load balancer data plane with a local bind address (127.0.0.1 or 0.0.0.0).`;
    return `Cannot listen for ${listener.protocol} on ${this.#options.bindAddress}:${listener.port} nor on a free port: ${e.message}`;
  }

  /** The server's default certificate is its first listener's (the others are chosen by SNI, per handshake). */
  #updateCertificate(binding: Binding, listener: ListenerConfig): void {
    const server = binding.server;
    if (!listener.certificate || !server || !('setSecureContext' in server)) return;
    if (binding.first().listener.arn !== listener.arn) return;
    const { certificatePem, privateKeyPem, chainPem } = listener.certificate;
    const cert = chainPem ? `${certificatePem}\n${chainPem}` : certificatePem;
    const signature = `${cert}${privateKeyPem}`;
    if ((server as { _longshoreCert?: string })._longshoreCert === signature) return;
    (server as { _longshoreCert?: string })._longshoreCert = signature;
    server.setSecureContext({ cert, key: privateKeyPem });
  }

  /** Whether one of this process's bindings already has `port` in the same transport (TCP or UDP). */
  #holds(kind: Kind, port: number): boolean {
    if (port === 0) return false;
    const tcp = kind !== 'udp';
    const udp = kind === 'udp' || kind === 'tcp_udp';
    for (const b of this.#bindings) {
      if (b.hostPort !== port) continue;
      if ((tcp && b.kind !== 'udp') || (udp && (b.kind === 'udp' || b.kind === 'tcp_udp'))) return true;
    }
    return false;
  }

  /** Tries the listener's port, then a free one when the port is taken or privileged. */
  async #bind(binding: Binding, listener: ListenerConfig): Promise<void> {
    const host = this.#options.bindAddress;
    const { rt } = this.#options;
    if ((binding.kind === 'https' || binding.kind === 'tls') && !listener.certificate)
      throw Object.assign(new Error('no certificate'), { code: 'NO_CERTIFICATE' });
    const attempt = async (port: number): Promise<number> => {
      if (binding.kind === 'udp') {
        binding.udp = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
        return bindUdp(binding.udp, port, host);
      }
      binding.server = this.#createServer(binding, listener);
      const bound = await listenTcp(
        binding.server,
        port,
        host,
        this.#options.reusePort === true && binding.kind === 'http',
      );
      if (binding.kind === 'tcp_udp') {
        binding.udp = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
        try {
          await bindUdp(binding.udp, bound, host);
        } catch (err) {
          binding.server.close();
          throw err;
        }
      }
      return bound;
    };
    let port: number;
    try {
      if (this.#holds(binding.kind, listener.port))
        throw Object.assign(new Error(`port ${listener.port} is used by another listener`), {
          code: 'EADDRINUSE',
        });
      port = await attempt(listener.port);
    } catch (err) {
      if (!isPortProblem(err) || this.#options.strictPorts) throw err;
      // A free port instead; TCP_UDP needs one free for both, which a few tries find.
      let last = err;
      port = -1;
      for (let i = 0; i < 5 && port < 0; i++) {
        try {
          port = await attempt(0);
        } catch (e) {
          last = e;
          if (!isPortProblem(e)) throw e;
        }
      }
      if (port < 0) throw last;
    }
    binding.hostPort = port;
    if (binding.udp) binding.forwarder = new UdpForwarder(rt, binding.udp, () => binding.first());
  }

  #createServer(binding: Binding, listener: ListenerConfig): AnyServer {
    const { rt } = this.#options;
    const first = binding.first();
    const idleMs = first.lb.idleTimeoutSeconds * 1000;
    const cert = listener.certificate
      ? listener.certificate.chainPem
        ? `${listener.certificate.certificatePem}\n${listener.certificate.chainPem}`
        : listener.certificate.certificatePem
      : '';
    const key = listener.certificate?.privateKeyPem ?? '';

    if (binding.kind === 'tcp' || binding.kind === 'tcp_udp' || binding.kind === 'tls') {
      const onStream = (socket: Socket) => {
        const entry = binding.first();
        const lbm = rt.metrics.lb(entry.lb.arn);
        lbm.newConnectionCount++;
        lbm.activeConnectionCount++;
        socket.once('close', () => {
          lbm.activeConnectionCount--;
        });
        handleStream(rt, entry, socket);
      };
      if (binding.kind === 'tls') {
        const server = createTlsServer({ cert, key }, onStream);
        (server as { _longshoreCert?: string })._longshoreCert = `${cert}${key}`;
        server.on('tlsClientError', () => {});
        return server;
      }
      return createNetServer({ noDelay: true }, onStream);
    }

    const secure = binding.kind === 'https';
    const onRequest = (req: AnyRequest, res: AnyResponse) => {
      const entry = binding.route(req);
      if (!entry) {
        const names = [...binding.entries.values()].map((e) => e.lb.dnsName).join(', ');
        const body = `No load balancer named ${hostWithoutPort(requestHost(req))} listens on this port; use one of: ${names}\n`;
        writeHead(res, 404, {
          'content-type': 'text/plain; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        });
        res.end(body);
        return;
      }
      if (req.httpVersionMajor !== 2) countConnection(rt.metrics, req.socket as Socket, entry.lb.arn);
      handleRequest(rt, { entry, secure }, req, res);
    };
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const entry = binding.route(req);
      if (!entry) {
        socket.destroy();
        return;
      }
      countConnection(rt.metrics, req.socket as Socket, entry.lb.arn);
      handleUpgrade(rt, { entry, secure }, req, socket, head);
    };

    // SNI: a client naming one of the LBs sharing this HTTPS port gets that LB's certificate.
    const contexts = new Map<string, SecureContext>();
    const SNICallback = (servername: string, done: (err: Error | null, ctx?: SecureContext) => void) => {
      const name = servername.toLowerCase();
      let chosen: ListenerConfig['certificate'];
      for (const e of binding.entries.values())
        if (e.lb.dnsName.toLowerCase() === name) chosen = e.listener.certificate;
      if (!chosen) return done(null);
      const chainCert = chosen.chainPem
        ? `${chosen.certificatePem}\n${chosen.chainPem}`
        : chosen.certificatePem;
      const signature = `${chainCert}${chosen.privateKeyPem}`;
      let ctx = contexts.get(signature);
      if (!ctx) {
        ctx = createSecureContext({ cert: chainCert, key: chosen.privateKeyPem });
        contexts.set(signature, ctx);
      }
      done(null, ctx);
    };

    let server: AnyServer;
    if (binding.kind === 'https' && first.lb.http2Enabled) {
      const h2 = createSecureServer({ allowHTTP1: true, cert, key, SNICallback });
      // ALB's idle timeout for client connections: an idle session (no listener on 'timeout') is closed.
      h2.setTimeout(idleMs);
      h2.on('request', onRequest);
      h2.on('upgrade', onUpgrade);
      h2.on('sessionError', () => {});
      // HTTP/2 connections are sessions (their socket cannot be watched directly).
      h2.on('session', (session) => {
        const lbm = rt.metrics.lb(binding.first().lb.arn);
        lbm.newConnectionCount++;
        lbm.activeConnectionCount++;
        session.once('close', () => {
          lbm.activeConnectionCount--;
        });
      });
      server = h2;
    } else if (binding.kind === 'https') {
      const s = createHttpsServer(
        { cert, key, SNICallback, keepAliveTimeout: idleMs, requestTimeout: 0 },
        onRequest,
      );
      s.on('upgrade', onUpgrade);
      server = s;
    } else {
      // Plain HTTP: the raw path serves what it can and hands the rest to a node:http server.
      const s = createHttpServer({ keepAliveTimeout: idleMs, requestTimeout: 0, noDelay: true }, onRequest);
      s.on('upgrade', onUpgrade);
      s.on('clientError', (_err: Error, socket: Duplex) => {
        if (socket.writable)
          socket.end(
            'HTTP/1.1 400 Bad Request\r\nServer: awselb/2.0\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
          );
        else socket.destroy();
      });
      binding.handoff = s;
      const fast = {
        route: (host: string) => binding.routeHost(host),
        idleMs: () => binding.first().lb.idleTimeoutSeconds * 1000,
        handoff: (socket: Socket, buffered: Buffer) => {
          binding.fastSockets.delete(socket);
          if (buffered.length > 0) socket.unshift(buffered);
          s.emit('connection', socket);
          socket.resume();
        },
      };
      return createNetServer({ noDelay: true }, (socket) => {
        binding.fastSockets.add(socket);
        socket.once('close', () => binding.fastSockets.delete(socket));
        new FastConnection(rt, fast, socket);
      });
    }
    if (secure) (server as { _longshoreCert?: string })._longshoreCert = `${cert}${key}`;
    server.on('clientError', (_err: Error, socket: Duplex) => {
      if (socket.writable)
        socket.end(
          'HTTP/1.1 400 Bad Request\r\nServer: awselb/2.0\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
        );
      else socket.destroy();
    });
    return server;
  }
}
