/**
 * How CloudWatch writes numbers and times in alarm reasons and JSON: numbers as Java doubles
 * (`50.0`, `0.0666851903306472`, `1.0E7`), dates in reasons as `dd/MM/yy HH:mm:ss` (UTC) and in
 * JSON as `2019-10-02T17:04:40.985+0000`. Pure.
 */

/** Java's Double.toString: `1` -> `1.0`, `1e7` -> `1.0E7`, `0.0001` -> `1.0E-4`. */
export function javaDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(n);
    return s.includes('.') || s.includes('e') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = n.toExponential().split('e');
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${Number(exponent)}`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `02/10/19 16:59:00`: the datapoint times of a reason. */
export function reasonDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `2019-10-02T17:04:40.985+0000`: times inside StateReasonData and history data. */
export function jsonDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `Friday 01 January, 2021 14:00:00 UTC`: composite alarm reasons. */
export function longDate(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]}, ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** A number JSON must write as a Java double (`50.0`). */
export class JavaDouble {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

export const dbl = (n: number) => new JavaDouble(n);

/** JSON.stringify, except that JavaDouble values are written as Java doubles (CloudWatch's JSON). */
export function javaJson(value: unknown): string {
  if (value instanceof JavaDouble) return Number.isFinite(value.value) ? javaDouble(value.value) : 'null';
  if (Array.isArray(value)) return `[${value.map(javaJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${javaJson(v)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
