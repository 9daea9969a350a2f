/** Compiles a cluster query once into a predicate over instances; also ListContainerInstances' filter. */
import { groupsOn } from '../active-tasks.ts';
import type { InstanceSnapshot } from '../types.ts';
import { type Comparison, type Expr, Field, isDynamic, type Subject } from './ast.ts';
import { ABSENT, type CompiledComparison, compileComparison, type SubjectValue } from './compare.ts';
import { parseExpression } from './parser.ts';

/** A parsed, checked expression: every argument validated, every regex built, ready to evaluate. */
export interface CompiledQuery {
  readonly source: string;
  readonly expr: Expr;
  /** Depends on task:group or runningTasksCount, so placing tasks can change its answer. */
  readonly dynamic: boolean;
  /** The compiled test of each comparison node (the scheduler reuses them per slot). */
  readonly comparisons: ReadonlyMap<Comparison, CompiledComparison>;
  matches(instance: InstanceSnapshot): boolean;
}

/** Parsing is pure, so identical sources share one compiled query (bounded, cleared when full). */
const cache = new Map<string, CompiledQuery>();
const CACHE_LIMIT = 512;

/** Parses and checks `source`; throws QueryError (position + message) when ECS would reject it. */
export function compileQuery(source: string): CompiledQuery {
  const hit = cache.get(source);
  if (hit) return hit;
  const expr = parseExpression(source);
  const comparisons = new Map<Comparison, CompiledComparison>();
  const collect = (e: Expr): void => {
    if (e.type === 'compare') comparisons.set(e, compileComparison(e, source));
    else if (e.type === 'not') collect(e.operand);
    else {
      collect(e.left);
      collect(e.right);
    }
  };
  collect(expr);
  const evaluate = (e: Expr, instance: InstanceSnapshot): boolean => {
    switch (e.type) {
      case 'and':
        return evaluate(e.left, instance) && evaluate(e.right, instance);
      case 'or':
        return evaluate(e.left, instance) || evaluate(e.right, instance);
      case 'not':
        return !evaluate(e.operand, instance);
      case 'compare': {
        const c = comparisons.get(e)!;
        return e.subject.type === 'taskGroup'
          ? c.evaluateAny(groupsOn(instance))
          : c.evaluate(subjectValue(e.subject, instance));
      }
    }
  };
  const compiled: CompiledQuery = {
    source,
    expr,
    dynamic: isDynamic(expr),
    comparisons,
    matches: (instance) => evaluate(expr, instance),
  };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

/** The value a scalar subject has on an instance (task:group is a set; see `groupsOn`). */
export function subjectValue(subject: Subject, instance: InstanceSnapshot): SubjectValue {
  switch (subject.type) {
    case 'attribute':
      return Object.hasOwn(instance.attributes, subject.name) ? instance.attributes[subject.name] : ABSENT;
    case 'taskGroup':
      return ABSENT;
    case 'field':
      switch (subject.field) {
        case Field.Ec2InstanceId:
          return instance.ec2InstanceId || ABSENT;
        case Field.AgentConnected:
          return String(instance.agentConnected);
        case Field.AgentVersion:
          return instance.agentVersion ?? ABSENT;
        case Field.RegisteredAt:
          return instance.registeredAt;
        case Field.RunningTasksCount:
          return instance.runningTasksCount;
      }
  }
}

/** ListContainerInstances' `filter`: the instances the expression selects, in their given order. */
export function filterInstances<T extends InstanceSnapshot>(
  instances: readonly T[],
  expression: string,
): T[] {
  const query = compileQuery(expression);
  return instances.filter((instance) => query.matches(instance));
}
