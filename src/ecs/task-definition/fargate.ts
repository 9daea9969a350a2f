/** Fargate's task sizes and the task-definition features Fargate does not support. */
import type { ContainerDefinition, RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { FARGATE_TIMEOUT, PRIVATE_ECR_IMAGE } from './limits.ts';

/**
 * Valid task cpu/memory pairs (TaskDefinition.memory doc and the "Invalid CPU or memory value"
 * troubleshooting page), in MiB: 256 -> 512, 1024, 2048; 512 -> 1-4 GB; 1024 -> 2-8 GB; 2048 ->
 * 4-16 GB and 4096 -> 8-30 GB, in 1 GB steps; 8192 -> 16-60 GB in 4 GB steps and 16384 -> 32-120 GB
 * in 8 GB steps (Linux platform 1.4.0+ only). Windows on Fargate needs at least 1 vCPU and has no
 * 8 or 16 vCPU sizes.
 */
const SIZES = {
  256: { from: 512, to: 2048, step: 512, except: [1536], linuxOnly: true },
  512: { from: 1024, to: 4096, step: 1024, except: [], linuxOnly: true },
  1024: { from: 2048, to: 8192, step: 1024, except: [], linuxOnly: false },
  2048: { from: 4096, to: 16384, step: 1024, except: [], linuxOnly: false },
  4096: { from: 8192, to: 30720, step: 1024, except: [], linuxOnly: false },
  8192: { from: 16384, to: 61440, step: 4096, except: [], linuxOnly: true },
  16384: { from: 32768, to: 122880, step: 8192, except: [], linuxOnly: true },
} as const satisfies Record<
  number,
  { from: number; to: number; step: number; except: number[]; linuxOnly: boolean }
>;

export function isFargateSize(cpu: number, memory: number, windows = false): boolean {
  const size = (SIZES as Record<number, (typeof SIZES)[keyof typeof SIZES]>)[cpu];
  if (!size || (windows && size.linuxOnly)) return false;
  const inRange = memory >= size.from && memory <= size.to && (memory - size.from) % size.step === 0;
  return inRange && !(size.except as readonly number[]).includes(memory);
}

/** Log drivers on Fargate (LogConfiguration.logDriver doc): awslogs, splunk and awsfirelens. */
const FARGATE_LOG_DRIVERS: readonly string[] = ['awslogs', 'splunk', 'awsfirelens'];
/** KernelCapabilities.add: "Tasks launched on Fargate only support adding the SYS_PTRACE kernel capability." */
const FARGATE_CAP_ADD: readonly string[] = ['SYS_PTRACE'];

const unsupported = (what: string): string => `Tasks using the Fargate launch type do not support ${what}.`;

/**
 * Why `input` cannot run on Fargate, as the ClientException text ECS gives when FARGATE is in
 * requiresCompatibilities; undefined when it can (then `compatibilities` lists FARGATE).
 * Quoted ECS texts: "Fargate only supports network mode ‘awsvpc’." (amazon-ecs-cli#1145, with those
 * quote marks), "Fargate requires that 'cpu' be defined at the task level." (civic-devops#246),
 * "No Fargate configuration exists for given values: 512 CPU, 512 memory. See the Amazon ECS
 * documentation for the valid values." (aws-cdk-examples#1), "Tasks using the Fargate launch type do
 * not support ipcMode." (terraform-aws-ecs-fargate#2) and "Fargate requires task definition to have
 * execution role ARN to support log driver awslogs.". The rest follow those patterns.
 */
export function fargateIncompatibility(
  input: RegisterTaskDefinitionRequest,
  cpu: number | undefined,
  memory: number | undefined,
): string | undefined {
  if (input.networkMode !== 'awsvpc') return 'Fargate only supports network mode ‘awsvpc’.';
  if (cpu === undefined) return "Fargate requires that 'cpu' be defined at the task level.";
  if (memory === undefined) return "Fargate requires that 'memory' be defined at the task level.";
  const windows = input.runtimePlatform?.operatingSystemFamily?.startsWith('WINDOWS') ?? false;
  if (!isFargateSize(cpu, memory, windows)) {
    return `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`;
  }
  if (input.ipcMode !== undefined) return unsupported('ipcMode');
  if (input.pidMode === 'host') return unsupported("pidMode 'host'");
  if (input.placementConstraints?.length) return unsupported('placement constraints');
  if (input.inferenceAccelerators?.length) return unsupported('inference accelerators');
  for (const v of input.volumes ?? []) {
    if (v.host?.sourcePath !== undefined) return unsupported(`host volumes with a sourcePath ('${v.name}')`);
    if (v.dockerVolumeConfiguration) return unsupported(`Docker volumes ('${v.name}')`);
  }
  for (const c of input.containerDefinitions ?? []) {
    const reason = containerReason(c, input.executionRoleArn !== undefined);
    if (reason) return reason;
  }
  return undefined;
}

function containerReason(c: ContainerDefinition, hasExecutionRole: boolean): string | undefined {
  const who = `container '${c.name}'`;
  if (c.privileged) return unsupported(`privileged containers (${who})`);
  const lp = c.linuxParameters;
  if (lp?.devices?.length) return unsupported(`devices (${who})`);
  if (lp?.sharedMemorySize !== undefined) return unsupported(`sharedMemorySize (${who})`);
  if (lp?.tmpfs?.length) return unsupported(`tmpfs (${who})`);
  if (lp?.maxSwap !== undefined || lp?.swappiness !== undefined)
    return unsupported(`maxSwap or swappiness (${who})`);
  const added = lp?.capabilities?.add?.find((cap) => !FARGATE_CAP_ADD.includes(cap));
  if (added) return unsupported(`adding the ${added} capability (${who}); only SYS_PTRACE can be added`);
  if (c.dockerSecurityOptions?.length) return unsupported(`dockerSecurityOptions (${who})`);
  if (c.resourceRequirements?.some((r) => r.type === 'GPU'))
    return unsupported(`GPU resource requirements (${who})`);
  const driver = c.logConfiguration?.logDriver;
  if (driver !== undefined && !FARGATE_LOG_DRIVERS.includes(driver)) {
    return `${unsupported(`the ${driver} log driver (${who})`).slice(0, -1)}; use awslogs, splunk or awsfirelens.`;
  }
  if (driver === 'awslogs' && !hasExecutionRole) {
    return 'Fargate requires task definition to have execution role ARN to support log driver awslogs.';
  }
  if (c.image !== undefined && PRIVATE_ECR_IMAGE.test(c.image) && !hasExecutionRole) {
    return 'Fargate requires task definition to have execution role ARN to support ECR images.';
  }
  for (const [setting, seconds] of [
    ['startTimeout', c.startTimeout],
    ['stopTimeout', c.stopTimeout],
  ] as const) {
    if (seconds !== undefined && (seconds < FARGATE_TIMEOUT.min || seconds > FARGATE_TIMEOUT.max)) {
      return `Invalid '${setting}' setting for ${who}. The valid values for Fargate are ${FARGATE_TIMEOUT.min}-${FARGATE_TIMEOUT.max} seconds.`;
    }
  }
  return undefined;
}
