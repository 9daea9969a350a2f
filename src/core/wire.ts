/** SDK shapes as they travel in AWS JSON: timestamps are epoch seconds, not Dates. */

/**
 * `Wire<Task>` is the SDK's `Task` with every `Date` replaced by a number of epoch seconds,
 * which is what ECS sends and receives over JSON 1.1 and what Longshore stores.
 */
export type Wire<T> = T extends Date
  ? number
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;
