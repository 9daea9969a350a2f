/** The container-instance attributes a definition needs (`requiresAttributes`), derived from the features it uses. */
import type { Attribute, ContainerDefinition, RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { PRIVATE_ECR_IMAGE } from './limits.ts';

const CAP = 'com.amazonaws.ecs.capability.';
const ECS_CAP = 'ecs.capability.';
const dockerApi = (version: string): string => `${CAP}docker-remote-api.${version}`;
const ANY_ECR = /^(\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?|public\.ecr\.aws)\//;

type Rule = readonly [
  attribute: string | ((c: ContainerDefinition) => string[]),
  applies: (c: ContainerDefinition) => boolean,
];

/**
 * Per-container rules, in the order ECS most often lists the resulting attributes. Sources:
 * - observed together in DescribeTaskDefinition output (AWS docs and user posts, 2017-2026):
 *   logging-driver.<driver> + docker-remote-api.1.19 for any log configuration;
 *   ecs.capability.execution-role-awslogs for awslogs with an execution role; ecr-auth for private
 *   ECR images and execution-role-ecr-pull for ECR images (also public.ecr.aws) with an execution
 *   role; container-health-check, container-ordering, secrets.ssm/asm.environment-variables and
 *   env-files.s3 for those features;
 * - the model's own notes: dockerLabels and ulimits "require version 1.18 of the Docker Remote
 *   API", initProcessEnabled 1.25;
 * - inferred from which outputs carry them (not stated by AWS): 1.21 for memoryReservation, 1.28 for
 *   the awslogs `mode`/`max-buffer-size` options and 1.29 for `awslogs-create-group`;
 * - agent capability names (amazon-ecs-agent agent_capability.go) for private registry auth,
 *   privileged containers and FireLens.
 */
function containerRules(executionRole: boolean): Rule[] {
  const log = (c: ContainerDefinition) => c.logConfiguration;
  const awslogsOption = (c: ContainerDefinition, ...names: string[]) =>
    log(c)?.logDriver === 'awslogs' && names.some((n) => log(c)?.options?.[n] !== undefined);
  const secretKind = (valueFrom: string | undefined) =>
    valueFrom?.includes(':secretsmanager:') ? 'asm' : 'ssm';
  return [
    [(c) => [`${CAP}logging-driver.${log(c)?.logDriver}`], (c) => log(c) !== undefined],
    [`${ECS_CAP}execution-role-awslogs`, (c) => executionRole && log(c)?.logDriver === 'awslogs'],
    [`${CAP}ecr-auth`, (c) => PRIVATE_ECR_IMAGE.test(c.image ?? '')],
    [dockerApi('1.19'), (c) => log(c) !== undefined],
    [dockerApi('1.21'), (c) => c.memoryReservation !== undefined],
    [dockerApi('1.28'), (c) => awslogsOption(c, 'mode', 'max-buffer-size')],
    [`${CAP}private-registry-authentication.secretsmanager`, (c) => c.repositoryCredentials !== undefined],
    [`${ECS_CAP}execution-role-ecr-pull`, (c) => executionRole && ANY_ECR.test(c.image ?? '')],
    [`${ECS_CAP}container-health-check`, (c) => c.healthCheck !== undefined],
    [
      (c) =>
        (c.secrets ?? []).map((s) => `${ECS_CAP}secrets.${secretKind(s.valueFrom)}.environment-variables`),
      () => true,
    ],
    [
      (c) =>
        (log(c)?.secretOptions ?? []).map(
          (s) => `${ECS_CAP}secrets.${secretKind(s.valueFrom)}.bootstrap.log-driver`,
        ),
      () => true,
    ],
    [`${ECS_CAP}env-files.s3`, (c) => (c.environmentFiles?.length ?? 0) > 0],
    [dockerApi('1.18'), (c) => c.dockerLabels !== undefined || (c.ulimits?.length ?? 0) > 0],
    [dockerApi('1.25'), (c) => c.linuxParameters?.initProcessEnabled === true],
    [`${CAP}privileged-container`, (c) => c.privileged === true],
    [
      (c) => [`${ECS_CAP}firelens.${c.firelensConfiguration?.type}`],
      (c) => c.firelensConfiguration !== undefined,
    ],
    [dockerApi('1.29'), (c) => awslogsOption(c, 'awslogs-create-group')],
    [
      `${ECS_CAP}container-ordering`,
      (c) => !!c.dependsOn?.length || c.startTimeout !== undefined || c.stopTimeout !== undefined,
    ],
  ];
}

/**
 * Task-level rules: a task role needs task-iam-role (and, in host mode, task-iam-role-network-host);
 * awsvpc needs docker-remote-api.1.18 and ecs.capability.task-eni (both in every awsvpc output seen);
 * pid/ipc namespace sharing, App Mesh and EFS (efs, efsAuth: observed) and Docker volume plugins have
 * their agent capabilities.
 */
function taskAttributes(input: RegisterTaskDefinitionRequest): string[] {
  const out: string[] = [];
  const mode = input.networkMode ?? 'bridge';
  if (input.taskRoleArn !== undefined) out.push(`${CAP}task-iam-role`);
  if (input.taskRoleArn !== undefined && mode === 'host') out.push(`${CAP}task-iam-role-network-host`);
  if (mode === 'awsvpc') out.push(dockerApi('1.18'), `${ECS_CAP}task-eni`);
  if (input.pidMode !== undefined || input.ipcMode !== undefined)
    out.push(`${ECS_CAP}pid-ipc-namespace-sharing`);
  if (input.proxyConfiguration !== undefined) out.push(`${ECS_CAP}aws-appmesh`);
  for (const v of input.volumes ?? []) {
    if (v.efsVolumeConfiguration) out.push(`${ECS_CAP}efs`);
    if (v.efsVolumeConfiguration?.authorizationConfig) out.push(`${ECS_CAP}efsAuth`);
    const driver = v.dockerVolumeConfiguration?.driver;
    if (driver !== undefined && driver !== 'local') out.push(`${ECS_CAP}docker-plugin.${driver}`);
    if (v.fsxWindowsFileServerVolumeConfiguration) out.push(`${ECS_CAP}fsxWindowsFileServer`);
  }
  return out;
}

/** The attributes, each once, as `{ name }` (ECS returns no value, targetType or targetId here). */
export function deriveRequiresAttributes(input: RegisterTaskDefinitionRequest): Attribute[] {
  const names = new Set<string>();
  const rules = containerRules(input.executionRoleArn !== undefined);
  const task = taskAttributes(input);
  // ECS interleaves: container capabilities first, task-level ones (task role, ENI) after them.
  for (const [attribute, applies] of rules) {
    for (const c of input.containerDefinitions ?? []) {
      if (!applies(c)) continue;
      for (const name of typeof attribute === 'string' ? [attribute] : attribute(c)) names.add(name);
    }
  }
  for (const name of task) names.add(name);
  return [...names].map((name) => ({ name }));
}
