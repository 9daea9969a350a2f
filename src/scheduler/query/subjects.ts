/** Which subjects the query language knows and which operators each accepts (ECS's table). */
import { QueryError } from '../errors.ts';
import { Field, Operator, type Subject } from './ast.ts';

const ALL = Object.values(Operator);
const EQUALITY_AND_PATTERN: readonly Operator[] = [
  Operator.Equals,
  Operator.NotEquals,
  Operator.In,
  Operator.NotIn,
  Operator.Matches,
  Operator.NotMatches,
];
const ORDERING: readonly Operator[] = [
  Operator.Equals,
  Operator.NotEquals,
  Operator.Greater,
  Operator.GreaterOrEqual,
  Operator.Less,
  Operator.LessOrEqual,
];

/** The cluster query language doc's "valid operators" per built-in subject; attributes take all. */
const ALLOWED: Readonly<Record<Field | 'taskGroup', readonly Operator[]>> = {
  [Field.AgentConnected]: EQUALITY_AND_PATTERN,
  [Field.Ec2InstanceId]: EQUALITY_AND_PATTERN,
  [Field.AgentVersion]: ORDERING,
  [Field.RegisteredAt]: ORDERING,
  [Field.RunningTasksCount]: ORDERING,
  taskGroup: EQUALITY_AND_PATTERN,
};

/** ECS's rule for attribute names: 1-128 letters, digits, `-`, `_`, `/`, `\` or `.`. */
const ATTRIBUTE_NAME = /^[A-Za-z0-9_./\\-]{1,128}$/;

const FIELDS = new Set<string>(Object.values(Field));

/** `attribute:ecs.instance-type`, `task:group` or a built-in field name, else a QueryError at `position`. */
export function resolveSubject(text: string, position: number, source: string): Subject {
  if (text.startsWith('attribute:')) {
    const name = text.slice('attribute:'.length);
    if (!ATTRIBUTE_NAME.test(name))
      throw new QueryError(`invalid attribute name '${name}'`, position, source);
    return { type: 'attribute', name };
  }
  if (text === 'task:group') return { type: 'taskGroup' };
  if (FIELDS.has(text)) return { type: 'field', field: text as Field };
  throw new QueryError(`unknown subject '${text}'`, position, source);
}

/** Throws when the subject does not support the operator, e.g. `agentConnected > true`. */
export function checkOperator(subject: Subject, operator: Operator, position: number, source: string): void {
  const allowed =
    subject.type === 'attribute' ? ALL : ALLOWED[subject.type === 'field' ? subject.field : 'taskGroup'];
  if (!allowed.includes(operator)) {
    throw new QueryError(
      `operator '${operator}' is not supported for ${subjectName(subject)}`,
      position,
      source,
    );
  }
}

export function subjectName(subject: Subject): string {
  switch (subject.type) {
    case 'attribute':
      return `attribute:${subject.name}`;
    case 'field':
      return subject.field;
    case 'taskGroup':
      return 'task:group';
  }
}
