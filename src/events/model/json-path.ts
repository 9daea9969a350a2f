/**
 * The JSONPath EventBridge accepts in InputPath and InputPathsMap: `$`, dot notation with names of
 * letters, digits, `-`, `_`, `/`, `@`, `:` and `.`-free text, array indices `[0]` and wildcards
 * (`[*]`, `.*`). A path that selects nothing yields undefined; a wildcard yields an array. Pure.
 */

type Step = { type: 'key'; name: string } | { type: 'index'; index: number } | { type: 'all' };

/** Parses `path`; undefined when it is not a path EventBridge accepts. */
export function parseJsonPath(path: string): Step[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: Step[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      if (path[i + 1] === '*') {
        steps.push({ type: 'all' });
        i += 2;
        continue;
      }
      const m = /^[^.[\]\s]+/.exec(path.slice(i + 1));
      if (!m) return undefined;
      steps.push({ type: 'key', name: m[0] });
      i += 1 + m[0].length;
    } else if (c === '[') {
      const end = path.indexOf(']', i);
      if (end < 0) return undefined;
      const inner = path.slice(i + 1, end);
      if (inner === '*') steps.push({ type: 'all' });
      else if (/^\d+$/.test(inner)) steps.push({ type: 'index', index: Number(inner) });
      else return undefined;
      i = end + 1;
    } else return undefined;
  }
  return steps;
}

/** The value `path` selects in `doc` (undefined when nothing; an array when a wildcard spread it). */
export function selectJsonPath(doc: unknown, path: string): unknown {
  const steps = parseJsonPath(path);
  if (!steps) return undefined;
  let spread = false;
  let current: unknown[] = [doc];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step.type === 'key') {
        if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, step.name))
          next.push((v as Record<string, unknown>)[step.name]);
      } else if (step.type === 'index') {
        if (Array.isArray(v) && step.index < v.length) next.push(v[step.index]);
      } else {
        spread = true;
        if (Array.isArray(v)) next.push(...v);
        else if (typeof v === 'object' && v !== null) next.push(...Object.values(v));
      }
    }
    current = next;
  }
  if (spread) return current;
  return current.length === 0 ? undefined : current[0];
}
