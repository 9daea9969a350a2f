/**
 * The `awslogs` log driver as ECS sets it up: Docker's own awslogs driver, pointed at Longshore's
 * CloudWatch Logs (`awslogs-endpoint`) with credentials it fetches from the agent's credentials
 * endpoint (`awslogs-credentials-endpoint`, a path under http://169.254.170.2 that only dockerd is
 * given), the stream named `prefix/container-name/task-id` when `awslogs-stream-prefix` is set (ECS's
 * own option, which Docker does not know). Pure.
 */
import type { ContainerDefinition } from '@aws-sdk/client-ecs';

/** Where Docker's awslogs driver sends logs, and the credentials path it asks (per task). */
export interface AwslogsTarget {
  /** Longshore's endpoint as dockerd reaches it (`http://127.0.0.1:4590`). */
  endpoint: string;
  /** `/v2/credentials/<id>`, served by the agent's metadata server at 169.254.170.2. */
  credentialsUri: string;
}

/** Options ECS reads itself; Docker would refuse them. */
const ECS_ONLY = new Set(['awslogs-stream-prefix']);

export function awslogsConfig(
  def: ContainerDefinition,
  taskArn: string,
  target: AwslogsTarget,
): Record<string, string> {
  const options = def.logConfiguration?.options ?? {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) if (!ECS_ONLY.has(k) && v !== undefined) out[k] = v;
  const prefix = options['awslogs-stream-prefix'];
  const taskId = taskArn.split('/').pop() ?? '';
  if (prefix && !out['awslogs-stream']) out['awslogs-stream'] = `${prefix}/${def.name}/${taskId}`;
  out['awslogs-endpoint'] = target.endpoint;
  out['awslogs-credentials-endpoint'] = target.credentialsUri;
  return out;
}
