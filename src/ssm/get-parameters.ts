/**
 * GetParameter, GetParameters, GetParametersByPath and GetParameterHistory. A name may carry a
 * selector (`name:3`, `name:label`) or be an ARN. SecureString values are opened only with
 * WithDecryption; without it the answer carries the sealed text (never the plaintext).
 */
import type {
  GetParameterHistoryRequest,
  GetParameterHistoryResult,
  GetParameterRequest,
  GetParameterResult,
  GetParametersByPathRequest,
  GetParametersByPathResult,
  GetParametersRequest,
  GetParametersResult,
  Parameter,
} from '@aws-sdk/client-ssm';
import type { Wire } from '../core/wire.ts';
import type { Reader } from '../store/store.ts';
import {
  type ParameterRecord,
  type ParameterVersion,
  type Selector,
  type SsmContext,
  checkReadName,
  getParameterRecord,
  listParameterRecords,
  parameterArn,
  parameterNotFound,
  parseSelector,
  selectVersion,
  validation,
  versionValue,
} from './model/records.ts';
import {
  checkMax,
  checkParameterFilters,
  checkPath,
  matchesFilter,
  nextToken,
  pageStart,
  underPath,
} from './parameter-filters.ts';

const seconds = (ms: number) => ms / 1000;

export function parameterOf(
  ctx: SsmContext,
  p: ParameterRecord,
  v: ParameterVersion,
  decrypt: boolean,
  selector?: Selector,
): Wire<Parameter> {
  const arn = parameterArn(ctx.partition, p.name);
  return {
    Name: p.name,
    Type: v.type,
    Value: versionValue(ctx.cipher(), arn, v, decrypt),
    Version: v.version,
    ...(selector?.text ? { Selector: selector.text } : {}),
    LastModifiedDate: seconds(v.modifiedAt) as never,
    ARN: arn,
    DataType: v.dataType,
  };
}

/** The parameter and version `given` names, or undefined. */
export async function lookup(
  ctx: SsmContext,
  reader: Reader,
  given: string,
): Promise<{ p: ParameterRecord; v: ParameterVersion; selector: Selector } | undefined> {
  const selector = parseSelector(ctx.partition, given);
  const p = await getParameterRecord(reader, selector.name, selector.fromArn);
  if (!p) return undefined;
  return { p, v: selectVersion(p, selector), selector };
}

export async function getParameter(
  ctx: SsmContext,
  input: Wire<GetParameterRequest>,
): Promise<Wire<GetParameterResult>> {
  if (typeof input.Name !== 'string' || input.Name.length < 1) throw parameterNotFound();
  const selector = parseSelector(ctx.partition, input.Name);
  if (!selector.fromArn) checkReadName(selector.name);
  const found = await lookup(ctx, ctx.store, input.Name);
  if (!found) throw parameterNotFound();
  return { Parameter: parameterOf(ctx, found.p, found.v, input.WithDecryption === true, found.selector) };
}

export async function getParameters(
  ctx: SsmContext,
  input: Wire<GetParametersRequest>,
): Promise<Wire<GetParametersResult>> {
  const names = input.Names ?? [];
  if (names.length < 1 || names.length > 10) {
    throw validation(
      "1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10",
    );
  }
  const parameters: Wire<Parameter>[] = [];
  const invalid: string[] = [];
  for (const name of [...new Set(names)]) {
    let found: Awaited<ReturnType<typeof lookup>>;
    try {
      found = await lookup(ctx, ctx.store, name);
    } catch {
      found = undefined;
    }
    if (found)
      parameters.push(parameterOf(ctx, found.p, found.v, input.WithDecryption === true, found.selector));
    else invalid.push(name);
  }
  return { Parameters: parameters, InvalidParameters: invalid };
}

export async function getParametersByPath(
  ctx: SsmContext,
  input: Wire<GetParametersByPathRequest>,
): Promise<Wire<GetParametersByPathResult>> {
  const path = checkPath(input.Path);
  const filters = checkParameterFilters(input.ParameterFilters, ['Type', 'KeyId', 'Label', 'DataType']);
  const max = checkMax(input.MaxResults, 10);
  const start = pageStart(input.NextToken);
  const all = (await listParameterRecords(ctx.store))
    .filter((p) => underPath(p.name, path, input.Recursive === true))
    .filter((p) => filters.every((f) => matchesFilter(p, f)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const page = all.slice(start, start + max);
  const next = nextToken(start, max, all.length);
  return {
    Parameters: page.map((p) =>
      parameterOf(
        ctx,
        p,
        p.versions[p.versions.length - 1] as ParameterVersion,
        input.WithDecryption === true,
      ),
    ),
    ...(next ? { NextToken: next } : {}),
  };
}

export async function getParameterHistory(
  ctx: SsmContext,
  input: Wire<GetParameterHistoryRequest>,
): Promise<Wire<GetParameterHistoryResult>> {
  const max = checkMax(input.MaxResults, 50);
  const start = pageStart(input.NextToken);
  const name = typeof input.Name === 'string' ? input.Name : '';
  const selector = parseSelector(ctx.partition, name);
  const p = await getParameterRecord(ctx.store, selector.name, selector.fromArn);
  if (!p) throw parameterNotFound(`Parameter ${name} not found.`);
  const arn = parameterArn(ctx.partition, p.name);
  const decrypt = input.WithDecryption === true;
  const next = nextToken(start, max, p.versions.length);
  return {
    Parameters: p.versions.slice(start, start + max).map((v) => ({
      Name: p.name,
      Type: v.type,
      ...(v.keyId !== undefined ? { KeyId: v.keyId } : {}),
      LastModifiedDate: seconds(v.modifiedAt) as never,
      ...(v.description !== undefined ? { Description: v.description } : {}),
      Value: versionValue(ctx.cipher(), arn, v, decrypt),
      ...(v.allowedPattern !== undefined ? { AllowedPattern: v.allowedPattern } : {}),
      Version: v.version,
      Labels: [...v.labels],
      Tier: v.tier,
      Policies: [],
      DataType: v.dataType,
    })),
    ...(next ? { NextToken: next } : {}),
  };
}
