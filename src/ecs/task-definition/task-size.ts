/** Task-level cpu/memory strings ("1 vCPU", "2GB") and how container cpu and memory must fit in them. */
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { reject } from './fail.ts';
import {
  CONTAINER_MEMORY_MIN_MIB,
  MIB_PER_GB,
  TASK_CPU_MAX,
  TASK_CPU_MIN,
  UNITS_PER_VCPU,
} from './limits.ts';

/** The troubleshooting guide ("Invalid CPU or memory value specified") quotes this exact text. */
const TROUBLESHOOTING =
  'For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';
const NUMBER = String.raw`(\d+(?:\.\d*)?|\.\d+)`;
const CPU_TEXT = new RegExp(String.raw`^\s*${NUMBER}\s*(vcpus?)?\s*$`, 'i');
const MEMORY_TEXT = new RegExp(String.raw`^\s*${NUMBER}\s*(gb|gib|mb|mib)?\s*$`, 'i');

/**
 * TaskDefinition.cpu: "It can be expressed as an integer using CPU units (for example, 1024) or as a
 * string using vCPUs (for example, 1 vCPU or 1 vcpu) ... String values are converted to an integer
 * indicating the CPU units when the task definition is registered." So '0.25 vCPU' -> 256, and the
 * result must be whole units in 128-196608. Anything else is ClientException "Invalid 'cpu' setting
 * for task." (the troubleshooting guide's text).
 */
export function parseTaskCpu(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = CPU_TEXT.exec(value);
  const units = m ? Number(m[1]) * (m[2] ? UNITS_PER_VCPU : 1) : Number.NaN;
  if (!Number.isInteger(units) || units < TASK_CPU_MIN || units > TASK_CPU_MAX) {
    throw reject(`Invalid 'cpu' setting for task. ${TROUBLESHOOTING}`);
  }
  return units;
}

/** TaskDefinition.memory: MiB as an integer, or GB as a string ("1GB" or "1 GB") converted to MiB. */
export function parseTaskMemory(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = MEMORY_TEXT.exec(value);
  const unit = m?.[2]?.toLowerCase();
  const mib = m ? Number(m[1]) * (unit === 'gb' || unit === 'gib' ? MIB_PER_GB : 1) : Number.NaN;
  if (!Number.isInteger(mib) || mib <= 0)
    throw reject(`Invalid 'memory' setting for task. ${TROUBLESHOOTING}`);
  return mib;
}

/**
 * Container cpu and memory against each other and against the task (ContainerDefinition.memory and
 * memoryReservation docs). Quoted ECS texts: "Invalid setting for container 'x'. At least one of
 * 'memory' or 'memoryReservation' must be specified." (aws-cli#4453), "The 'memory' setting for
 * container 'x' is greater than for the task." (pulumi-awsx#1220), "The sum of all container
 * 'memoryReservation' values cannot be greater than the value of the task 'memory'." and "The sum of
 * all container 'cpu' values cannot be greater than the value of the task 'cpu'." (klotho#892,
 * dreamkast-infra#4766). The other texts follow their style.
 */
export function checkContainerResources(
  containers: readonly ContainerDefinition[],
  taskCpu: number | undefined,
  taskMemory: number | undefined,
): void {
  let cpuSum = 0;
  let reservedSum = 0;
  for (const c of containers) {
    const name = c.name;
    if (c.cpu !== undefined && c.cpu < 0) throw reject(`Invalid 'cpu' setting for container '${name}'.`);
    for (const [setting, mib] of [
      ['memory', c.memory],
      ['memoryReservation', c.memoryReservation],
    ] as const) {
      if (mib !== undefined && mib < CONTAINER_MEMORY_MIN_MIB) {
        throw reject(
          `Invalid '${setting}' setting for container '${name}'. The minimum is ${CONTAINER_MEMORY_MIN_MIB} MiB.`,
        );
      }
    }
    if (taskMemory === undefined && c.memory === undefined && c.memoryReservation === undefined) {
      throw reject(
        `Invalid setting for container '${name}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
      );
    }
    // The DG was corrected to "memory must be greater than or equal to memoryReservation"
    // (amazon-ecs-developer-guide#242): equal values register.
    if (c.memory !== undefined && c.memoryReservation !== undefined && c.memory < c.memoryReservation) {
      throw reject(
        `Invalid setting for container '${name}'. 'memory' must be greater than or equal to 'memoryReservation'.`,
      );
    }
    if (taskMemory !== undefined && c.memory !== undefined && c.memory > taskMemory) {
      throw reject(`The 'memory' setting for container '${name}' is greater than for the task.`);
    }
    cpuSum += c.cpu ?? 0;
    // What a container reserves is its soft limit when set, else its hard limit (memoryReservation doc).
    reservedSum += c.memoryReservation ?? c.memory ?? 0;
  }
  if (taskMemory !== undefined && reservedSum > taskMemory) {
    throw reject(
      "The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'.",
    );
  }
  if (taskCpu !== undefined && cpuSum > taskCpu) {
    throw reject("The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.");
  }
}
