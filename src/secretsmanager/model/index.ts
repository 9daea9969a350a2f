/** What other areas (the agent-side secret injection, the CLI) use of Secrets Manager. */
export {
  AWSCURRENT,
  AWSPENDING,
  AWSPREVIOUS,
  type SecretRecord,
  type SecretVersion,
  type SecretsManagerContext,
  findSecret,
  listSecretRecords,
} from './records.ts';
export {
  type ResolveContext,
  SECRETS_RESOLUTION_PREFIX,
  type SecretReference,
  SecretResolutionError,
  parseSecretReference,
  resolveSecretValue,
} from './resolve.ts';
