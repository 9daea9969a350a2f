/**
 * LabelParameterVersion and UnlabelParameterVersion. A label is 1 to 100 letters, digits, `.`, `-`
 * or `_`, not beginning with a digit, `aws` or `ssm`; labels that break the rules come back in
 * InvalidLabels and are not attached. A label moves from the version that had it; a version holds
 * at most 10.
 */
import type {
  LabelParameterVersionRequest,
  LabelParameterVersionResult,
  UnlabelParameterVersionRequest,
  UnlabelParameterVersionResult,
} from '@aws-sdk/client-ssm';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import {
  type ParameterRecord,
  type SsmContext,
  currentOf,
  getParameterRecord,
  parameterNotFound,
  parseSelector,
  selectVersion,
  validation,
} from './model/records.ts';

const MAX_LABELS = 10;

export function isValidLabel(label: string): boolean {
  return (
    label.length >= 1 &&
    label.length <= 100 &&
    /^[a-zA-Z0-9_.-]+$/.test(label) &&
    !/^([0-9]|aws|ssm)/i.test(label)
  );
}

function checkLabels(labels: unknown): string[] {
  if (!Array.isArray(labels) || labels.length < 1 || labels.length > MAX_LABELS) {
    throw validation(
      "1 validation error detected: Value at 'labels' failed to satisfy constraint: Member must have length between 1 and 10",
    );
  }
  return [...new Set(labels.map(String))];
}

async function findParameter(
  ctx: SsmContext,
  reader: Parameters<typeof getParameterRecord>[0],
  name: unknown,
) {
  const sel = parseSelector(ctx.partition, String(name ?? ''));
  const p = await getParameterRecord(reader, sel.name, sel.fromArn);
  if (!p) throw parameterNotFound(`Parameter ${String(name)} not found.`);
  return p;
}

export async function labelParameterVersion(
  ctx: SsmContext,
  input: Wire<LabelParameterVersionRequest>,
): Promise<Wire<LabelParameterVersionResult>> {
  const labels = checkLabels(input.Labels);
  return ctx.store.transact(async (tx) => {
    const p = await findParameter(ctx, tx, input.Name);
    const target =
      input.ParameterVersion !== undefined
        ? selectVersion(p, { name: p.name, version: input.ParameterVersion })
        : currentOf(p);
    const valid = labels.filter(isValidLabel);
    const invalid = labels.filter((l) => !isValidLabel(l));
    const merged = [...new Set([...target.labels, ...valid])];
    if (merged.length > MAX_LABELS) {
      throw new ServiceError(
        'ParameterVersionLabelLimitExceeded',
        'A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.',
      );
    }
    const next: ParameterRecord = {
      ...p,
      versions: p.versions.map((v) =>
        v.version === target.version
          ? { ...v, labels: merged }
          : { ...v, labels: v.labels.filter((l) => !valid.includes(l)) },
      ),
    };
    await tx.put(Kind.SsmParameter, p.name, next);
    return { InvalidLabels: invalid, ParameterVersion: target.version };
  });
}

export async function unlabelParameterVersion(
  ctx: SsmContext,
  input: Wire<UnlabelParameterVersionRequest>,
): Promise<Wire<UnlabelParameterVersionResult>> {
  const labels = checkLabels(input.Labels);
  return ctx.store.transact(async (tx) => {
    const p = await findParameter(ctx, tx, input.Name);
    const target = selectVersion(p, { name: p.name, version: Number(input.ParameterVersion) });
    const removed = labels.filter((l) => target.labels.includes(l));
    const invalid = labels.filter((l) => !target.labels.includes(l));
    await tx.put(Kind.SsmParameter, p.name, {
      ...p,
      versions: p.versions.map((v) =>
        v.version === target.version ? { ...v, labels: v.labels.filter((l) => !removed.includes(l)) } : v,
      ),
    });
    return { RemovedLabels: removed, InvalidLabels: invalid };
  });
}
