/** The cluster query language's syntax tree: `subject operator [argument]` joined by and/or/not. */

/** Comparison operators, by their symbolic spelling (ECS also accepts the word forms in parser.ts). */
export const Operator = {
  Equals: '==',
  NotEquals: '!=',
  Greater: '>',
  GreaterOrEqual: '>=',
  Less: '<',
  LessOrEqual: '<=',
  Exists: 'exists',
  NotExists: '!exists',
  In: 'in',
  NotIn: '!in',
  Matches: '=~',
  NotMatches: '!~',
} as const;
export type Operator = (typeof Operator)[keyof typeof Operator];

/** Built-in subjects besides `attribute:<name>` and `task:group`. */
export const Field = {
  Ec2InstanceId: 'ec2InstanceId',
  AgentConnected: 'agentConnected',
  AgentVersion: 'agentVersion',
  RegisteredAt: 'registeredAt',
  RunningTasksCount: 'runningTasksCount',
} as const;
export type Field = (typeof Field)[keyof typeof Field];

export type Subject =
  | { readonly type: 'attribute'; readonly name: string }
  | { readonly type: 'field'; readonly field: Field }
  | { readonly type: 'taskGroup' };

/** An argument as written; `position` is its 0-based offset in the expression. */
export interface Literal {
  readonly text: string;
  readonly quoted: boolean;
  readonly position: number;
}

/** Every node spans `[start, end)` of the source, so a subtree's text can key a cache. */
interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Comparison extends Span {
  readonly type: 'compare';
  readonly subject: Subject;
  readonly operator: Operator;
  readonly operatorPosition: number;
  /** Empty for exists/!exists, one for the scalar operators, one or more for in/!in. */
  readonly args: readonly Literal[];
}

export interface Binary extends Span {
  readonly type: 'and' | 'or';
  readonly left: Expr;
  readonly right: Expr;
}

export interface Not extends Span {
  readonly type: 'not';
  readonly operand: Expr;
}

export type Expr = Comparison | Binary | Not;

/** ECS's limit on an expression's length, in characters. */
export const MAX_EXPRESSION_LENGTH = 2000;

/**
 * True when the expression's value can change as tasks are placed (task:group, runningTasksCount).
 * Everything else (attributes, ids, agent fields, registeredAt) is fixed for a given instance.
 */
export function isDynamic(expr: Expr): boolean {
  switch (expr.type) {
    case 'compare':
      return (
        expr.subject.type === 'taskGroup' ||
        (expr.subject.type === 'field' && expr.subject.field === Field.RunningTasksCount)
      );
    case 'not':
      return isDynamic(expr.operand);
    default:
      return isDynamic(expr.left) || isDynamic(expr.right);
  }
}
