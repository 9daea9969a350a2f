/** How an AWS API plugs into the gateway, as data: protocols, signing name, operations, model and errors. */
import type { NormalizedSchema } from '@smithy/core/schema';
import type { ProtocolName } from './protocols/protocol.ts';
import type { Caller } from './sigv4.ts';
import type { BucketSpec } from './throttle.ts';

/** A schema as the `@aws-sdk/client-*` packages export it (static schema or lazy reference). */
export type InputSchema = Parameters<typeof NormalizedSchema.of>[0];

/** What every handler gets besides its input. */
export interface RequestContext {
  requestId: string;
  caller: Caller;
  /** Epoch ms at which the request arrived. */
  now: number;
}

/**
 * The context a handler works in, chosen per request: each request works in the region its
 * signature is scoped to (one endpoint serves every region, each kept apart as AWS keeps them).
 */
export type ContextFor<C> = (request: RequestContext) => C;

/** One implemented operation: its throttle bucket and the function that serves it. */
export interface Operation {
  name: string;
  /** The SDK schema requests are checked against; Longshore's own operations check their input themselves. */
  input?: InputSchema;
  throttle: { category: string; bucket: BucketSpec };
  // biome-ignore lint/suspicious/noExplicitAny: each handler narrows its own input type.
  handle(input: any, ctx: RequestContext): Promise<unknown>;
}

/** REST binding of an operation (Smithy's `http` trait): `GET /schedule-groups` answering 200. */
export interface HttpBinding {
  method: string;
  /** URI template: `/schedules/{Name}`, `/{Key+}`, `/path?x-id=Op`. */
  uri: string;
  code: number;
}

/** One operation of the official model, implemented or not: what codecs and routes read. */
export interface OperationModel {
  name: string;
  input: InputSchema;
  output: InputSchema;
  http?: HttpBinding;
}

/** An error shape of the official model: its Query code, HTTP status and fault. */
export interface ErrorSpec {
  /** The shape name, which AWS JSON, REST-JSON and CBOR answer as the error type. */
  type: string;
  /** The awsQuery code (`awsQueryError`), the shape name when the model gives none. */
  code: string;
  status: number;
  fault: 'client' | 'server';
}

/** The model of a service as the SDK ships it (see sdk-model.ts). */
export interface ServiceModel {
  /** The Smithy namespace, e.g. `com.amazonaws.cloudwatch` (CBOR error types are qualified with it). */
  namespace: string;
  operations: ReadonlyMap<string, OperationModel>;
  /** Error shapes by shape name and by Query code. */
  errors: ReadonlyMap<string, ErrorSpec>;
}

/**
 * The gateway's own errors as a service words them, where it words them differently from what
 * the gateway answers by default (EC2: `MissingParameter` naming the Query parameter,
 * `InvalidAction`'s "not valid for this web service", `RequestLimitExceeded` with HTTP 503).
 * The defaults are in operation-errors.ts; the type is the error code every protocol answers.
 */
export interface GatewayErrors {
  /**
   * A missing required member, instead of `validationError` with the Coral-style message that
   * lists every missing member: the first one, named as the service's Query protocol sends it
   * (`VpcId`, `Filter.1.Name`; the JSON member path for services that speak no Query).
   */
  missingParameter?: { type: string; message: (parameter: string) => string };
  /**
   * An action the service's model does not have (a model operation Longshore does not implement
   * stays UnsupportedFeatureException). The status stays the protocol's.
   */
  unknownOperation?: { type: string; message: (operation: string) => string };
  /** A request over the throttle bucket of its category. */
  throttling?: { type: string; message: string; status: number };
}

/**
 * A service as the gateway serves it. The protocol fields are read only for the protocols listed
 * in `protocols`: `targetPrefix` for AWS JSON, `query` for Query and EC2 Query, `smithyService`
 * for RPC v2 CBOR; REST-JSON routes come from the model's `http` bindings.
 */
export interface AwsService {
  /** Short name: `ecs`, `sts`, `scheduler` (logs, throttle keys, coverage docs). */
  name: string;
  /** The SigV4 credential scope's service: `ecs`, `sts`, `monitoring`. */
  signingName: string;
  /** The protocols the service accepts, the model's preferred one first. */
  protocols: readonly ProtocolName[];
  /** AWS JSON: `X-Amz-Target: <targetPrefix>.<Operation>`. */
  targetPrefix?: string;
  /** AWS Query / EC2 Query: the `Version` parameter and the namespace of XML answers. */
  query?: { version: string; xmlNamespace: string };
  /** RPC v2 CBOR: the Smithy service shape name in `/service/<name>/operation/<Operation>`. */
  smithyService?: string;
  /** The service moved from Query to JSON/CBOR keeping its Query error codes (`x-amzn-query-error`). */
  awsQueryCompatible?: boolean;
  /** The implemented operations. */
  operations: ReadonlyMap<string, Operation>;
  /** Every operation the official model defines, implemented or not (for errors and docs). */
  modelOperations: readonly string[];
  /** Schemas, REST bindings and error shapes from the SDK; required for Query, REST-JSON and CBOR. */
  model?: ServiceModel;
  /** The error type a missing required member answers; default `InvalidParameterException` (ECS's). */
  validationError?: string;
  /** The error type of an unexpected failure; default `InternalFailure`. */
  serverError?: string;
  /** The gateway's own errors where the service words them its own way. */
  gatewayErrors?: GatewayErrors;
}
