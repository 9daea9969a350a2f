/** Placement constraints as checkers: memberOf (a cluster query) and distinctInstance. */
import { Reason } from '../reasons.ts';
import { type Expr, isDynamic } from '../query/ast.ts';
import { type CompiledQuery, compileQuery } from '../query/compile.ts';
import type { SlotView, WorkingState } from '../state/working-state.ts';
import { type Checker, flat } from './checker.ts';

/**
 * memberOf: the instance must match the expression. Expressions over attributes and ids are
 * static (cached per lineage); those using task:group or runningTasksCount are evaluated per
 * instance against the working state, so a task placed earlier in the same decision counts.
 */
export function memberOfChecker(query: CompiledQuery): Checker {
  const shortfall = () => flat(`not matched by '${abbreviate(query.source)}'`);
  if (!query.dynamic) {
    return {
      reason: Reason.MemberOf,
      static: true,
      key: `memberOf:${query.source}`,
      rejects: (view) => !query.matches(view.state.instance),
      shortfall,
    };
  }
  const matches = slotPredicate(query, query.expr);
  return {
    reason: Reason.MemberOf,
    static: false,
    key: `memberOf:${query.source}`,
    rejects: (v, ws) => !matches(v, ws),
    shortfall,
  };
}

/** distinctInstance: no other active task of the same group on the instance (placed ones included). */
export function distinctInstanceChecker(group: string): Checker {
  return {
    reason: Reason.DistinctInstance,
    static: false,
    key: 'distinctInstance',
    rejects: (view) => view.groupCount > 0,
    shortfall: (view) => ({
      amount: view.groupCount,
      text: `runs ${view.groupCount} task(s) of group ${group}`,
    }),
  };
}

type SlotPredicate = (view: SlotView, ws: WorkingState) => boolean;

/**
 * Compiles a dynamic expression per slot. Static subtrees become one cached mask each (the subtree's
 * source text is itself a valid expression), so `attribute:x == y and not(task:group == db)` costs
 * a mask read plus a group lookup per instance.
 */
function slotPredicate(query: CompiledQuery, e: Expr): SlotPredicate {
  if (!isDynamic(e)) return maskPredicate(e.start, e.end, query.source);
  switch (e.type) {
    case 'and': {
      const [l, r] = [slotPredicate(query, e.left), slotPredicate(query, e.right)];
      return (v, ws) => l(v, ws) && r(v, ws);
    }
    case 'or': {
      const [l, r] = [slotPredicate(query, e.left), slotPredicate(query, e.right)];
      return (v, ws) => l(v, ws) || r(v, ws);
    }
    case 'not': {
      const inner = slotPredicate(query, e.operand);
      return (v, ws) => !inner(v, ws);
    }
    case 'compare': {
      const c = query.comparisons.get(e)!;
      if (e.subject.type !== 'taskGroup') return (v) => c.evaluate(v.state.running);
      const exact = c.exactValues;
      if (exact) return (v, ws) => c.evaluateAny(exact.filter((g) => ws.groupCount(v, g) > 0));
      return (v) => c.evaluateAny(v.state.groups.keys());
    }
  }
}

/** A static subtree as a per-lineage cached mask, looked up by slot. */
function maskPredicate(start: number, end: number, source: string): SlotPredicate {
  const text = source.slice(start, end);
  const sub = compileQuery(text);
  let mask: Uint8Array | undefined;
  let table: WorkingState['table'] | undefined;
  return (v, ws) => {
    if (table !== ws.table) {
      table = ws.table;
      mask = table.mask(`memberOf:${text}`, (slot) => sub.matches(ws.table.instances[slot]));
    }
    return mask![v.slot] === 1;
  };
}

function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
