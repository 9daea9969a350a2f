/** Cluster query language: tokens, operator spellings, precedence, and error positions. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileQuery, MAX_EXPRESSION_LENGTH, QueryError } from '../../src/scheduler/index.ts';
import type { Expr } from '../../src/scheduler/query/ast.ts';
import { parseExpression } from '../../src/scheduler/query/parser.ts';

/** A compact rendering of the tree: `(and (== attribute:a x) (not (exists attribute:b)))`. */
function show(e: Expr): string {
  switch (e.type) {
    case 'and':
    case 'or':
      return `(${e.type} ${show(e.left)} ${show(e.right)})`;
    case 'not':
      return `(not ${show(e.operand)})`;
    case 'compare': {
      const s = e.subject;
      const subject =
        s.type === 'attribute' ? `attribute:${s.name}` : s.type === 'field' ? s.field : 'task:group';
      return `(${[e.operator, subject, ...e.args.map((a) => a.text)].join(' ')})`;
    }
  }
}

describe('query parser: operators and their word forms', () => {
  const cases: [string, string][] = [
    ['attribute:a == x', '(== attribute:a x)'],
    ['attribute:a equals x', '(== attribute:a x)'],
    ['attribute:a != x', '(!= attribute:a x)'],
    ['attribute:a not_equals x', '(!= attribute:a x)'],
    ['attribute:a > 1', '(> attribute:a 1)'],
    ['attribute:a greater_than 1', '(> attribute:a 1)'],
    ['attribute:a >= 1', '(>= attribute:a 1)'],
    ['attribute:a greater_than_equal 1', '(>= attribute:a 1)'],
    ['attribute:a < 1', '(< attribute:a 1)'],
    ['attribute:a less_than 1', '(< attribute:a 1)'],
    ['attribute:a <= 1', '(<= attribute:a 1)'],
    ['attribute:a less_than_equal 1', '(<= attribute:a 1)'],
    ['attribute:a exists', '(exists attribute:a)'],
    ['attribute:a !exists', '(!exists attribute:a)'],
    ['attribute:a not_exists', '(!exists attribute:a)'],
    ['attribute:a not exists', '(!exists attribute:a)'],
    ['attribute:a in [x, y]', '(in attribute:a x y)'],
    ['attribute:a in (x, y)', '(in attribute:a x y)'],
    ['attribute:a !in [x]', '(!in attribute:a x)'],
    ['attribute:a not_in [x]', '(!in attribute:a x)'],
    ['attribute:a not in [x, y]', '(!in attribute:a x y)'],
    ['attribute:a =~ t2.*', '(=~ attribute:a t2.*)'],
    ['attribute:a matches t2.*', '(=~ attribute:a t2.*)'],
    ['attribute:a !~ t2.*', '(!~ attribute:a t2.*)'],
    ['attribute:a not_matches t2.*', '(!~ attribute:a t2.*)'],
    ['attribute:ecs.instance-type==t2.small', '(== attribute:ecs.instance-type t2.small)'],
    ["ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']", '(in ec2InstanceId i-abcd1234 i-wxyx7890)'],
    ['task:group == service:production', '(== task:group service:production)'],
    ['registeredAt < 2018-06-18T22:28:28+00:00', '(< registeredAt 2018-06-18T22:28:28+00:00)'],
    ["attribute:a == 'it\\'s'", "(== attribute:a it's)"],
    ['attribute:a == "with space"', '(== attribute:a with space)'],
  ];
  for (const [source, tree] of cases) {
    it(source, () => assert.equal(show(parseExpression(source)), tree));
  }
});

describe('query parser: precedence and grouping', () => {
  const cases: [string, string][] = [
    [
      'attribute:a exists or attribute:b exists and attribute:c exists',
      '(or (exists attribute:a) (and (exists attribute:b) (exists attribute:c)))',
    ],
    [
      'attribute:a exists || attribute:b exists && attribute:c exists',
      '(or (exists attribute:a) (and (exists attribute:b) (exists attribute:c)))',
    ],
    [
      '(attribute:a exists or attribute:b exists) and attribute:c exists',
      '(and (or (exists attribute:a) (exists attribute:b)) (exists attribute:c))',
    ],
    [
      'not attribute:a exists and attribute:b exists',
      '(and (not (exists attribute:a)) (exists attribute:b))',
    ],
    ['!attribute:a exists', '(not (exists attribute:a))'],
    ['not(task:group == database)', '(not (== task:group database))'],
    [
      'attribute:a exists AND attribute:b exists OR attribute:c exists',
      '(or (and (exists attribute:a) (exists attribute:b)) (exists attribute:c))',
    ],
    ['not not attribute:a exists', '(not (not (exists attribute:a)))'],
  ];
  for (const [source, tree] of cases) {
    it(source, () => assert.equal(show(parseExpression(source)), tree));
  }

  it('spans cover the source of each subtree (parentheses included)', () => {
    const source = '(attribute:a == x or attribute:b == y) and task:group == web';
    const e = parseExpression(source);
    assert.equal(e.type, 'and');
    if (e.type !== 'and') return;
    assert.equal(source.slice(e.left.start, e.left.end), '(attribute:a == x or attribute:b == y)');
    assert.equal(source.slice(e.right.start, e.right.end), 'task:group == web');
  });
});

describe('query parser: errors carry the position of the problem', () => {
  const cases: [string, number, RegExp][] = [
    ['attribute:ecs.instance-type >> t2.micro', 29, /expected a value after '>'/],
    ['agentConnected > true', 15, /operator '>' is not supported for agentConnected/],
    ['agentVersion =~ 1.*', 13, /operator '=~' is not supported for agentVersion/],
    ['runningTasksCount in [1]', 18, /not supported for runningTasksCount/],
    ['task:group > a', 11, /not supported for task:group/],
    ['colour == red', 0, /unknown subject 'colour'/],
    ['attribute: == x', 0, /invalid attribute name ''/],
    ['attribute:a == ', 15, /expected a value after '=='/],
    ['attribute:a', 11, /expected an operator but found end of expression/],
    ['attribute:a is x', 12, /expected an operator but found 'is'/],
    ['(attribute:a exists', 19, /expected '\)'/],
    ['attribute:a exists)', 18, /unexpected '\)'/],
    ['attribute:a exists and', 22, /expected a subject/],
    ['attribute:a exists attribute:b exists', 19, /unexpected 'attribute:b'/],
    ['attribute:a in [x, y', 20, /expected ',' or '\]'/],
    ['attribute:a in x', 15, /expected '\[' after 'in'/],
    ['attribute:a in []', 16, /expected a value/],
    ["attribute:a == 'open", 15, /unterminated string/],
    ['attribute:a = x', 12, /unexpected '='/],
    ['attribute:a == x & attribute:b == y', 17, /unexpected '&'/],
    ['runningTasksCount > many', 20, /'many' is not a whole number/],
    ['registeredAt < yesterday', 15, /not a date/],
    ['registeredAt < 2018-02-30T25:00:00', 15, /not a date/],
    ['agentVersion < latest', 15, /not a version/],
    ["attribute:a =~ '[a-'", 15, /invalid regular expression/],
    ['', 0, /expected a subject/],
    ['   ', 3, /expected a subject/],
  ];
  for (const [source, position, message] of cases) {
    it(JSON.stringify(source), () => {
      assert.throws(
        () => compileQuery(source),
        (e: unknown) => {
          assert.ok(e instanceof QueryError);
          assert.equal(e.position, position);
          assert.match(e.message, /^Invalid expression: /);
          assert.match(e.message, message);
          assert.equal(e.errorType, 'InvalidParameterException');
          assert.equal(e.expression, source);
          return true;
        },
      );
    });
  }

  it(`rejects expressions longer than ${MAX_EXPRESSION_LENGTH} characters at position ${MAX_EXPRESSION_LENGTH}`, () => {
    const long = `attribute:a == ${'x'.repeat(MAX_EXPRESSION_LENGTH)}`;
    assert.throws(
      () => compileQuery(long),
      (e: unknown) => e instanceof QueryError && e.position === MAX_EXPRESSION_LENGTH,
    );
    const fits = `attribute:a == ${'x'.repeat(MAX_EXPRESSION_LENGTH - 15)}`;
    assert.equal(fits.length, MAX_EXPRESSION_LENGTH);
    assert.doesNotThrow(() => compileQuery(fits));
  });
});
