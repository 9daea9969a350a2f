/** Version-4-shaped UUIDs from an injected Rng (ECS's container and attachment ids are UUIDs). */
import type { Rng } from './clock.ts';

export function uuidFrom(rng: Rng): string {
  const h = rng.hex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
