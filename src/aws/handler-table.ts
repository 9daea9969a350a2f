/** Turns a service's handlers table into the gateway's operations: each with its SDK input schema and throttle bucket. */
import type { ContextFor, Operation, RequestContext, ServiceModel } from './service.ts';
import type { BucketSpec } from './throttle.ts';

/** One operation of a sibling service: its throttle category and the function that serves it. */
export interface Handler<C> {
  category: string;
  // biome-ignore lint/suspicious/noExplicitAny: each handler narrows its own input type.
  handle(ctx: C, input: any, request: RequestContext): Promise<unknown>;
}

/**
 * The operations map for `handlers`. Fails at startup, not at request time, when a handler names
 * an operation the model lacks or a category the service did not declare.
 */
export function operationsOf<C>(
  contextFor: ContextFor<C>,
  handlers: Readonly<Record<string, Handler<C>>>,
  categories: Readonly<Record<string, BucketSpec>>,
  model: ServiceModel,
): Map<string, Operation> {
  const operations = new Map<string, Operation>();
  for (const [name, handler] of Object.entries(handlers)) {
    const schemas = model.operations.get(name);
    if (!schemas) throw new Error(`${name} is not an operation of ${model.namespace}`);
    const bucket = categories[handler.category];
    if (!bucket) throw new Error(`${name}: no throttle category ${handler.category}`);
    operations.set(name, {
      name,
      input: schemas.input,
      throttle: { category: handler.category, bucket },
      handle: (input, request) => handler.handle(contextFor(request), input, request),
    });
  }
  return operations;
}
