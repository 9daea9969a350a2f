/**
 * SEARCH expressions: `{Namespace,DimName,...} term term ...`. The optional schema keeps metrics
 * of that namespace with exactly those dimension names. Terms: `Key=value` or `Key="value"` match
 * exactly (MetricName, Namespace or a dimension's name); a bare word or a quoted phrase matches a
 * part of the namespace, metric name, or a dimension name or value (case-insensitive). Terms join
 * with AND (the default between two terms), OR and NOT, grouped with parentheses.
 */
import type { MetricId } from '../model/index.ts';
import { MAX_DEPTH, MathSyntaxError } from './parse.ts';

export type SearchMatcher = (metric: MetricId) => boolean;

type Tok = { kind: 'word' | 'quoted' | 'op'; value: string };

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) i++;
    else if ('(){},='.includes(c)) {
      out.push({ kind: 'op', value: c });
      i++;
    } else if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new MathSyntaxError('Unterminated string in the search expression.');
      out.push({ kind: 'quoted', value: text.slice(i + 1, end) });
      i = end + 1;
    } else {
      const m = /^[^\s(){},="']+/.exec(text.slice(i));
      out.push({ kind: 'word', value: m ? m[0] : c });
      i += m ? m[0].length : 1;
    }
  }
  return out;
}

export function parseSearch(text: string): SearchMatcher {
  const toks = tokenize(text);
  let pos = 0;
  let depth = 0;
  const peek = () => toks[pos];
  const isOp = (v: string) => peek()?.kind === 'op' && peek()?.value === v;
  const isWord = (v: string) => peek()?.kind === 'word' && peek()?.value === v;
  let schema: SearchMatcher | undefined;
  if (isOp('{')) {
    pos++;
    const names: string[] = [];
    while (!isOp('}')) {
      const t = peek();
      if (!t || t.kind === 'op') throw new MathSyntaxError('Malformed schema in the search expression.');
      names.push(t.value);
      pos++;
      if (isOp(',')) pos++;
    }
    pos++;
    const [namespace, ...dims] = names;
    if (!namespace) throw new MathSyntaxError('The search schema needs a namespace.');
    const wanted = [...new Set(dims)].sort().join('\u0000');
    schema = (m) =>
      m.namespace === namespace &&
      [...new Set(m.dimensions.map((d) => d.name))].sort().join('\u0000') === wanted;
  }
  const or = (): SearchMatcher => {
    let left = and();
    while (isWord('OR')) {
      pos++;
      const [l, r] = [left, and()];
      left = (m) => l(m) || r(m);
    }
    return left;
  };
  const and = (): SearchMatcher => {
    let left = not();
    for (;;) {
      if (isWord('AND')) pos++;
      else if (!peek() || isOp(')') || isWord('OR')) return left;
      const [l, r] = [left, not()];
      left = (m) => l(m) && r(m);
    }
  };
  const not = (): SearchMatcher => {
    if (isWord('NOT')) {
      pos++;
      const inner = not();
      return (m) => !inner(m);
    }
    return term();
  };
  const term = (): SearchMatcher => {
    const t = peek();
    if (!t) throw new MathSyntaxError('The search expression ends too early.');
    pos++;
    if (t.kind === 'op' && t.value === '(') {
      if (++depth > MAX_DEPTH)
        throw new MathSyntaxError(`The search expression nests deeper than ${MAX_DEPTH} levels.`);
      const inner = or();
      depth--;
      if (!isOp(')')) throw new MathSyntaxError("Expected ')' in the search expression.");
      pos++;
      return inner;
    }
    if (t.kind === 'op') throw new MathSyntaxError(`Unexpected '${t.value}' in the search expression.`);
    if (isOp('=')) {
      pos++;
      const v = peek();
      if (!v || v.kind === 'op')
        throw new MathSyntaxError(`${t.value}= needs a value in the search expression.`);
      pos++;
      return exact(t.value, v.value);
    }
    return partial(t.value);
  };
  const body: SearchMatcher = pos < toks.length ? or() : () => true;
  if (pos < toks.length)
    throw new MathSyntaxError(`Unexpected '${toks[pos].value}' in the search expression.`);
  return schema ? (m) => schema(m) && body(m) : body;
}

function exact(key: string, value: string): SearchMatcher {
  if (key === 'MetricName') return (m) => m.metricName === value;
  if (key === 'Namespace') return (m) => m.namespace === value;
  return (m) => m.dimensions.some((d) => d.name === key && d.value === value);
}

function partial(text: string): SearchMatcher {
  const needle = text.toLowerCase();
  return (m) =>
    [m.namespace, m.metricName, ...m.dimensions.flatMap((d) => [d.name, d.value])].some((s) =>
      s.toLowerCase().includes(needle),
    );
}
