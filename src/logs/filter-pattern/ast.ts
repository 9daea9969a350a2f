/** The parsed form of a CloudWatch Logs filter pattern: text terms, a JSON expression, or space-delimited fields. */

/** A value on the right of a comparison. */
export type Literal =
  /** A number (`500`, `-1.5`, `1e3`): compared numerically. */
  | { type: 'number'; value: number; text: string }
  /** A string, quoted or not; `*` in an unquoted string is a wildcard (`4*`, `123.123.*`). */
  | { type: 'string'; value: string; wildcard: boolean }
  /** `%regex%`. */
  | { type: 'regex'; regex: RegExp; source: string };

export type Operator = '=' | '!=' | '<' | '>' | '<=' | '>=';

/** One text term: a word, a quoted phrase or a `%regex%`. */
export interface Term {
  text: string;
  regex?: RegExp;
  /** `-term`: the event must not contain it. */
  exclude: boolean;
}

/** Terms that must all hold; a pattern of several groups (started by `?`) matches when any group does. */
export interface TermGroup {
  terms: Term[];
}

/** A JSON selector: `$.a.b[0].c` as its steps. */
export type Step = { type: 'key'; key: string } | { type: 'index'; index: number } | { type: 'any' };

export type JsonExpr =
  | { type: 'and'; left: JsonExpr; right: JsonExpr }
  | { type: 'or'; left: JsonExpr; right: JsonExpr }
  | { type: 'compare'; selector: Step[]; path: string; op: Operator; value: Literal }
  /** `IS NULL`, `NOT EXISTS`, `EXISTS`, `IS TRUE`, `IS FALSE`. */
  | {
      type: 'test';
      selector: Step[];
      path: string;
      test: 'null' | 'not-exists' | 'exists' | 'true' | 'false';
    };

/** A condition on one space-delimited field: `status = 404`, `bytes > 1000 && bytes < 5000`. */
export type FieldExpr =
  | { type: 'and'; left: FieldExpr; right: FieldExpr }
  | { type: 'or'; left: FieldExpr; right: FieldExpr }
  | { type: 'compare'; op: Operator; value: Literal };

/** One field of a space-delimited pattern: a name (maybe with a condition), or `...` (any number of fields). */
export type Field = { type: 'field'; name: string; condition?: FieldExpr } | { type: 'ellipsis' };

export type FilterPatternAst =
  /** The empty pattern (or `""`): every event. */
  | { type: 'all' }
  | { type: 'terms'; groups: TermGroup[] }
  | { type: 'json'; expr: JsonExpr }
  | { type: 'space'; fields: Field[] };
