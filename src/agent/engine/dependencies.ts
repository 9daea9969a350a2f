/**
 * Container ordering: whether a container may take its next step given `dependsOn`, `links` and
 * `volumesFrom`, and whether it may stop given the containers that depend on it. Pure.
 */
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { type ContainerState, containerAtLeast, findContainer, type TaskState } from './task-state.ts';

/** The next step a container is waiting to take. */
export type Phase = 'pull' | 'create' | 'start';

export type Gate =
  | { type: 'open' }
  /** Wait; `wakeAt` is when a timeout would turn this into a terminal failure. */
  | { type: 'blocked'; wakeAt?: number }
  /** The dependency can never be met: the container will never start. */
  | { type: 'terminal'; reason: string };

export function definitionOf(task: TaskState, name: string): ContainerDefinition {
  const found = task.assignment.containers.find((c) => c.name === name);
  if (!found) throw new Error(`container ${name} is not in task ${task.assignment.taskArn}`);
  return found.definition;
}

/** `links` entries are `name:alias`; the name is the container the link points at. */
function linkTargets(def: ContainerDefinition): string[] {
  return (def.links ?? []).map((link) => link.split(':')[0]);
}

function graphError(detail: string): string {
  return `dependency graph: ${detail}`;
}

/** Whether `target` may take step `phase` now (ECS's DependenciesAreResolved, for one container). */
export function gateFor(task: TaskState, target: ContainerState, phase: Phase, now: number): Gate {
  const def = definitionOf(task, target.name);
  let wakeAt: number | undefined;
  let blocked = false;
  for (const dep of def.dependsOn ?? []) {
    const name = dep.containerName ?? '';
    const other = findContainer(task, name);
    const where = `[${name}] for target [${target.name}]`;
    if (!other)
      return {
        type: 'terminal',
        reason: graphError(`container ordering dependency ${where} does not exist.`),
      };
    const condition = dep.condition ?? 'START';
    const stopped = other.known === 'STOPPED';
    const timeoutSec = definitionOf(task, name).startTimeout ?? 0;
    // startTimeout belongs to the dependency, counted from its start, for conditions that wait on it.
    if (!stopped && timeoutSec > 0 && other.startedAt !== undefined && condition !== 'START') {
      const deadline = other.startedAt + timeoutSec * 1000;
      if (now >= deadline) {
        return {
          type: 'terminal',
          reason: graphError(`container ordering dependency ${where} has timed out.`),
        };
      }
      wakeAt = Math.min(wakeAt ?? deadline, deadline);
    }
    if (stopped && other.startedAt === undefined) {
      return {
        type: 'terminal',
        reason: graphError(
          `failed to resolve container ordering dependency ${where} because dependency will never start`,
        ),
      };
    }
    if (condition === 'SUCCESS' && stopped && other.exitCode !== 0) {
      return {
        type: 'terminal',
        reason: graphError(
          `failed to resolve container ordering dependency ${where} as dependency did not exit successfully.`,
        ),
      };
    }
    if (condition === 'HEALTHY' && stopped && other.health !== 'HEALTHY') {
      return {
        type: 'terminal',
        reason: graphError(
          `failed to resolve container ordering dependency ${where} as dependency stopped before it became healthy.`,
        ),
      };
    }
    if (!conditionMet(condition, other, phase)) blocked = true;
  }
  if (phase === 'create') {
    for (const name of linkTargets(def)) {
      const other = findContainer(task, name);
      if (!other || (other.known === 'STOPPED' && other.startedAt === undefined)) {
        return {
          type: 'terminal',
          reason: graphError(`link target [${name}] for [${target.name}] will never start`),
        };
      }
      if (!containerAtLeast(other, 'RUNNING')) blocked = true;
    }
    for (const from of def.volumesFrom ?? []) {
      const other = findContainer(task, from.sourceContainer ?? '');
      if (!other)
        return {
          type: 'terminal',
          reason: graphError(`volumesFrom source [${from.sourceContainer}] does not exist`),
        };
      if (!containerAtLeast(other, 'CREATED')) blocked = true;
    }
  }
  return blocked ? { type: 'blocked', wakeAt } : { type: 'open' };
}

function conditionMet(condition: string, dep: ContainerState, phase: Phase): boolean {
  switch (condition) {
    case 'START':
      // The target may be pulled and created once its dependency exists; it starts once the dependency has.
      return phase === 'start' ? dep.startedAt !== undefined : containerAtLeast(dep, 'CREATED');
    case 'COMPLETE':
      return dep.known === 'STOPPED';
    case 'SUCCESS':
      return dep.known === 'STOPPED' && dep.exitCode === 0;
    case 'HEALTHY':
      return dep.health === 'HEALTHY';
    default:
      return false;
  }
}

/**
 * Shutdown runs in reverse dependency order: `target` may stop only once every container that
 * depends on it (dependsOn or links) is no longer running and has no step in flight.
 */
export function mayStop(task: TaskState, target: ContainerState, inflight: ReadonlySet<string>): boolean {
  for (const other of task.containers) {
    if (other === target) continue;
    const def = definitionOf(task, other.name);
    const dependsOnTarget =
      (def.dependsOn ?? []).some((d) => d.containerName === target.name) ||
      linkTargets(def).includes(target.name);
    if (!dependsOnTarget) continue;
    if (other.known === 'RUNNING' || inflight.has(other.name)) return false;
  }
  return true;
}
