/**
 * Docker steps for one container: pull, create, start, stop, observe. Each returns a StepResult
 * and never throws; retriable failures are retried (bounded) here, so what comes back is final.
 */
import { resolveContainerSecrets, SecretResolutionError } from './container-secrets.ts';
import type { AwslogsTarget } from './awslogs-config.ts';
import { describeError } from '../../core/errors.ts';
import { DockerErrorName, DockerRetriableError, DockerTerminalError } from '../docker/errors.ts';
import { withRetry } from '../docker/retry.ts';
import { containerSpec } from './container-spec.ts';
import { definitionOf } from './dependencies.ts';
import type { EngineContext, StepResult } from './engine-context.ts';
import { EnvironmentFileError, resolveEnvironmentFiles } from './environment-files.ts';
import { EcsLabel } from './naming.ts';
import { resourceInitializationError } from './reasons.ts';
import { taskLimits } from './task-limits.ts';
import type { ContainerState, TaskState } from './task-state.ts';
import { awaitTaskRoles, ecrAuthFailure, executionCredentials } from './task-roles.ts';
import type { RegistryAuth } from '../docker/runtime.ts';

type Step = 'pull' | 'create' | 'start' | 'stop' | 'observe';

function failed(container: string, step: Step, error: unknown, fallbackName: DockerErrorName): StepResult {
  if (error instanceof DockerTerminalError)
    return { type: 'failed', container, step, reason: error.reason, retriable: false };
  if (error instanceof DockerRetriableError) {
    // Retries are spent: report under the step's ECS name, the daemon's trouble as the detail.
    return { type: 'failed', container, step, reason: `${fallbackName}: ${error.message}`, retriable: true };
  }
  return {
    type: 'failed',
    container,
    step,
    reason: `${fallbackName}: ${describeError(error)}`,
    retriable: false,
  };
}

export async function pullStep(ctx: EngineContext, task: TaskState, c: ContainerState): Promise<StepResult> {
  // After an agent restart the roles' credentials come again with the reconnect: wait for them.
  const roleFailure = await awaitTaskRoles(ctx, task);
  if (roleFailure)
    return { type: 'failed', container: c.name, step: 'pull', reason: roleFailure, retriable: false };
  const ref = definitionOf(task, c.name).image ?? '';
  // With an execution role, Longshore's registry is logged in to with its session, as ECS does.
  let auth: RegistryAuth | undefined;
  const execution = executionCredentials(ctx, task);
  if (execution && ctx.roles.clients) {
    try {
      auth = await ctx.roles.clients.registryAuth(ref, execution);
    } catch (error) {
      return {
        type: 'failed',
        container: c.name,
        step: 'pull',
        reason: ecrAuthFailure(error),
        retriable: false,
      };
    }
  }
  try {
    const image = await ctx.images.ensure(ref, auth);
    return { type: 'pulled', container: c.name, image };
  } catch (error) {
    return failed(c.name, 'pull', error, DockerErrorName.CannotPullContainer);
  }
}

export async function createStep(
  ctx: EngineContext,
  task: TaskState,
  c: ContainerState,
): Promise<StepResult> {
  const def = definitionOf(task, c.name);
  let fileEnv: Record<string, string>;
  try {
    const source = ctx.secrets?.getObject
      ? { getObject: ctx.secrets.getObject.bind(ctx.secrets) }
      : undefined;
    fileEnv = await resolveEnvironmentFiles(def, source);
  } catch (error) {
    if (!(error instanceof EnvironmentFileError)) throw error;
    return { type: 'failed', container: c.name, step: 'create', reason: error.message, retriable: false };
  }
  const roleFailure = await awaitTaskRoles(ctx, task);
  if (roleFailure)
    return { type: 'failed', container: c.name, step: 'create', reason: roleFailure, retriable: false };
  // The execution role's session reads `secrets` when the task has one; else the agent's credentials.
  const execution = executionCredentials(ctx, task);
  const secrets = execution && ctx.roles.clients ? ctx.roles.clients.secrets(execution) : ctx.secrets;
  let secretEnv: Record<string, string> = {};
  if (def.secrets?.length) {
    if (!secrets) {
      const reason = resourceInitializationError(
        'secrets: this agent has no Secrets Manager or Parameter Store to read them from',
      );
      return { type: 'failed', container: c.name, step: 'create', reason, retriable: false };
    }
    try {
      secretEnv = await resolveContainerSecrets(def, secrets);
    } catch (error) {
      if (!(error instanceof SecretResolutionError)) throw error;
      return { type: 'failed', container: c.name, step: 'create', reason: error.message, retriable: false };
    }
  }
  let awslogs: AwslogsTarget | undefined;
  if (def.logConfiguration?.logDriver === 'awslogs') {
    awslogs = ctx.awslogs(task.assignment.taskArn);
    if (!awslogs) {
      const reason = resourceInitializationError(`awslogs: ${ctx.awslogsUnavailable()}`);
      return { type: 'failed', container: c.name, step: 'create', reason, retriable: false };
    }
  }
  // The task role's credentials URI is the agent's; AWS_ENDPOINT_URL only when nothing else sets it.
  const roleEnv = ctx.roles.environment(task.assignment.taskArn);
  const spec = containerSpec({
    assignment: task.assignment,
    container: c,
    definition: def,
    resources: task.resources ?? { hostPorts: [], volumes: [] },
    dockerNames: Object.fromEntries(task.containers.map((x) => [x.name, x.dockerName])),
    instanceArn: ctx.config.instanceArn,
    agentEnv: { ...ctx.agentEnv(c.metadataId), ...roleEnv.agent },
    fileEnv: { ...roleEnv.defaults, ...fileEnv },
    limits: taskLimits(task.assignment),
    ...(awslogs ? { awslogs } : {}),
    secretEnv,
  });
  try {
    const runtimeId = await withRetry(() => createOrAdopt(ctx, task, c, spec), ctx.config.retry);
    return { type: 'created', container: c.name, runtimeId };
  } catch (error) {
    return failed(c.name, 'create', error, DockerErrorName.CannotCreateContainer);
  }
}

/**
 * A create retried after a timeout may find its own container already made (409 name conflict):
 * adopt it when its labels say it is this task's container.
 */
async function createOrAdopt(
  ctx: EngineContext,
  task: TaskState,
  c: ContainerState,
  spec: Parameters<EngineContext['runtime']['createContainer']>[0],
): Promise<string> {
  try {
    return await ctx.runtime.createContainer(spec);
  } catch (error) {
    if (!(error instanceof DockerTerminalError) || error.statusCode !== 409) throw error;
    const existing = await ctx.runtime.inspectContainer(c.dockerName);
    const ours =
      existing?.labels[EcsLabel.TaskArn] === task.assignment.taskArn &&
      existing.labels[EcsLabel.ContainerName] === c.name;
    if (!existing || !ours) throw error;
    return existing.id;
  }
}

export async function startStep(ctx: EngineContext, c: ContainerState): Promise<StepResult> {
  const id = c.runtimeId ?? c.dockerName;
  try {
    await withRetry(() => ctx.runtime.startContainer(id), ctx.config.retry);
  } catch (error) {
    return failed(c.name, 'start', error, DockerErrorName.CannotStartContainer);
  }
  // Inspect for the bindings Docker made and the container IP; if it already exited, that shows too.
  return observeStep(ctx, c).then((r) => (r.type === 'observed' ? { ...r, type: 'started' } : r));
}

/** SIGTERM (or the image's STOPSIGNAL), then SIGKILL after stopTimeout; then inspect for the exit code. */
export async function stopStep(ctx: EngineContext, task: TaskState, c: ContainerState): Promise<StepResult> {
  const timeout = definitionOf(task, c.name).stopTimeout ?? ctx.config.stopTimeoutSeconds;
  const id = c.runtimeId ?? c.dockerName;
  try {
    await withRetry(() => ctx.runtime.stopContainer(id, timeout), ctx.config.retry);
  } catch (error) {
    return failed(c.name, 'stop', error, DockerErrorName.CannotStopContainer);
  }
  return observeStep(ctx, c).then((r) => (r.type === 'observed' ? { ...r, type: 'stopped' } : r));
}

export async function observeStep(ctx: EngineContext, c: ContainerState): Promise<StepResult> {
  try {
    const info = await withRetry(
      () => ctx.runtime.inspectContainer(c.runtimeId ?? c.dockerName),
      ctx.config.retry,
    );
    return { type: 'observed', container: c.name, info };
  } catch (error) {
    return failed(c.name, 'observe', error, DockerErrorName.CannotInspectContainer);
  }
}
