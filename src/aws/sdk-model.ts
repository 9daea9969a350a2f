/** Reads a service's model from its `@aws-sdk/client-*` package: operation schemas, REST bindings, error shapes. */
import type { ErrorSpec, HttpBinding, InputSchema, OperationModel, ServiceModel } from './service.ts';

// The SDK's static schemas are tagged arrays (see @smithy/core/schema):
//   operation: [9, namespace, name, traits, () => input, () => output]
//   error:     [-3, namespace, name, traits, memberNames, memberSchemas]
// with traits such as {http: ['GET', '/schedule-groups', 200]} or
// {awsQueryError: ['ResourceNotFound', 404], error: 'client', httpError: 404}.
const OPERATION = 9;
const ERROR = -3;

type Tagged = [number, string, string, unknown, ...unknown[]];

/**
 * The model of the service whose SDK module is `sdk` (`import * as sdk from '@aws-sdk/client-sts'`).
 * The SDK is where the project's AWS types come from; shared/reference's botocore JSON is for people.
 */
export function readSdkModel(sdk: object): ServiceModel {
  const values = Object.values(sdk).filter(isTaggedExport);
  const operations = new Map<string, OperationModel>();
  const namespaces = new Map<string, number>();
  for (const [tag, namespace, name, traits, input, output] of values) {
    if (tag !== OPERATION) continue;
    operations.set(name, {
      name,
      input: input as InputSchema,
      output: output as InputSchema,
      http: httpBinding(traits),
    });
    namespaces.set(namespace, (namespaces.get(namespace) ?? 0) + 1);
  }
  const namespace = [...namespaces].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  const errors = new Map<string, ErrorSpec>();
  for (const [tag, ns, name, traits] of values) {
    if (tag !== ERROR || ns !== namespace) continue;
    const spec = errorSpec(name, traits);
    errors.set(spec.type, spec);
    if (!errors.has(spec.code)) errors.set(spec.code, spec);
  }
  return { namespace, operations: sortedByName(operations), errors };
}

/** The names of every operation in the model, sorted. */
export function modelOperationNames(model: ServiceModel): string[] {
  return [...model.operations.keys()];
}

function errorSpec(name: string, traits: unknown): ErrorSpec {
  const t = (typeof traits === 'object' && traits !== null ? traits : {}) as {
    error?: string;
    httpError?: number;
    awsQueryError?: [string, number];
  };
  const fault = t.error === 'server' ? 'server' : 'client';
  // Smithy's defaults: 400 for client errors, 500 for server errors.
  const status = t.httpError ?? t.awsQueryError?.[1] ?? (fault === 'server' ? 500 : 400);
  return { type: name, code: t.awsQueryError?.[0] ?? name, status, fault };
}

function httpBinding(traits: unknown): HttpBinding | undefined {
  const http = (traits as { http?: unknown } | undefined)?.http;
  if (!Array.isArray(http) || typeof http[0] !== 'string' || typeof http[1] !== 'string') return undefined;
  return { method: http[0], uri: http[1], code: typeof http[2] === 'number' ? http[2] : 200 };
}

/** An operation or error schema among a package's exports: what readSdkModel reads. */
export function isTaggedExport(value: unknown): value is Tagged {
  return (
    Array.isArray(value) &&
    (value[0] === OPERATION || value[0] === ERROR) &&
    typeof value[1] === 'string' &&
    typeof value[2] === 'string'
  );
}

function sortedByName<T>(map: Map<string, T>): Map<string, T> {
  return new Map([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
