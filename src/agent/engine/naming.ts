/** Docker names and labels of task containers, as the real agent sets them so they can be re-adopted. */
import type { TaskAssignment } from '../../core/agent-protocol.ts';
import type { Rng } from '../../core/clock.ts';

/** Labels the real ECS agent puts on every container (and user labels cannot override). */
export const EcsLabel = {
  TaskArn: 'com.amazonaws.ecs.task-arn',
  ContainerName: 'com.amazonaws.ecs.container-name',
  Cluster: 'com.amazonaws.ecs.cluster',
  Family: 'com.amazonaws.ecs.task-definition-family',
  Version: 'com.amazonaws.ecs.task-definition-version',
} as const;

/** Which agent owns a container: several agents may share one Docker Engine, each adopts only its own. */
export const INSTANCE_LABEL = 'longshore.instance';

export interface FamilyRevision {
  family: string;
  revision: string;
}

/** `family` and `revision` from the task definition, or from its ARN (`...:task-definition/family:3`). */
export function familyRevision(assignment: TaskAssignment): FamilyRevision {
  const def = assignment.taskDefinition;
  if (def.family && def.revision !== undefined) return { family: def.family, revision: String(def.revision) };
  const tail = assignment.taskDefinitionArn.slice(assignment.taskDefinitionArn.lastIndexOf('/') + 1);
  const colon = tail.lastIndexOf(':');
  return colon < 0
    ? { family: tail, revision: '0' }
    : { family: tail.slice(0, colon), revision: tail.slice(colon + 1) };
}

function sanitize(value: string): string {
  return value.replace(/[^a-zA-Z0-9_.-]/g, '');
}

/** `ecs-<family>-<revision>-<container>-<20 hex>`, like the real agent's names. */
export function dockerNameFor(assignment: TaskAssignment, containerName: string, rng: Rng): string {
  const { family, revision } = familyRevision(assignment);
  return `ecs-${sanitize(family)}-${sanitize(revision)}-${sanitize(containerName)}-${rng.hex(10)}`;
}

/** Name of a task-scoped Docker volume; derived from the task id so a retried provision reuses it. */
export function taskVolumeName(assignment: TaskAssignment, volumeName: string, taskId: string): string {
  const { family, revision } = familyRevision(assignment);
  return `ecs-${sanitize(family)}-${sanitize(revision)}-${sanitize(volumeName)}-${sanitize(taskId)}`;
}

/** ECS labels over user labels: the agent's own always win. */
export function containerLabels(
  assignment: TaskAssignment,
  containerName: string,
  instanceArn: string,
  userLabels: Record<string, string> | undefined,
): Record<string, string> {
  const { family, revision } = familyRevision(assignment);
  return {
    ...userLabels,
    [EcsLabel.TaskArn]: assignment.taskArn,
    [EcsLabel.ContainerName]: containerName,
    // The real agent labels with the cluster as configured (usually its name, e.g. "default").
    [EcsLabel.Cluster]: clusterNameOf(assignment.clusterArn),
    [EcsLabel.Family]: family,
    [EcsLabel.Version]: revision,
    [INSTANCE_LABEL]: instanceArn,
  };
}

/** `default` from `arn:aws:ecs:region:account:cluster/default` (a bare name stays as it is). */
export function clusterNameOf(clusterArn: string): string {
  return clusterArn.slice(clusterArn.lastIndexOf('/') + 1);
}
