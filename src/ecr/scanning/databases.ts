/**
 * The package databases a scan reads, parsed from their bytes: Debian's `var/lib/dpkg/status` (and
 * distroless `status.d/` files), Alpine's `lib/apk/db/installed`, RPM headers (as rpmdb.sqlite's
 * Packages table stores them) and `/etc/os-release`. Pure: bytes in, records out.
 */

export type PackageManager = 'dpkg' | 'apk' | 'rpm';

/** One installed package. */
export interface InstalledPackage {
  manager: PackageManager;
  /** The binary package's name. */
  name: string;
  /** Its version as the manager prints it (rpm: `[epoch:]version-release`). */
  version: string;
  arch?: string;
  /** The source package (dpkg `Source:`, apk `o:` origin, rpm SOURCERPM's name). */
  source?: string;
  /** dpkg: the source version when `Source:` names one that differs from the binary's. */
  sourceVersion?: string;
}

export interface OsRelease {
  id: string;
  versionId?: string;
  prettyName?: string;
  idLike?: string[];
}

/** os-release(5): `KEY=value` lines, values optionally quoted. */
export function parseOsRelease(text: string): OsRelease | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2].trim();
    const q = value[0];
    if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) {
      value = value.slice(1, -1).replace(/\\(["'$`\\])/g, '$1');
    }
    fields.set(m[1], value);
  }
  const id = fields.get('ID');
  if (!id) return undefined;
  return {
    id: id.toLowerCase(),
    versionId: fields.get('VERSION_ID') || undefined,
    prettyName: fields.get('PRETTY_NAME') || undefined,
    idLike: fields.get('ID_LIKE')?.split(/\s+/).filter(Boolean),
  };
}

/** Stanzas of `Field: value` lines (continuations start with a space), separated by blank lines. */
function deb822(text: string): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  let current = new Map<string, string>();
  let last: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') {
      if (current.size > 0) out.push(current);
      current = new Map();
      last = undefined;
      continue;
    }
    if ((line[0] === ' ' || line[0] === '\t') && last) {
      current.set(last, `${current.get(last)}\n${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim();
    current.set(last, line.slice(colon + 1).trim());
  }
  if (current.size > 0) out.push(current);
  return out;
}

/**
 * dpkg's status database (or one distroless `status.d/` file): the packages whose status is
 * `installed` (a stanza without `Status:`, as distroless writes them, counts as installed).
 */
export function parseDpkgStatus(text: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  for (const s of deb822(text)) {
    const name = s.get('Package');
    const version = s.get('Version');
    if (!name || !version) continue;
    const status = s.get('Status');
    if (status !== undefined && status.split(/\s+/).at(-1) !== 'installed') continue;
    const pkg: InstalledPackage = { manager: 'dpkg', name, version };
    const arch = s.get('Architecture');
    if (arch) pkg.arch = arch;
    const source = s.get('Source');
    if (source) {
      const m = /^(\S+)(?:\s+\(([^)]+)\))?/.exec(source);
      if (m) {
        pkg.source = m[1];
        if (m[2]) pkg.sourceVersion = m[2].trim();
      }
    }
    out.push(pkg);
  }
  return out;
}

/** apk's installed database: `X:value` lines (P name, V version, A arch, o origin), blank-line separated. */
export function parseApkInstalled(text: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  let fields = new Map<string, string>();
  const flush = () => {
    const name = fields.get('P');
    const version = fields.get('V');
    if (name && version) {
      const pkg: InstalledPackage = { manager: 'apk', name, version };
      const arch = fields.get('A');
      if (arch) pkg.arch = arch;
      const origin = fields.get('o');
      if (origin) pkg.source = origin;
      out.push(pkg);
    }
    fields = new Map();
  };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line === '') {
      flush();
      continue;
    }
    if (line[1] !== ':') continue;
    const key = line[0];
    // Only the first of a repeated key (per-file lines repeat; P/V/A/o never do).
    if (!fields.has(key)) fields.set(key, line.slice(2));
  }
  flush();
  return out;
}

// RPM header tags and types (rpm's lib/rpmtag.h).
const TAG_NAME = 1000;
const TAG_VERSION = 1001;
const TAG_RELEASE = 1002;
const TAG_EPOCH = 1003;
const TAG_ARCH = 1022;
const TAG_SOURCERPM = 1044;
const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_STRING_ARRAY = 8;
const TYPE_I18NSTRING = 9;

export interface RpmHeader {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  arch?: string;
  sourceRpm?: string;
}

/**
 * An RPM header as rpmdb stores it (no lead, no magic): big-endian index count and data length,
 * 16-byte index entries (tag, type, offset, count), then the data. Reads the tags a package is
 * named by; undefined when the blob is not a header or lacks a name, version or release.
 */
export function parseRpmHeader(blob: Uint8Array): RpmHeader | undefined {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < 8) return undefined;
  const il = buf.readUInt32BE(0);
  const dl = buf.readUInt32BE(4);
  const dataStart = 8 + il * 16;
  if (il > 0x10000 || dataStart + dl > buf.length) return undefined;
  const strings = new Map<number, string>();
  const ints = new Map<number, number>();
  for (let i = 0; i < il; i++) {
    const at = 8 + i * 16;
    const tag = buf.readUInt32BE(at);
    const type = buf.readUInt32BE(at + 4);
    const offset = buf.readInt32BE(at + 8);
    if (offset < 0 || offset >= dl) continue;
    const pos = dataStart + offset;
    if (type === TYPE_STRING || type === TYPE_I18NSTRING || type === TYPE_STRING_ARRAY) {
      const end = buf.indexOf(0, pos);
      if (end === -1 || end > dataStart + dl) continue;
      strings.set(tag, buf.toString('utf8', pos, end));
    } else if (type === TYPE_INT32 && pos + 4 <= dataStart + dl) {
      ints.set(tag, buf.readInt32BE(pos));
    }
  }
  const name = strings.get(TAG_NAME);
  const version = strings.get(TAG_VERSION);
  const release = strings.get(TAG_RELEASE);
  if (!name || version === undefined || release === undefined) return undefined;
  const header: RpmHeader = { name, version, release };
  const epoch = ints.get(TAG_EPOCH);
  if (epoch !== undefined) header.epoch = epoch;
  const arch = strings.get(TAG_ARCH);
  if (arch) header.arch = arch;
  const sourceRpm = strings.get(TAG_SOURCERPM);
  if (sourceRpm) header.sourceRpm = sourceRpm;
  return header;
}

/** An installed package from an RPM header; `gpg-pubkey` entries (imported keys) are not packages. */
export function rpmPackage(h: RpmHeader): InstalledPackage | undefined {
  if (h.name === 'gpg-pubkey' && !h.arch) return undefined;
  const pkg: InstalledPackage = {
    manager: 'rpm',
    name: h.name,
    version: `${h.epoch ? `${h.epoch}:` : ''}${h.version}-${h.release}`,
  };
  if (h.arch) pkg.arch = h.arch;
  const src = h.sourceRpm ? /^(.+)-[^-]+-[^-]+\.(?:no)?src\.rpm$/.exec(h.sourceRpm) : null;
  if (src) pkg.source = src[1];
  return pkg;
}
