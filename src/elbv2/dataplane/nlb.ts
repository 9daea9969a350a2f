/**
 * NLB forwarding: TCP and TLS (terminated here) streams are piped to a target chosen per
 * connection; UDP datagrams are forwarded per flow (client address and port), each flow keeping
 * its target and an upstream socket of its own until it has been idle for the UDP idle timeout.
 */
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { connect, isIPv4, type Socket } from 'node:net';
import { chooseTarget, chooseWeighted } from './balancer.ts';
import { plainIp } from './conditions.ts';
import type { ListenerEntry, Runtime } from './runtime.ts';
import type { TargetGroupRuntime, TargetRuntime } from './targets.ts';

/** The target group of an NLB listener: its default forward (weighted when it names several). */
export function nlbGroup(rt: Runtime, entry: ListenerEntry): TargetGroupRuntime | undefined {
  const forward = entry.listener.defaultActions.find((a) => a.type === 'forward');
  if (forward?.type !== 'forward') return undefined;
  const chosen = chooseWeighted(forward.targetGroups, rt.rng);
  return chosen && rt.groups.get(chosen.targetGroupArn);
}

function pickNlbTarget(rt: Runtime, group: TargetGroupRuntime, sourceIp: string): TargetRuntime | undefined {
  const sticky = group.config.stickiness?.type === 'source_ip';
  return chooseTarget(group, rt.clock.now(), sticky ? { sourceIp } : {});
}

const PP2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

/** 4 bytes for IPv4, 16 for IPv6 (an IPv4 address as `::ffff:a.b.c.d` when `asV6`). */
function ipBytes(ip: string, asV6: boolean): Buffer {
  if (isIPv4(ip)) {
    const v4 = Buffer.from(ip.split('.').map(Number));
    return asV6 ? Buffer.concat([Buffer.alloc(10), Buffer.from([0xff, 0xff]), v4]) : v4;
  }
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, ''];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  for (let i = 0; i < 8; i++) out.writeUInt16BE(Number.parseInt(groups[i] || '0', 16), i * 2);
  return out;
}

/**
 * The PROXY protocol v2 header NLB sends when `proxy_protocol_v2.enabled` is on: the client's
 * address and port and the listener's, so a target can see who connected (the TCP source it
 * sees is the data plane's, since user space cannot spoof it without TPROXY).
 */
export function proxyV2Header(
  client: { address: string; port: number },
  local: { address: string; port: number },
  udp = false,
): Buffer {
  const src = plainIp(client.address);
  const dst = plainIp(local.address);
  const v4 = isIPv4(src) && isIPv4(dst);
  const addrs = Buffer.concat([ipBytes(src, !v4), ipBytes(dst, !v4)]);
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(client.port, 0);
  ports.writeUInt16BE(local.port, 2);
  const head = Buffer.alloc(4);
  head[0] = 0x21; // version 2, command PROXY
  head[1] = (v4 ? 0x10 : 0x20) | (udp ? 0x02 : 0x01);
  head.writeUInt16BE(addrs.length + 4, 2);
  return Buffer.concat([PP2_SIGNATURE, head, addrs, ports]);
}

/** One TCP (or decrypted TLS) connection to an NLB listener. */
export function handleStream(rt: Runtime, entry: ListenerEntry, client: Socket): void {
  const lbm = rt.metrics.lb(entry.lb.arn);
  client.on('error', () => client.destroy());
  const group = nlbGroup(rt, entry);
  const target = group && pickNlbTarget(rt, group, plainIp(client.remoteAddress));
  if (!group || !target) {
    client.destroy();
    return;
  }
  rt.metrics.tg(group.config.arn, entry.lb.arn).requestCount++;
  const upstream = connect({ host: target.config.address, port: target.config.port, noDelay: true });
  if (group.config.proxyProtocolV2) {
    upstream.write(
      proxyV2Header(
        { address: client.remoteAddress ?? '', port: client.remotePort ?? 0 },
        { address: client.localAddress ?? '', port: client.localPort ?? 0 },
      ),
    );
  }
  const inflight = {
    destroy() {
      upstream.destroy();
      client.destroy();
    },
  };
  target.inflight.add(inflight);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    target.inflight.delete(inflight);
    lbm.processedBytes += upstream.bytesRead + upstream.bytesWritten;
    rt.released(target);
  };
  client.setNoDelay?.(true);
  for (const s of [client, upstream]) {
    s.setTimeout(rt.tcpIdleTimeoutMs);
    s.on('timeout', () => inflight.destroy());
  }
  // A refused or reset target connection resets the client's, as NLB does.
  upstream.on('error', () => client.resetAndDestroy?.() ?? client.destroy());
  upstream.once('close', () => {
    client.end();
    release();
  });
  client.once('close', () => {
    upstream.end();
    release();
  });
  client.pipe(upstream);
  upstream.pipe(client);
}

interface Flow {
  upstream: UdpSocket;
  target: TargetRuntime;
  lastSeen: number;
  inflight: { destroy(): void };
}

/** A UDP listener's flows; `close` ends them all. */
export class UdpForwarder {
  readonly #rt: Runtime;
  readonly #socket: UdpSocket;
  readonly #flows = new Map<string, Flow>();
  readonly #getEntry: () => ListenerEntry;
  #sweep: unknown;

  constructor(rt: Runtime, socket: UdpSocket, getEntry: () => ListenerEntry) {
    this.#rt = rt;
    this.#socket = socket;
    this.#getEntry = getEntry;
    socket.on('message', (msg, rinfo) => this.#onMessage(msg, rinfo));
    this.#scheduleSweep();
  }

  #scheduleSweep(): void {
    const every = Math.max(10, Math.min(10_000, this.#rt.udpIdleTimeoutMs / 4));
    this.#sweep = this.#rt.timers.setTimeout(() => {
      const now = this.#rt.clock.now();
      for (const [key, flow] of this.#flows)
        if (now - flow.lastSeen >= this.#rt.udpIdleTimeoutMs) this.#end(key, flow);
      this.#scheduleSweep();
    }, every);
  }

  #end(key: string, flow: Flow): void {
    this.#flows.delete(key);
    flow.target.inflight.delete(flow.inflight);
    try {
      flow.upstream.close();
    } catch {}
    this.#rt.released(flow.target);
  }

  #onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    const key = `${rinfo.address}|${rinfo.port}`;
    const entry = this.#getEntry();
    const lbm = this.#rt.metrics.lb(entry.lb.arn);
    lbm.processedBytes += msg.length;
    let flow = this.#flows.get(key);
    if (!flow) {
      const group = nlbGroup(this.#rt, entry);
      const target = group && pickNlbTarget(this.#rt, group, plainIp(rinfo.address));
      if (!group || !target) return;
      lbm.newConnectionCount++;
      const upstream = createSocket(isIPv4(target.config.address) ? 'udp4' : 'udp6');
      const created: Flow = {
        upstream,
        target,
        lastSeen: this.#rt.clock.now(),
        inflight: { destroy: () => this.#end(key, created) },
      };
      flow = created;
      target.inflight.add(created.inflight);
      this.#flows.set(key, created);
      upstream.on('message', (reply) => {
        created.lastSeen = this.#rt.clock.now();
        lbm.processedBytes += reply.length;
        this.#socket.send(reply, rinfo.port, rinfo.address);
      });
      upstream.on('error', () => this.#end(key, created));
      upstream.connect(target.config.port, target.config.address, () => {
        for (const pending of pendingOf(created)) upstream.send(pending);
        pendingOf(created).length = 0;
        connected.add(created);
      });
    }
    flow.lastSeen = this.#rt.clock.now();
    if (connected.has(flow)) flow.upstream.send(msg);
    else pendingOf(flow).push(msg);
  }

  close(): void {
    this.#rt.timers.clearTimeout(this.#sweep);
    for (const [key, flow] of this.#flows) this.#end(key, flow);
    try {
      this.#socket.close();
    } catch {}
  }
}

const connected = new WeakSet<Flow>();
const pending = new WeakMap<Flow, Buffer[]>();
function pendingOf(flow: Flow): Buffer[] {
  let list = pending.get(flow);
  if (!list) {
    list = [];
    pending.set(flow, list);
  }
  return list;
}
