/**
 * Holds the layering of ARCHITECTURE.md section 3, as data (dependency-rules.json): every import
 * between folders of src/ must be allowed for its area, and pure areas (core, scheduler) import no
 * Node built-in and call no real clock, timer or random source. A new folder must be given rules.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

interface AreaRule {
  may: string[];
  pure?: boolean;
  pureExceptions?: string[];
}
interface Rules {
  areas: Record<string, AreaRule>;
  impureCalls: string[];
}

const SRC = new URL('../../src/', import.meta.url).pathname;
const rules = JSON.parse(readFileSync(new URL('./dependency-rules.json', import.meta.url), 'utf8')) as Rules;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Subfolders that are areas of their own: a service's domain layer, a data plane run apart, pure
 * parsers the domain layer shares, and EC2 Auto Scaling's launchers (they start agents).
 */
const SUB_AREAS = new Set([
  'model',
  'dataplane',
  'filter-pattern',
  'policy',
  'pattern',
  'metric-math',
  'launchers',
]);

/** The area of a file: its top folder under src/, or '<top>/model' ('<top>/dataplane') for a service's domain layer (data plane). */
export function areaOf(path: string): string {
  const parts = relative(SRC, path).split('/');
  if (parts.length > 2 && SUB_AREAS.has(parts[1])) return `${parts[0]}/${parts[1]}`;
  return parts.length > 1 ? parts[0] : '.';
}

interface Import {
  from: string;
  to: string;
  specifier: string;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+['"]([^'"]+)['"]/g)) {
    out.push({ from: file, to: m[1].startsWith('.') ? resolve(dirname(file), m[1]) : m[1], specifier: m[1] });
  }
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    out.push({ from: file, to: m[1].startsWith('.') ? resolve(dirname(file), m[1]) : m[1], specifier: m[1] });
  }
  return out;
}

const files = sources(SRC);

describe('dependency rules (ARCHITECTURE.md section 3)', () => {
  it('gives every folder of src/ an area with rules', () => {
    const unknown = [...new Set(files.map(areaOf))].filter((a) => a !== '.' && !rules.areas[a]);
    assert.deepEqual(unknown, [], 'add these areas to test/architecture/dependency-rules.json');
  });

  it('has no import that goes against the layering', () => {
    const broken: string[] = [];
    for (const file of files) {
      const from = areaOf(file);
      const rule = rules.areas[from];
      if (!rule || rule.may.includes('*')) continue;
      for (const imp of importsOf(file)) {
        if (!imp.specifier.startsWith('.')) continue;
        const to = areaOf(imp.to);
        if (to === from || rule.may.includes(to)) continue;
        broken.push(`${relative(SRC, file)} -> ${relative(SRC, imp.to)} (${from} may not import ${to})`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it('keeps pure areas free of Node I/O, real time and randomness', () => {
    const broken: string[] = [];
    for (const file of files) {
      const rule = rules.areas[areaOf(file)];
      if (!rule?.pure || rule.pureExceptions?.includes(relative(SRC, file))) continue;
      // Method signatures (`setTimeout(fn: () => void, ms: number): unknown;` in an interface) declare, not call.
      const text = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !/^\s+\w+\(.*\):\s*[\w<>[\]| ]+;\s*$/.test(line))
        .join('\n');
      for (const imp of importsOf(file))
        if (imp.specifier.startsWith('node:')) broken.push(`${relative(SRC, file)} imports ${imp.specifier}`);
      for (const call of rules.impureCalls)
        if (text.includes(call)) broken.push(`${relative(SRC, file)} calls ${call}`);
    }
    assert.deepEqual(broken, []);
  });
});
