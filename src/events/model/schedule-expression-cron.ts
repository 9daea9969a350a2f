/**
 * AWS's six-field cron (`minutes hours day-of-month month day-of-week year`), as EventBridge and
 * EventBridge Scheduler read it, validated field by field and translated to a croner pattern.
 *
 * | field        | values              | wildcards            |
 * | ------------ | ------------------- | -------------------- |
 * | minutes      | 0-59                | , - * /              |
 * | hours        | 0-23                | , - * /              |
 * | day-of-month | 1-31                | , - * ? / L W        |
 * | month        | 1-12 or JAN-DEC     | , - * /              |
 * | day-of-week  | 1-7 or SUN-SAT      | , - * ? L #          |
 * | year         | 1970-2199           | , - * /              |
 *
 * Exactly one of day-of-month and day-of-week is `?`. Numeric items (`5`, `1-5`, `0/15`, `*\/10`,
 * `10-50/20`, wrapping ranges such as `FRI-MON` or `22-2`) are expanded here to value lists, so
 * croner sees only lists and the special forms `L`, `LW`, `15W`, `6L`, `3#2`. Day-of-week stays
 * in AWS's numbering (1 = SUN ... 7 = SAT) with croner's `alternativeWeekdays`.
 */

/** A field failed AWS's rules; `reason` says which, for logs (the API gives one fixed message). */
export class CronFieldError extends Error {}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const FIELDS = {
  minutes: { name: 'minutes', min: 0, max: 59 },
  hours: { name: 'hours', min: 0, max: 23 },
  dayOfMonth: { name: 'day-of-month', min: 1, max: 31 },
  month: { name: 'month', min: 1, max: 12, names: MONTHS },
  dayOfWeek: { name: 'day-of-week', min: 1, max: 7, names: DAYS },
  year: { name: 'year', min: 1970, max: 2199 },
} as const satisfies Record<string, FieldSpec>;

/** The six fields as written, and the croner 7-part pattern (seconds first) they translate to. */
export interface CronFields {
  minutes: string;
  hours: string;
  dayOfMonth: string;
  month: string;
  dayOfWeek: string;
  year: string;
  /** `0 <min> <hour> <dom> <month> <dow> <year>` with lists and croner's special forms. */
  croner: string;
}

/** Parses the inside of `cron(...)`; throws CronFieldError. */
export function parseCronFields(body: string): CronFields {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6 || parts[0] === '')
    throw new CronFieldError(`expected 6 fields, got ${parts.length}`);
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const domAny = dayOfMonth === '?';
  const dowAny = dayOfWeek === '?';
  if (domAny === dowAny) throw new CronFieldError('exactly one of day-of-month and day-of-week must be ?');
  const translated = [
    '0',
    numericField(minutes, FIELDS.minutes),
    numericField(hours, FIELDS.hours),
    domAny ? '*' : dayOfMonthField(dayOfMonth),
    numericField(month, FIELDS.month),
    dowAny ? '*' : dayOfWeekField(dayOfWeek),
    numericField(year, FIELDS.year),
  ];
  return { minutes, hours, dayOfMonth, month, dayOfWeek, year, croner: translated.join(' ') };
}

/** `L`, `LW`, `15W`, or a numeric field. */
function dayOfMonthField(text: string): string {
  if (text === 'L' || text === 'LW') return text;
  const weekday = /^(\d{1,2})W$/.exec(text);
  if (weekday) return `${value(weekday[1]!, FIELDS.dayOfMonth)}W`;
  return numericField(text, FIELDS.dayOfMonth);
}

/** `L` (Saturday, the week's last day), `6L` (last Friday of the month), `3#2`, or numeric. */
function dayOfWeekField(text: string): string {
  if (text === 'L') return '7';
  const last = /^([A-Z0-9]+)L$/i.exec(text);
  if (last) return `${value(last[1]!, FIELDS.dayOfWeek)}L`;
  const nth = /^([A-Z0-9]+)#(\d)$/i.exec(text);
  if (nth) {
    const week = Number(nth[2]);
    if (week < 1 || week > 5) throw new CronFieldError(`day-of-week: #${nth[2]} is not 1-5`);
    return `${value(nth[1]!, FIELDS.dayOfWeek)}#${week}`;
  }
  return numericField(text, FIELDS.dayOfWeek);
}

/** A list of items, each `*`, `v`, `a-b`, with an optional `/step`; `*` when it covers all. */
function numericField(text: string, spec: FieldSpec): string {
  if (text === '*') return '*';
  const values = new Set<number>();
  for (const item of text.split(',')) {
    for (const v of expandItem(item, spec)) values.add(v);
  }
  const size = spec.max - spec.min + 1;
  if (values.size === size && !text.includes('/')) return '*';
  return [...values].sort((a, b) => a - b).join(',');
}

function expandItem(item: string, spec: FieldSpec): number[] {
  const match = /^([^/]+)(?:\/(\d+))?$/.exec(item);
  if (!match) throw new CronFieldError(`${spec.name}: '${item}' is not valid`);
  const [, range, stepText] = match;
  const step = stepText === undefined ? 1 : Number(stepText);
  if (step < 1 || step > spec.max - spec.min + 1)
    throw new CronFieldError(`${spec.name}: step ${stepText} is out of range`);
  let from: number;
  let to: number;
  if (range === '*') {
    from = spec.min;
    to = spec.max;
  } else if (range!.includes('-')) {
    const [a, b, ...rest] = range!.split('-');
    if (rest.length > 0 || a === undefined || b === undefined)
      throw new CronFieldError(`${spec.name}: '${item}' is not valid`);
    from = value(a, spec);
    to = value(b, spec);
  } else {
    from = value(range!, spec);
    // `5/15` runs from 5 to the field's end; a bare `5` is one value.
    to = stepText === undefined ? from : spec.max;
  }
  // A range that wraps (FRI-MON, 22-2) runs to the end of the field and on from its start.
  const span = to >= from ? to - from : spec.max - from + 1 + (to - spec.min);
  const out: number[] = [];
  for (let offset = 0; offset <= span; offset += step) {
    const v = from + offset;
    out.push(v > spec.max ? v - (spec.max - spec.min + 1) : v);
  }
  return out;
}

/** One value: digits in range, or a name (JAN, MON) where the field has names. */
function value(text: string, spec: FieldSpec): number {
  if (/^\d{1,4}$/.test(text)) {
    const n = Number(text);
    if (n < spec.min || n > spec.max)
      throw new CronFieldError(`${spec.name}: ${text} is not ${spec.min}-${spec.max}`);
    return n;
  }
  const index = spec.names?.indexOf(text.toUpperCase() as never) ?? -1;
  if (index < 0) throw new CronFieldError(`${spec.name}: '${text}' is not valid`);
  return spec.min + index;
}
