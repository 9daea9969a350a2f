/** The table of implemented STS operations. docs/api-coverage-sts.md is generated from it. */
import type { Handler } from '../aws/handler-table.ts';
import { assumeRole } from './assume-role.ts';
import { getCallerIdentity } from './get-caller-identity.ts';
import { getSessionToken } from './get-session-token.ts';
import type { StsContext } from './sts-context.ts';

export const handlers: Readonly<Record<string, Handler<StsContext>>> = {
  GetCallerIdentity: { category: 'identity', handle: getCallerIdentity },
  AssumeRole: { category: 'session', handle: assumeRole },
  GetSessionToken: { category: 'session', handle: getSessionToken },
};
