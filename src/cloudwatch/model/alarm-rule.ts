/**
 * Composite alarm rules: `ALARM(a) AND (OK("b c") OR NOT INSUFFICIENT_DATA(arn:...:alarm:d))`,
 * TRUE and FALSE. Parsed once per PutCompositeAlarm (errors name the position), evaluated against
 * the children's states on every composite evaluation. Pure.
 *
 * Precedence, loosest first: OR, AND, NOT; parentheses group. Keywords are upper case. An alarm
 * reference is a name or an alarm ARN, in double quotes when it holds spaces, parentheses or quotes.
 */
import { alarmValidation } from './alarm-errors.ts';
import type { AlarmStateValue } from './alarm-records.ts';

export type RuleNode =
  | { type: 'const'; value: boolean }
  | { type: 'state'; state: AlarmStateValue; alarm: string }
  | { type: 'not'; operand: RuleNode }
  | { type: 'and' | 'or'; left: RuleNode; right: RuleNode };

/** At most this many alarm references in one rule (CloudWatch's limit). */
export const MAX_RULE_ALARMS = 100;

const FUNCTIONS: ReadonlySet<string> = new Set(['ALARM', 'OK', 'INSUFFICIENT_DATA']);

interface Token {
  text: string;
  quoted: boolean;
  at: number;
}

function tokenize(rule: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < rule.length) {
    const c = rule[i];
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')') out.push({ text: c, quoted: false, at: i++ });
    else if (c === '"') {
      const end = rule.indexOf('"', i + 1);
      if (end < 0) throw ruleError(i, 'an opening double quote is never closed');
      out.push({ text: rule.slice(i + 1, end), quoted: true, at: i });
      i = end + 1;
    } else {
      const start = i;
      while (i < rule.length && !/[\s()"]/.test(rule[i])) i++;
      out.push({ text: rule.slice(start, i), quoted: false, at: start });
    }
  }
  return out;
}

const ruleError = (at: number, detail: string) =>
  alarmValidation(`Error in AlarmRule at position ${at + 1}: ${detail}.`);

/** The rule's tree; throws ValidationError naming the first problem. */
export function parseAlarmRule(rule: string): RuleNode {
  const tokens = tokenize(rule);
  let pos = 0;
  const peek = () => tokens[pos];
  const end = () => (tokens.length > 0 ? tokens[tokens.length - 1].at + 1 : 0);
  const keyword = (word: string) => peek() !== undefined && !peek().quoted && peek().text === word;
  const expect = (text: string) => {
    const t = peek();
    if (!t || t.quoted || t.text !== text) throw ruleError(t?.at ?? end(), `expected "${text}"`);
    pos++;
  };
  const primary = (): RuleNode => {
    const t = peek();
    if (!t) throw ruleError(end(), 'the rule ends where an expression was expected');
    if (!t.quoted && t.text === '(') {
      pos++;
      const inner = or();
      expect(')');
      return inner;
    }
    if (!t.quoted && (t.text === 'TRUE' || t.text === 'FALSE')) {
      pos++;
      return { type: 'const', value: t.text === 'TRUE' };
    }
    if (!t.quoted && FUNCTIONS.has(t.text)) {
      pos++;
      expect('(');
      const ref = peek();
      if (!ref || (!ref.quoted && (ref.text === '(' || ref.text === ')')) || ref.text === '')
        throw ruleError(ref?.at ?? end(), `${t.text} expects an alarm name or ARN`);
      pos++;
      expect(')');
      return { type: 'state', state: t.text as AlarmStateValue, alarm: ref.text };
    }
    throw ruleError(
      t.at,
      `unexpected "${t.text}"; expected ALARM(), OK(), INSUFFICIENT_DATA(), TRUE, FALSE, NOT or "("`,
    );
  };
  const not = (): RuleNode => {
    if (keyword('NOT')) {
      pos++;
      return { type: 'not', operand: not() };
    }
    return primary();
  };
  const and = (): RuleNode => {
    let left = not();
    while (keyword('AND')) {
      pos++;
      left = { type: 'and', left, right: not() };
    }
    return left;
  };
  const or = (): RuleNode => {
    let left = and();
    while (keyword('OR')) {
      pos++;
      left = { type: 'or', left, right: and() };
    }
    return left;
  };
  const tree = or();
  if (pos < tokens.length)
    throw ruleError(tokens[pos].at, `unexpected "${tokens[pos].text}" after a complete expression`);
  const refs = ruleAlarms(tree);
  if (refs.length > MAX_RULE_ALARMS)
    throw alarmValidation(
      `An AlarmRule can reference at most ${MAX_RULE_ALARMS} alarms; this one references ${refs.length}.`,
    );
  return tree;
}

/** Every alarm the rule names (names or ARNs as written), without repeats, in order. */
export function ruleAlarms(node: RuleNode, out: string[] = []): string[] {
  if (node.type === 'state') {
    if (!out.includes(node.alarm)) out.push(node.alarm);
  } else if (node.type === 'not') ruleAlarms(node.operand, out);
  else if (node.type === 'and' || node.type === 'or') {
    ruleAlarms(node.left, out);
    ruleAlarms(node.right, out);
  }
  return out;
}

/** The rule's truth given each referenced alarm's state (undefined: the alarm is gone, matching nothing). */
export function evaluateRule(
  node: RuleNode,
  stateOf: (alarm: string) => AlarmStateValue | undefined,
): boolean {
  switch (node.type) {
    case 'const':
      return node.value;
    case 'state':
      return stateOf(node.alarm) === node.state;
    case 'not':
      return !evaluateRule(node.operand, stateOf);
    case 'and':
      return evaluateRule(node.left, stateOf) && evaluateRule(node.right, stateOf);
    case 'or':
      return evaluateRule(node.left, stateOf) || evaluateRule(node.right, stateOf);
  }
}
