/** The table of implemented STS operations. docs/api-coverage-sts.md is generated from it. */
import type { Handler } from '../aws/handler-table.ts';
import { getCallerIdentity } from './get-caller-identity.ts';
import type { StsContext } from './sts-service.ts';

export const handlers: Readonly<Record<string, Handler<StsContext>>> = {
  GetCallerIdentity: { category: 'identity', handle: getCallerIdentity },
};
