/** The load-balancer data plane: its contract (`config.ts`) and the in-process API. The child-process entry is `main.ts`. */
export type * from './config.ts';
export { type Dataplane, type DataplaneOptions, startDataplane } from './dataplane.ts';
