/** Compiled filter patterns by text: metric filters are matched on every PutLogEvents, parsed once. */
import { compileFilterPattern, type FilterPattern } from '../filter-pattern/index.ts';

const MAX_CACHED = 1000;
const cache = new Map<string, FilterPattern>();

/** The compiled pattern; throws FilterPatternError when malformed. */
export function cachedPattern(text: string): FilterPattern {
  let pattern = cache.get(text);
  if (!pattern) {
    pattern = compileFilterPattern(text);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(text, pattern);
  }
  return pattern;
}
