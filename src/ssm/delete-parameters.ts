/** DeleteParameter (ParameterNotFound when missing) and DeleteParameters (1 to 10 names; the missing ones listed as InvalidParameters). */
import type {
  DeleteParameterRequest,
  DeleteParametersRequest,
  DeleteParametersResult,
} from '@aws-sdk/client-ssm';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import {
  type SsmContext,
  getParameterRecord,
  parameterNotFound,
  parseSelector,
  validation,
} from './model/records.ts';

export async function deleteParameter(ctx: SsmContext, input: Wire<DeleteParameterRequest>): Promise<object> {
  await ctx.store.transact(async (tx) => {
    const sel = parseSelector(ctx.partition, String(input.Name ?? ''));
    const p = sel.text ? undefined : await getParameterRecord(tx, sel.name, sel.fromArn);
    if (!p) throw parameterNotFound();
    await tx.remove(Kind.SsmParameter, p.name);
  });
  return {};
}

export async function deleteParameters(
  ctx: SsmContext,
  input: Wire<DeleteParametersRequest>,
): Promise<Wire<DeleteParametersResult>> {
  const names = input.Names ?? [];
  if (names.length < 1 || names.length > 10) {
    throw validation(
      "1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10",
    );
  }
  return ctx.store.transact(async (tx) => {
    const deleted: string[] = [];
    const invalid: string[] = [];
    for (const name of [...new Set(names)]) {
      const sel = parseSelector(ctx.partition, name);
      const p = sel.text ? undefined : await getParameterRecord(tx, sel.name, sel.fromArn);
      if (!p) {
        invalid.push(name);
        continue;
      }
      await tx.remove(Kind.SsmParameter, p.name);
      deleted.push(name);
    }
    return { DeletedParameters: deleted, InvalidParameters: invalid };
  });
}
