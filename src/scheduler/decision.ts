/**
 * Everything one decision needs, built once per request (Nomad's "stack" parameterized per job):
 * compiled request, checker chain, cached static verdict, scorers, and the seeded draw sequence.
 */
import { seededRng } from '../core/clock.ts';
import { chainFor, staticMask } from './checkers/chain.ts';
import { type CompiledRequest, compileRequest } from './request.ts';
import { Candidates, type Selection } from './select.ts';
import { type SpreadPlan, spreadPlan } from './selection/spread-levels.ts';
import { clusterIndex } from './state/cluster-index.ts';
import { WorkingState } from './state/working-state.ts';
import { type Scorer, scorerFor } from './strategies/scorers.ts';
import type { ClusterSnapshot, PlacementRequest, PlaceOptions, TaskOnInstance } from './types.ts';

export interface Decision {
  readonly request: CompiledRequest;
  readonly ws: WorkingState;
  readonly selection: Selection;
  /** The running best, reused by every task of the request. */
  readonly candidates: Candidates;
  /** Set when the chain is made only of spread strategies. */
  readonly spread: SpreadPlan | undefined;
  /**
   * Draws for the next task, in a fixed order: each random strategy's salt (chain order), then the
   * tie-break salt. The same seed therefore replays the same plan.
   */
  nextTask(): number;
}

/** Throws the request's validation errors before touching the snapshot. Needs at least one instance. */
export function prepareDecision(
  snapshot: ClusterSnapshot,
  request: PlacementRequest,
  options: PlaceOptions,
): Decision {
  const compiled = compileRequest(request);
  const ws = new WorkingState(clusterIndex(snapshot), compiled.group);
  const chain = chainFor(compiled);
  const scorers: Scorer[] = compiled.strategy.map((strategy, index) => scorerFor(strategy, index));
  const rng = seededRng(options.seed ?? compiled.requestId);
  const draw = (): number => Math.floor(rng.next() * 0x1_0000_0000) >>> 0;
  const need = { cpu: compiled.resources.cpu, memory: compiled.resources.memory };
  const selection: Selection = {
    chain,
    mask: staticMask(chain, ws),
    scorers,
    need,
    exhaustive: options.exhaustive ?? false,
  };
  return {
    request: compiled,
    ws,
    selection,
    candidates: new Candidates(ws, selection),
    spread: spreadPlan(scorers, compiled.group, chain, need),
    nextTask() {
      for (const scorer of scorers) scorer.reseed?.(draw);
      return draw();
    },
  };
}

/** The task a placement adds to its instance: PENDING, desired RUNNING, holding the request's resources. */
export function placedTask(
  request: Pick<PlacementRequest, 'resources' | 'group' | 'family'>,
  taskArn: string,
): TaskOnInstance {
  const r = request.resources;
  return {
    taskArn,
    group: request.group,
    family: request.family,
    desiredStatus: 'RUNNING',
    lastStatus: 'PENDING',
    cpu: r.cpu,
    memory: r.memory,
    gpu: r.gpu,
    tcpPorts: r.tcpPorts,
    udpPorts: r.udpPorts,
    pendingDynamicTcpPorts: r.dynamicTcpPorts,
    pendingDynamicUdpPorts: r.dynamicUdpPorts,
  };
}
