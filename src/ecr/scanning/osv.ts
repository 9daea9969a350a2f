/**
 * Findings from an OSV export (`--vulnerability-feed DIR`: one vulnerability per JSON file, as
 * osv.dev's per-ecosystem `all.zip` unpacks). A package is affected when an `affected[]` entry
 * names its ecosystem (from the image's os-release) and its name, and its version is listed in
 * `versions` or falls in an ECOSYSTEM range (introduced / fixed / last_affected / limit events),
 * compared with the ecosystem's own ordering. Nothing is inferred: no feed, no match, no finding.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstalledPackage, OsRelease } from './databases.ts';
import { compareApk, compareDebian, compareRpm } from './versions.ts';

export type Severity = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' | 'UNDEFINED';
export const SEVERITIES: readonly Severity[] = [
  'CRITICAL',
  'HIGH',
  'MEDIUM',
  'LOW',
  'INFORMATIONAL',
  'UNDEFINED',
];

interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}
interface OsvAffected {
  package?: { ecosystem?: string; name?: string };
  ranges?: { type?: string; events?: OsvEvent[] }[];
  versions?: string[];
  severity?: { type?: string; score?: string }[];
  ecosystem_specific?: Record<string, unknown>;
  database_specific?: Record<string, unknown>;
}
export interface OsvRecord {
  id: string;
  modified?: string;
  summary?: string;
  details?: string;
  severity?: { type?: string; score?: string }[];
  affected?: OsvAffected[];
  references?: { type?: string; url?: string }[];
  database_specific?: Record<string, unknown>;
  withdrawn?: string;
}

export interface Feed {
  dir: string;
  /** `name` -> the records' affected entries naming it. */
  byName: Map<string, { record: OsvRecord; affected: OsvAffected }[]>;
  /** The newest `modified` of the feed's records (epoch seconds). */
  updatedAt?: number;
  records: number;
  /** Files that are not OSV JSON. */
  skipped: number;
}

export interface Finding {
  name: string;
  description?: string;
  uri: string;
  severity: Severity;
  attributes: { key: string; value: string }[];
}

const cache = new Map<string, { mtimeMs: number; feed: Promise<Feed> }>();

/** The feed in `dir`, loaded once and again whenever the directory's mtime changes. */
export async function loadFeed(dir: string): Promise<Feed> {
  const { mtimeMs } = await stat(dir);
  const cached = cache.get(dir);
  if (cached && cached.mtimeMs === mtimeMs) return cached.feed;
  const feed = readFeed(dir);
  cache.set(dir, { mtimeMs, feed });
  feed.catch(() => cache.delete(dir));
  return feed;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function readFeed(dir: string): Promise<Feed> {
  const feed: Feed = { dir, byName: new Map(), records: 0, skipped: 0 };
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.json')).sort();
  let newest = 0;
  for (let i = 0; i < files.length; i++) {
    if (i % 100 === 99) await yieldToLoop();
    let record: OsvRecord;
    try {
      record = JSON.parse(await readFile(join(dir, files[i]), 'utf8')) as OsvRecord;
    } catch {
      feed.skipped++;
      continue;
    }
    if (
      typeof record !== 'object' ||
      record === null ||
      typeof record.id !== 'string' ||
      !Array.isArray(record.affected)
    ) {
      feed.skipped++;
      continue;
    }
    if (record.withdrawn) continue;
    feed.records++;
    const modified = record.modified ? Date.parse(record.modified) : Number.NaN;
    if (Number.isFinite(modified)) newest = Math.max(newest, modified);
    for (const affected of record.affected) {
      const name = affected?.package?.name;
      if (typeof name !== 'string' || typeof affected.package?.ecosystem !== 'string') continue;
      const list = feed.byName.get(name) ?? [];
      list.push({ record, affected });
      feed.byName.set(name, list);
    }
  }
  if (newest > 0) feed.updatedAt = Math.floor(newest / 1000);
  return feed;
}

/** How an image's OS names its OSV ecosystem, and how that ecosystem orders versions. */
export interface Ecosystem {
  /** e.g. `Debian:12`, for messages. */
  label: string;
  matches(ecosystem: string): boolean;
  compare(a: string, b: string): number;
}

/** The OSV ecosystem of an image's OS, or undefined when Longshore knows none (no findings then). */
export function ecosystemOf(os: OsRelease | undefined): Ecosystem | undefined {
  if (!os?.versionId) return undefined;
  const v = os.versionId;
  const major = v.split('.')[0];
  const exact = (label: string, compare: (a: string, b: string) => number): Ecosystem => ({
    label,
    matches: (e) => e === label,
    compare,
  });
  switch (os.id) {
    case 'debian':
      return exact(`Debian:${major}`, compareDebian);
    case 'ubuntu':
      return {
        label: `Ubuntu:${v}`,
        matches: (e) => e === `Ubuntu:${v}` || e === `Ubuntu:${v}:LTS`,
        compare: compareDebian,
      };
    case 'alpine': {
      const [maj, min] = v.split('.');
      return min === undefined ? undefined : exact(`Alpine:v${maj}.${min}`, compareApk);
    }
    case 'rocky':
      return exact(`Rocky Linux:${major}`, compareRpm);
    case 'almalinux':
      return exact(`AlmaLinux:${major}`, compareRpm);
    case 'rhel': {
      const prefix = `Red Hat:enterprise_linux:${major}`;
      return {
        label: prefix,
        matches: (e) => e === prefix || e.startsWith(`${prefix}::`),
        compare: compareRpm,
      };
    }
    default:
      return undefined;
  }
}

/** The name and version an ecosystem's records use for a package (source packages for Debian and Alpine). */
function osvName(pkg: InstalledPackage): { name: string; version: string } {
  if (pkg.manager === 'dpkg')
    return { name: pkg.source ?? pkg.name, version: pkg.sourceVersion ?? pkg.version };
  if (pkg.manager === 'apk') return { name: pkg.source ?? pkg.name, version: pkg.version };
  return { name: pkg.name, version: pkg.version };
}

const INTRO_ZERO = '0';

/** OSV's range evaluation over one ECOSYSTEM range's events. */
export function inRange(
  events: OsvEvent[],
  version: string,
  compare: (a: string, b: string) => number,
): boolean {
  const keyed = events
    .map((e) => {
      const v = e.introduced ?? e.fixed ?? e.last_affected ?? e.limit;
      return typeof v === 'string' ? { e, v } : undefined;
    })
    .filter((x): x is { e: OsvEvent; v: string } => x !== undefined);
  const cmp = (a: string, b: string) =>
    a === INTRO_ZERO && b === INTRO_ZERO ? 0 : a === INTRO_ZERO ? -1 : b === INTRO_ZERO ? 1 : compare(a, b);
  keyed.sort((x, y) => cmp(x.v, y.v));
  let affected = false;
  for (const { e, v } of keyed) {
    if (e.introduced !== undefined) {
      if (cmp(v, version) <= 0) affected = true;
    } else if (e.fixed !== undefined) {
      if (cmp(v, version) <= 0) affected = false;
    } else if (e.last_affected !== undefined) {
      if (cmp(v, version) < 0) affected = false;
    } else if (e.limit !== undefined) {
      if (cmp(v, version) <= 0) affected = false;
    }
  }
  return affected;
}

function isAffected(a: OsvAffected, version: string, compare: (a: string, b: string) => number): boolean {
  if (
    Array.isArray(a.versions) &&
    a.versions.some((v) => typeof v === 'string' && compare(v, version) === 0)
  ) {
    return true;
  }
  for (const r of a.ranges ?? []) {
    if (r?.type === 'ECOSYSTEM' && Array.isArray(r.events) && inRange(r.events, version, compare))
      return true;
  }
  return false;
}

const WORDS: Record<string, Severity> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  important: 'HIGH',
  medium: 'MEDIUM',
  moderate: 'MEDIUM',
  low: 'LOW',
  negligible: 'INFORMATIONAL',
  unimportant: 'INFORMATIONAL',
};

/** CVSS v3.x base score from a vector (`CVSS:3.1/AV:N/AC:L/...`), or undefined when it is not one. */
export function cvss3BaseScore(vector: string): number | undefined {
  const m = new Map(
    vector
      .split('/')
      .slice(1)
      .map((p) => p.split(':') as [string, string]),
  );
  if (!/^CVSS:3\.[01]$/.test(vector.split('/')[0])) return undefined;
  const scope = m.get('S');
  const av = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 }[m.get('AV') ?? ''];
  const ac = { L: 0.77, H: 0.44 }[m.get('AC') ?? ''];
  const pr =
    scope === 'C'
      ? { N: 0.85, L: 0.68, H: 0.5 }[m.get('PR') ?? '']
      : { N: 0.85, L: 0.62, H: 0.27 }[m.get('PR') ?? ''];
  const ui = { N: 0.85, R: 0.62 }[m.get('UI') ?? ''];
  const cia = (k: string) => ({ H: 0.56, L: 0.22, N: 0 })[m.get(k) ?? ''];
  const [c, i, a] = [cia('C'), cia('I'), cia('A')];
  if (
    (scope !== 'U' && scope !== 'C') ||
    av === undefined ||
    ac === undefined ||
    pr === undefined ||
    ui === undefined ||
    c === undefined ||
    i === undefined ||
    a === undefined
  ) {
    return undefined;
  }
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  const raw =
    scope === 'U' ? Math.min(impact + exploitability, 10) : Math.min(1.08 * (impact + exploitability), 10);
  // CVSS 3.1's Roundup.
  const n = Math.round(raw * 100000);
  return n % 10000 === 0 ? n / 100000 : (Math.floor(n / 10000) + 1) / 10;
}

function rating(score: number): Severity {
  if (score === 0) return 'INFORMATIONAL';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

function word(value: unknown): Severity | undefined {
  return typeof value === 'string' ? WORDS[value.trim().toLowerCase()] : undefined;
}

/**
 * The distribution's own severity when the record carries one (ecosystem_specific or
 * database_specific `severity`/`urgency`), else the CVSS v3 vector's rating, else UNDEFINED.
 */
export function severityOf(
  record: OsvRecord,
  affected: OsvAffected,
): { severity: Severity; cvss?: { vector: string; score: number } } {
  const vectors = [...(affected.severity ?? []), ...(record.severity ?? [])];
  let cvss: { vector: string; score: number } | undefined;
  for (const s of vectors) {
    if (s?.type !== 'CVSS_V3' || typeof s.score !== 'string') continue;
    const score = cvss3BaseScore(s.score);
    if (score !== undefined) {
      cvss = { vector: s.score, score };
      break;
    }
  }
  const stated =
    word(affected.ecosystem_specific?.severity) ??
    word(affected.ecosystem_specific?.urgency) ??
    word(affected.database_specific?.severity) ??
    word(record.database_specific?.severity);
  if (stated) return { severity: stated, cvss };
  return { severity: cvss ? rating(cvss.score) : 'UNDEFINED', cvss };
}

function uriOf(record: OsvRecord): string {
  const refs = (record.references ?? []).filter((r) => typeof r?.url === 'string');
  return (
    (refs.find((r) => r.type === 'ADVISORY') ?? refs[0])?.url ?? `https://osv.dev/vulnerability/${record.id}`
  );
}

/** The findings of an inventory against a feed, most severe first. */
export function findingsFor(feed: Feed, ecosystem: Ecosystem, packages: InstalledPackage[]): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const pkg of packages) {
    const { name, version } = osvName(pkg);
    for (const { record, affected } of feed.byName.get(name) ?? []) {
      if (!ecosystem.matches(affected.package?.ecosystem ?? '')) continue;
      if (!isAffected(affected, version, ecosystem.compare)) continue;
      const key = `${record.id}\0${pkg.name}\0${pkg.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const { severity, cvss } = severityOf(record, affected);
      const attributes = [
        { key: 'package_version', value: pkg.version },
        { key: 'package_name', value: pkg.name },
      ];
      if (cvss) {
        attributes.push(
          { key: 'CVSS3_VECTOR', value: cvss.vector },
          { key: 'CVSS3_SCORE', value: String(cvss.score) },
        );
      }
      const description = record.summary ?? record.details;
      out.push({
        name: record.id,
        ...(description ? { description } : {}),
        uri: uriOf(record),
        severity,
        attributes,
      });
    }
  }
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  out.sort(
    (a, b) =>
      rank(a.severity) - rank(b.severity) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
      (a.attributes[1].value < b.attributes[1].value
        ? -1
        : a.attributes[1].value > b.attributes[1].value
          ? 1
          : 0),
  );
  return out;
}
