/** Per-container settings other than ports, health, volumes and linuxParameters: image, logs, env, secrets. */
import type { ContainerDefinition, NetworkMode } from '@aws-sdk/client-ecs';
import { checkEnumValue, checkRange, containerOwner, reject } from './fail.ts';
import {
  EnvironmentFileTypes,
  FirelensTypes,
  LogDrivers,
  MAX_CREDENTIAL_SPECS,
  MAX_ENVIRONMENT_FILES,
  MAX_IGNORED_EXIT_CODES,
  NAME_MAX,
  RESTART_ATTEMPT_PERIOD,
  ResourceTypes,
  VersionConsistencies,
} from './limits.ts';

/** ContainerDefinition.image: letters, numbers, hyphens, underscores, colons, periods, slashes, '#'. */
const IMAGE_CHARS = /^[A-Za-z0-9_\-:./#]+$/;
const DIGEST = /^sha256:[A-Fa-f0-9]{64}$/;
const ENV_FILE_ARN = /^arn:aws[a-z-]*:s3:::.+\.env$/;
const SECURITY_OPTION = /^(no-new-privileges|(apparmor|label|credentialspec|credentialspecdomainless):.+)$/;

/**
 * ContainerDefinition.image: "up to 255 characters total" for `repository:tag`; with a digest the
 * limit applies before the '@', and the digest is sha256 with exactly 64 hex characters. A missing
 * image is ECS's "Container.image should not be null or empty." (seen in many deploy logs).
 */
export function checkImage(c: ContainerDefinition): void {
  const image = c.image;
  if (image === undefined || image === '') throw reject('Container.image should not be null or empty.');
  const at = image.indexOf('@');
  const repository = at === -1 ? image : image.slice(0, at);
  if (!IMAGE_CHARS.test(repository)) throw reject('Container.image contains invalid characters.');
  if (repository.length > NAME_MAX)
    throw reject('Container.image is too long. Up to 255 characters are allowed.');
  if (at !== -1 && !DIGEST.test(image.slice(at + 1))) {
    throw reject(
      'Container.image has an invalid digest. The only supported hash function is sha256, followed by 64 hexadecimal characters.',
    );
  }
}

/**
 * Settings that depend on the network mode or are simple lists and ranges: hostname "is not supported
 * if you're using the awsvpc network mode" (ECS: "hostname is not supported on container when
 * networkMode=awsvpc.", labd/ecs-deplojo#26), nor is extraHosts; environmentFiles (at most 10 `.env`
 * objects in S3); credentialSpecs (at most 1); restartPolicy (at most 50 ignored exit codes, a period
 * of 60-1800 s); dockerSecurityOptions' documented forms; stop and start timeouts are seconds.
 */
export function checkContainerOptions(c: ContainerDefinition, mode: NetworkMode, path: string): void {
  const owner = containerOwner(c.name ?? '');
  if (mode === 'awsvpc' && c.hostname !== undefined) {
    throw reject('hostname is not supported on container when networkMode=awsvpc.');
  }
  if (mode === 'awsvpc' && c.extraHosts?.length)
    throw reject('extraHosts is not supported on container when networkMode=awsvpc.');
  checkEnumValue(`${path}.versionConsistency`, c.versionConsistency, VersionConsistencies);
  checkEnumValue(`${path}.firelensConfiguration.type`, c.firelensConfiguration?.type, FirelensTypes);
  for (const [setting, seconds] of [
    ['startTimeout', c.startTimeout],
    ['stopTimeout', c.stopTimeout],
  ] as const) {
    if (seconds !== undefined && seconds < 0) throw reject(`Invalid '${setting}' setting for ${owner}.`);
  }
  for (const kv of c.environment ?? []) {
    if (!kv.name)
      throw reject(
        `Invalid 'environment' setting for ${owner}. Environment variable names should not be blank.`,
      );
  }
  for (const s of c.secrets ?? []) {
    if (!s.name || !s.valueFrom)
      throw reject(`Invalid 'secrets' setting for ${owner}. name and valueFrom should not be blank.`);
  }
  const files = c.environmentFiles ?? [];
  if (files.length > MAX_ENVIRONMENT_FILES) {
    throw reject(
      `Invalid 'environmentFiles' setting for ${owner}. You can specify up to ${MAX_ENVIRONMENT_FILES} environment files.`,
    );
  }
  files.forEach((f, i) => {
    checkEnumValue(`${path}.environmentFiles.${i + 1}.member.type`, f.type, EnvironmentFileTypes);
    if (!ENV_FILE_ARN.test(f.value ?? '')) {
      throw reject(
        `Invalid 'environmentFiles' setting for ${owner}. '${f.value}' is not the ARN of an Amazon S3 object with a .env file extension.`,
      );
    }
  });
  if ((c.credentialSpecs?.length ?? 0) > MAX_CREDENTIAL_SPECS) {
    throw reject(
      `Invalid 'credentialSpecs' setting for ${owner}. The maximum number of ARNs is ${MAX_CREDENTIAL_SPECS}.`,
    );
  }
  const bad = c.dockerSecurityOptions?.find((o) => !SECURITY_OPTION.test(o));
  if (bad !== undefined)
    throw reject(`Invalid 'dockerSecurityOptions' setting for ${owner}. '${bad}' is not a supported option.`);
  const restart = c.restartPolicy;
  if ((restart?.ignoredExitCodes?.length ?? 0) > MAX_IGNORED_EXIT_CODES) {
    throw reject(
      `Invalid 'restartPolicy.ignoredExitCodes' setting for ${owner}. You can specify a maximum of ${MAX_IGNORED_EXIT_CODES} exit codes.`,
    );
  }
  const period = RESTART_ATTEMPT_PERIOD;
  checkRange(
    restart?.restartAttemptPeriod,
    period.min,
    period.max,
    'restartPolicy.restartAttemptPeriod',
    owner,
  );
  c.resourceRequirements?.forEach((r, i) => {
    checkEnumValue(`${path}.resourceRequirements.${i + 1}.member.type`, r.type, ResourceTypes);
    if (r.type === 'GPU' && !/^[1-9]\d*$/.test(r.value ?? '')) {
      throw reject(
        `Invalid 'resourceRequirements' setting for ${owner}. The GPU value must be a positive whole number.`,
      );
    }
  });
}

/**
 * LogConfiguration: logDriver from the LogDriver enum; awslogs needs awslogs-region and
 * awslogs-group (ECS: "Log driver awslogs requires options: awslogs-region, awslogs-group",
 * klotho#892, listing the missing ones); secretOptions need a name and a valueFrom.
 */
export function checkLogConfiguration(c: ContainerDefinition, path: string): void {
  const log = c.logConfiguration;
  if (!log) return;
  checkEnumValue(`${path}.logConfiguration.logDriver`, log.logDriver, LogDrivers);
  if (log.logDriver === 'awslogs') {
    const missing = ['awslogs-region', 'awslogs-group'].filter((o) => !log.options?.[o]);
    if (missing.length > 0) throw reject(`Log driver awslogs requires options: ${missing.join(', ')}`);
  }
  for (const s of log.secretOptions ?? []) {
    if (!s.name || !s.valueFrom) {
      throw reject(
        `Invalid 'logConfiguration.secretOptions' setting for ${containerOwner(c.name ?? '')}. name and valueFrom should not be blank.`,
      );
    }
  }
}
