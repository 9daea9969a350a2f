/** How an AWS API plugs into the gateway: a target prefix, a signing name and its operations. */
import type { NormalizedSchema } from '@smithy/core/schema';
import type { Caller } from './sigv4.ts';
import type { BucketSpec } from './throttle.ts';

/** An input schema as exported by the `@aws-sdk/client-*` packages. */
export type InputSchema = Parameters<typeof NormalizedSchema.of>[0];

/** What every handler gets besides its input. */
export interface RequestContext {
  requestId: string;
  caller: Caller;
  /** Epoch ms at which the request arrived. */
  now: number;
}

/** One operation of a JSON-protocol service. */
export interface JsonOperation {
  name: string;
  /** The SDK schema requests are checked against; Longshore's own operations check their input themselves. */
  input?: InputSchema;
  throttle: { category: string; bucket: BucketSpec };
  // biome-ignore lint/suspicious/noExplicitAny: each handler narrows its own input type.
  handle(input: any, ctx: RequestContext): Promise<unknown>;
}

/** A service spoken with AWS JSON 1.0/1.1, e.g. ECS (`AmazonEC2ContainerServiceV20141113`). */
export interface JsonService {
  targetPrefix: string;
  signingName: string;
  operations: ReadonlyMap<string, JsonOperation>;
  /** Every operation the official model defines, implemented or not (for errors and docs). */
  modelOperations: readonly string[];
}
