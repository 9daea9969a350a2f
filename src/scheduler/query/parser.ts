/**
 * Recursive-descent parser for the cluster query language. Precedence, loosest first:
 * `or`/`||`, then `and`/`&&`, then `not`/`!`, then parentheses and single comparisons.
 * So `a or b and not c` reads as `a or (b and (not c))`.
 */
import { QueryError } from '../errors.ts';
import { type Comparison, type Expr, type Literal, MAX_EXPRESSION_LENGTH, Operator } from './ast.ts';
import { type Token, tokenize } from './lexer.ts';
import { checkOperator, resolveSubject } from './subjects.ts';

/** Operators ECS spells as words; `not in` and `not exists` are read in `operator()`. */
const WORD_OPERATORS: Readonly<Record<string, Operator>> = {
  equals: Operator.Equals,
  not_equals: Operator.NotEquals,
  greater_than: Operator.Greater,
  greater_than_equal: Operator.GreaterOrEqual,
  less_than: Operator.Less,
  less_than_equal: Operator.LessOrEqual,
  exists: Operator.Exists,
  not_exists: Operator.NotExists,
  in: Operator.In,
  not_in: Operator.NotIn,
  matches: Operator.Matches,
  not_matches: Operator.NotMatches,
};

const SYMBOL_OPERATORS = new Set<string>(['==', '!=', '>', '>=', '<', '<=', '=~', '!~']);

/** Parses `source` into a tree, or throws QueryError with the position of the first problem. */
export function parseExpression(source: string): Expr {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new QueryError(`longer than ${MAX_EXPRESSION_LENGTH} characters`, MAX_EXPRESSION_LENGTH, source);
  }
  const tokens = tokenize(source);
  let at = 0;
  const peek = (): Token => tokens[at];
  const next = (): Token => tokens[at++];
  const isWord = (t: Token, word: string): boolean => t.type === 'word' && t.text.toLowerCase() === word;
  const fail = (problem: string, t: Token = peek()): never => {
    throw new QueryError(problem, t.position, source);
  };
  const describe = (t: Token): string => (t.type === 'end' ? 'end of expression' : `'${t.text}'`);

  function or(): Expr {
    let left = and();
    while (isWord(peek(), 'or') || peek().text === '||') {
      next();
      const right = and();
      left = { type: 'or', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  function and(): Expr {
    let left = unary();
    while (isWord(peek(), 'and') || peek().text === '&&') {
      next();
      const right = unary();
      left = { type: 'and', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  function unary(): Expr {
    const t = peek();
    if (isWord(t, 'not') || (t.type === 'symbol' && t.text === '!')) {
      next();
      const operand = unary();
      return { type: 'not', operand, start: t.position, end: operand.end };
    }
    if (t.type === 'symbol' && t.text === '(') {
      next();
      const inner = or();
      const close = next();
      if (close.text !== ')') fail(`expected ')' but found ${describe(close)}`, close);
      return { ...inner, start: t.position, end: close.position + 1 };
    }
    return comparison();
  }

  function comparison(): Comparison {
    const t = next();
    if (t.type !== 'word') return fail(`expected a subject but found ${describe(t)}`, t);
    const subject = resolveSubject(t.text, t.position, source);
    const opToken = peek();
    const operator = readOperator();
    checkOperator(subject, operator, opToken.position, source);
    const args =
      operator === Operator.Exists || operator === Operator.NotExists ? [] : argumentsFor(operator);
    const end = tokens[at - 1].end;
    return {
      type: 'compare',
      subject,
      operator,
      operatorPosition: opToken.position,
      args,
      start: t.position,
      end,
    };
  }

  function readOperator(): Operator {
    const t = next();
    if (t.type === 'symbol' && SYMBOL_OPERATORS.has(t.text)) return t.text as Operator;
    // `!exists`, `!in`, `not in` and `not exists` are two tokens.
    if ((t.type === 'symbol' && t.text === '!') || isWord(t, 'not')) {
      const negated = isWord(peek(), 'exists')
        ? Operator.NotExists
        : isWord(peek(), 'in')
          ? Operator.NotIn
          : undefined;
      if (negated) {
        next();
        return negated;
      }
    }
    const word = t.type === 'word' ? WORD_OPERATORS[t.text.toLowerCase()] : undefined;
    return word ?? fail(`expected an operator but found ${describe(t)}`, t);
  }

  function argumentsFor(operator: Operator): Literal[] {
    if (operator !== Operator.In && operator !== Operator.NotIn) return [value(operator)];
    const open = next();
    if (open.text !== '[' && open.text !== '(') fail(`expected '[' after '${operator}'`, open);
    const close = open.text === '[' ? ']' : ')';
    const list = [value(operator)];
    while (peek().text === ',') {
      next();
      list.push(value(operator));
    }
    const end = next();
    if (end.text !== close) fail(`expected ',' or '${close}' but found ${describe(end)}`, end);
    return list;
  }

  function value(operator: Operator): Literal {
    const t = next();
    if (t.type === 'word') return { text: t.text, quoted: false, position: t.position };
    if (t.type === 'string') return { text: t.text, quoted: true, position: t.position };
    return fail(`expected a value after '${operator}' but found ${describe(t)}`, t);
  }

  const tree = or();
  if (peek().type !== 'end') fail(`unexpected ${describe(peek())}`);
  return tree;
}
