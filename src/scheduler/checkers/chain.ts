/**
 * The checker chain, built once per request in ECS's order: the instance itself (status, agent,
 * launch type, attributes), then resources (CPU, memory, GPU, ports), then constraints (memberOf,
 * distinctInstance). The first checker that rejects names the reason; how deep an instance got
 * decides which one is "closest" when nothing fits.
 */
import { Reason } from '../reasons.ts';
import type { CompiledRequest } from '../request.ts';
import { slotState } from '../state/slot-state.ts';
import type { SlotView, WorkingState } from '../state/working-state.ts';
import type { Checker, Verdict } from './checker.ts';
import { distinctInstanceChecker, memberOfChecker } from './constraints.ts';
import { agentChecker, attributesChecker, launchTypeChecker, statusChecker } from './instance.ts';
import { needsPorts, portsChecker } from './ports.ts';
import { cpuChecker, gpuChecker, memoryChecker } from './resources.ts';

export interface Chain {
  /** Every active checker, in canonical order. */
  readonly checkers: readonly Checker[];
  /**
   * What the selection loop asks after the cached static verdict and its inline CPU and memory
   * comparison: the other non-static checkers (GPU, ports, dynamic memberOf, distinctInstance).
   */
  readonly remaining: readonly Checker[];
  /** The checkers folded into the cached static verdict. */
  readonly statics: readonly Checker[];
  /** Identifies the static checkers' combined verdict in the per-lineage cache. */
  readonly staticKey: string;
}

/**
 * Chains are pure functions of a few request fields, so requests of the same shape (a service's
 * every task, the same task definition run again) share one: building it per request was ~2 KB
 * of garbage per decision.
 */
const chains = new Map<string, Chain>();
const CHAIN_CACHE_LIMIT = 256;

/** The request's chain, from the cache when a request of the same shape built it. */
export function chainFor(request: CompiledRequest): Chain {
  const r = request.resources;
  const key = [
    request.launchType,
    r.cpu,
    r.memory,
    r.gpu,
    r.tcpPorts.join(','),
    r.udpPorts.join(','),
    r.dynamicTcpPorts,
    r.dynamicUdpPorts,
    request.requiresAttributes.length > 0
      ? JSON.stringify(request.requiresAttributes.map((a) => [a.name, a.value ?? null]))
      : '',
    request.memberOf.map((q) => q.source).join('\u0001'),
    request.distinctInstance ? request.group : '',
  ].join('\u0000');
  let chain = chains.get(key);
  if (!chain) {
    chain = buildChain(request);
    if (chains.size >= CHAIN_CACHE_LIMIT) chains.clear();
    chains.set(key, chain);
  }
  return chain;
}

/** Checkers with nothing to check (no GPUs needed, no host ports) are left out of the chain. */
export function buildChain(request: CompiledRequest): Chain {
  const r = request.resources;
  const checkers: Checker[] = [statusChecker, agentChecker, launchTypeChecker(request.launchType)];
  if (request.requiresAttributes.length > 0) checkers.push(attributesChecker(request.requiresAttributes));
  if (r.cpu > 0) checkers.push(cpuChecker(r.cpu));
  if (r.memory > 0) checkers.push(memoryChecker(r.memory));
  if (r.gpu > 0) checkers.push(gpuChecker(r.gpu));
  if (needsPorts(r)) checkers.push(portsChecker(r));
  for (const query of request.memberOf) checkers.push(memberOfChecker(query));
  if (request.distinctInstance) checkers.push(distinctInstanceChecker(request.group));
  const statics = checkers.filter((c) => c.static);
  return {
    checkers,
    remaining: checkers.filter((c) => !c.static && c.reason !== Reason.Cpu && c.reason !== Reason.Memory),
    statics,
    staticKey: statics.map((c) => c.key).join('\u0001'),
  };
}

/** 1 where every static checker passes; computed once per (lineage, static key). */
export function staticMask(chain: Chain, ws: WorkingState): Uint8Array {
  const { statics } = chain;
  return ws.table.mask(chain.staticKey, (slot) => {
    const view: SlotView = { slot, state: slotState(ws.table.instances[slot]), groupCount: 0 };
    return statics.every((c) => !c.rejects(view, ws));
  });
}

/** The full verdict in canonical order (explanations and failures; the hot path uses the mask). */
export function verdict(chain: Chain, view: SlotView, ws: WorkingState): Verdict {
  for (let depth = 0; depth < chain.checkers.length; depth++) {
    const checker = chain.checkers[depth];
    if (checker.rejects(view, ws)) {
      return { type: 'reject', reason: checker.reason, depth, shortfall: checker.shortfall(view, ws) };
    }
  }
  return { type: 'accept' };
}
