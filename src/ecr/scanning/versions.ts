/**
 * Version orderings of the package ecosystems a scan matches: Debian's (dpkg's `verrevcmp`, with
 * epochs, upstream versions and revisions, `~` sorting before everything), Alpine's (apk-tools'
 * Gentoo-style tokens: digits, a letter, `_alpha`..`_p` suffixes, `-rN`) and RPM's (`rpmvercmp`,
 * with `~` and `^`, plus epoch:version-release). Each returns <0, 0 or >0. Pure.
 */

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isAlpha = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

/** dpkg's `order`: `~` before the end, the end before letters, letters before other characters. */
function debOrder(c: string): number {
  if (c === '') return 0;
  if (isDigit(c)) return 0;
  if (isAlpha(c)) return c.charCodeAt(0);
  if (c === '~') return -1;
  return c.charCodeAt(0) + 256;
}

/** dpkg's `verrevcmp` over an upstream version or a revision. */
function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = debOrder(a[i] ?? '');
      const bc = debOrder(b[j] ?? '');
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (i < a.length && j < b.length && isDigit(a[i]) && isDigit(b[j])) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && isDigit(a[i])) return 1;
    if (j < b.length && isDigit(b[j])) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

interface DebianVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

/**
 * `[epoch:]head[-tail]`, as Debian and RPM both write versions: the epoch (0 when absent or not a
 * number), what precedes the last `-`, and what follows it ('' without a `-`).
 */
function splitEpochDash(v: string): { epoch: number; head: string; tail: string } {
  const colon = v.indexOf(':');
  const epoch = colon >= 0 ? Number.parseInt(v.slice(0, colon), 10) || 0 : 0;
  const rest = colon >= 0 ? v.slice(colon + 1) : v;
  const dash = rest.lastIndexOf('-');
  return dash >= 0
    ? { epoch, head: rest.slice(0, dash), tail: rest.slice(dash + 1) }
    : { epoch, head: rest, tail: '' };
}

export function parseDebianVersion(version: string): DebianVersion {
  const { epoch, head, tail } = splitEpochDash(version.trim());
  return { epoch, upstream: head, revision: tail };
}

/** Debian policy 5.6.12: epoch numerically, then upstream version, then revision, by verrevcmp. */
export function compareDebian(a: string, b: string): number {
  const x = parseDebianVersion(a);
  const y = parseDebianVersion(b);
  if (x.epoch !== y.epoch) return x.epoch - y.epoch;
  return verrevcmp(x.upstream, y.upstream) || verrevcmp(x.revision, y.revision);
}

// apk-tools' tokens, in the order a version may use them.
const T_INVALID = -1;
const T_DIGIT_OR_ZERO = 0;
const T_DIGIT = 1;
const T_LETTER = 2;
const T_SUFFIX = 3;
const T_SUFFIX_NO = 4;
const T_REVISION_NO = 5;
const T_END = 6;
const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'];
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'];
const isLower = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z';

class ApkCursor {
  type = T_DIGIT;
  pos = 0;
  readonly s: string;
  constructor(s: string) {
    this.s = s;
  }

  /** Decides the type of the next token from the separator at `pos` (consumed). */
  #next(): void {
    const c = this.s[this.pos];
    let n = T_INVALID;
    if (c === undefined) n = T_END;
    else if ((this.type === T_DIGIT || this.type === T_DIGIT_OR_ZERO) && isLower(c)) n = T_LETTER;
    else if (this.type === T_LETTER && isDigit(c)) n = T_DIGIT;
    else if (this.type === T_SUFFIX && isDigit(c)) n = T_SUFFIX_NO;
    else {
      if (c === '.') n = T_DIGIT_OR_ZERO;
      else if (c === '_') n = T_SUFFIX;
      else if (c === '-' && this.s[this.pos + 1] === 'r') {
        n = T_REVISION_NO;
        this.pos++;
      }
      this.pos++;
    }
    if (
      n < this.type &&
      !(
        (n === T_DIGIT_OR_ZERO && this.type === T_DIGIT) ||
        (n === T_SUFFIX && this.type === T_SUFFIX_NO) ||
        (n === T_DIGIT && this.type === T_LETTER)
      )
    ) {
      n = T_INVALID;
    }
    this.type = n;
  }

  /** The value of the token at `pos`, advancing to the next token. */
  token(): number {
    const s = this.s;
    if (this.pos >= s.length) {
      this.type = T_END;
      return 0;
    }
    let v = 0;
    let i = this.pos;
    let nextType = T_INVALID;
    switch (this.type) {
      case T_DIGIT_OR_ZERO:
        // Leading zeros: their count, negated (so 0.01 < 0.1); otherwise a plain number.
        if (s[i] === '0') {
          while (s[i] === '0') i++;
          nextType = T_DIGIT;
          v = -(i - this.pos);
        } else {
          while (i < s.length && isDigit(s[i])) v = v * 10 + (s.charCodeAt(i++) - 48);
        }
        break;
      case T_DIGIT:
      case T_SUFFIX_NO:
      case T_REVISION_NO:
        while (i < s.length && isDigit(s[i])) v = v * 10 + (s.charCodeAt(i++) - 48);
        break;
      case T_LETTER:
        v = s.charCodeAt(i++);
        break;
      case T_SUFFIX: {
        const rest = s.slice(i);
        const pre = PRE_SUFFIXES.findIndex((p) => rest.startsWith(p));
        if (pre >= 0) {
          v = pre - PRE_SUFFIXES.length;
          i += PRE_SUFFIXES[pre].length;
          break;
        }
        const post = POST_SUFFIXES.findIndex((p) => rest.startsWith(p));
        if (post >= 0) {
          v = post;
          i += POST_SUFFIXES[post].length;
          break;
        }
        this.type = T_INVALID;
        return -1;
      }
      default:
        this.type = T_INVALID;
        return -1;
    }
    this.pos = i;
    if (this.pos >= s.length) this.type = T_END;
    else if (nextType !== T_INVALID) this.type = nextType;
    else this.#next();
    return v;
  }
}

/** apk-tools' version comparison (`apk version -t`). */
export function compareApk(a: string, b: string): number {
  const x = new ApkCursor(a);
  const y = new ApkCursor(b);
  let av = 0;
  let bv = 0;
  while (x.type === y.type && x.type !== T_END && x.type !== T_INVALID && av === bv) {
    av = x.token();
    bv = y.token();
  }
  if (av !== bv) return av < bv ? -1 : 1;
  if (x.type === y.type) return 0;
  // Equal so far: the longer version is greater, unless what it adds is a pre-release suffix.
  if (x.type === T_SUFFIX && peekSuffix(x) < 0) return -1;
  if (y.type === T_SUFFIX && peekSuffix(y) < 0) return 1;
  if (x.type > y.type) return -1;
  if (y.type > x.type) return 1;
  return 0;
}

function peekSuffix(c: ApkCursor): number {
  const copy = new ApkCursor(c.s);
  copy.type = c.type;
  copy.pos = c.pos;
  return copy.token();
}

const isRpmAlnum = (c: string): boolean => isDigit(c) || isAlpha(c);

/** rpm's `rpmvercmp` over one version or release string. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isRpmAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isRpmAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    // Tilde sorts before everything, even the end.
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    // Caret sorts after the end but before anything else.
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;
    const numeric = isDigit(a[i]);
    const test = numeric ? isDigit : isAlpha;
    let i2 = i;
    let j2 = j;
    while (i2 < a.length && test(a[i2])) i2++;
    while (j2 < b.length && test(b[j2])) j2++;
    let x = a.slice(i, i2);
    let y = b.slice(j, j2);
    // A numeric segment is newer than an alphabetic one.
    if (y.length === 0) return numeric ? 1 : -1;
    if (numeric) {
      x = x.replace(/^0+/, '');
      y = y.replace(/^0+/, '');
      if (x.length !== y.length) return x.length > y.length ? 1 : -1;
    }
    if (x !== y) return x < y ? -1 : 1;
    i = i2;
    j = j2;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

export interface RpmEvr {
  epoch: number;
  version: string;
  release: string;
}

/** `[epoch:]version[-release]`. */
export function parseRpmEvr(evr: string): RpmEvr {
  const { epoch, head, tail } = splitEpochDash(evr);
  return { epoch, version: head, release: tail };
}

/** epoch, then version, then release (a missing release matches any, as rpm's range checks do). */
export function compareRpm(a: string, b: string): number {
  const x = parseRpmEvr(a);
  const y = parseRpmEvr(b);
  if (x.epoch !== y.epoch) return x.epoch < y.epoch ? -1 : 1;
  const v = rpmvercmp(x.version, y.version);
  if (v !== 0 || x.release === '' || y.release === '') return v;
  return rpmvercmp(x.release, y.release);
}
