/** References between containers (links, volumesFrom, dependsOn) and the start order they imply. */
import type { ContainerDefinition, NetworkMode } from '@aws-sdk/client-ecs';
import { checkEnumValue, reject } from './fail.ts';
import { ContainerConditions, NAME_CHARS } from './limits.ts';

/**
 * ContainerDefinition.links: "only supported if the network mode of a task definition is bridge",
 * each `name:internalName` naming a container of the task. ECS answers "Links are not supported when
 * networkMode=awsvpc." (aws-otel-collector#1359). volumesFrom must name a container of the task:
 * "Invalid 'volumesFrom' setting. Unknown container: 'x'." (eagletmt/hako#54); links and dependsOn
 * use the same form here.
 */
export function checkContainerReferences(
  containers: readonly ContainerDefinition[],
  mode: NetworkMode,
): void {
  const byName = new Map(containers.map((c) => [c.name ?? '', c]));
  const known = (setting: string, name: string | undefined): ContainerDefinition => {
    const target = byName.get(name ?? '');
    if (!target) throw reject(`Invalid '${setting}' setting. Unknown container: '${name}'.`);
    return target;
  };
  containers.forEach((c, i) => {
    if (c.links?.length && mode !== 'bridge')
      throw reject(`Links are not supported when networkMode=${mode}.`);
    for (const link of c.links ?? []) {
      const [name, alias, extra] = link.split(':');
      if (extra !== undefined || (alias !== undefined && !NAME_CHARS.test(alias))) {
        throw reject(
          `Invalid 'links' setting for container '${c.name}'. '${link}' is not of the form name:alias.`,
        );
      }
      known('links', name);
    }
    for (const from of c.volumesFrom ?? []) known('volumesFrom', from.sourceContainer);
    c.dependsOn?.forEach((dep, j) => {
      checkEnumValue(
        `containerDefinitions.${i + 1}.member.dependsOn.${j + 1}.member.condition`,
        dep.condition,
        ContainerConditions,
      );
      const target = known('dependsOn', dep.containerName);
      checkCondition(dep.condition, target);
    });
  });
  checkCycles(containers);
}

/**
 * ContainerDependency.condition: COMPLETE and SUCCESS "can't be set on an essential container" (ECS:
 * "A dependency container with SUCCESS or COMPLETE condition cannot be an essential container",
 * boto3#2436); HEALTHY "requires that the dependent container has health checks configured".
 */
function checkCondition(condition: string | undefined, target: ContainerDefinition): void {
  if ((condition === 'COMPLETE' || condition === 'SUCCESS') && target.essential !== false) {
    throw reject(
      'A dependency container with SUCCESS or COMPLETE condition cannot be an essential container',
    );
  }
  if (condition === 'HEALTHY' && !target.healthCheck) {
    throw reject('A dependency container with HEALTHY condition must have a health check configured');
  }
}

/** Containers each container waits for: dependsOn targets, linked containers, volumesFrom sources. */
export function startDependencies(c: ContainerDefinition): string[] {
  return [
    ...(c.dependsOn ?? []).map((d) => d.containerName ?? ''),
    ...(c.links ?? []).map((l) => l.split(':')[0]),
    ...(c.volumesFrom ?? []).map((v) => v.sourceContainer ?? ''),
  ];
}

/**
 * The dependencies must form a DAG: a container can only start after the ones it waits for, so a
 * cycle (including depending on itself) could never start. Depth-first search with three colours;
 * the error names the cycle, e.g. 'a' -> 'b' -> 'a'.
 */
function checkCycles(containers: readonly ContainerDefinition[]): void {
  const edges = new Map(containers.map((c) => [c.name ?? '', startDependencies(c)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(name)), name].map((n) => `'${n}'`).join(' -> ');
      throw reject(
        `Invalid container dependencies. The containers ${cycle} depend on each other in a cycle.`,
      );
    }
    state.set(name, 'visiting');
    stack.push(name);
    for (const next of edges.get(name) ?? []) visit(next);
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of edges.keys()) visit(name);
}
