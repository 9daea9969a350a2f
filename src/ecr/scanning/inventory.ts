/**
 * An image's inventory: its layers applied in order as the OCI image spec's changesets say
 * (`.wh.<name>` deletes a lower layer's path, `.wh..wh..opq` empties a directory of what lower
 * layers put there), keeping only the files a scan reads (os-release and package databases), then
 * those files parsed. The layer walk streams; only the kept files are ever held in memory.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  type InstalledPackage,
  type OsRelease,
  type PackageManager,
  parseApkInstalled,
  parseDpkgStatus,
  parseOsRelease,
  parseRpmHeader,
  rpmPackage,
} from './databases.ts';
import type { TarEntry, TarHeader } from './tar.ts';

const OS_RELEASE = ['etc/os-release', 'usr/lib/os-release'];
const DPKG_STATUS = 'var/lib/dpkg/status';
const DPKG_STATUS_D = 'var/lib/dpkg/status.d/';
const APK_INSTALLED = 'lib/apk/db/installed';
const RPM_SQLITE = ['var/lib/rpm/rpmdb.sqlite', 'usr/lib/sysimage/rpm/rpmdb.sqlite'];
/** rpm databases Longshore does not read (BerkeleyDB, ndb): recorded, never guessed at. */
const RPM_UNSUPPORTED = [
  'var/lib/rpm/Packages',
  'usr/lib/sysimage/rpm/Packages',
  'var/lib/rpm/Packages.db',
  'usr/lib/sysimage/rpm/Packages.db',
];
const WANTED = new Set([...OS_RELEASE, DPKG_STATUS, APK_INSTALLED, ...RPM_SQLITE, ...RPM_UNSUPPORTED]);

/** Whether a scan keeps this path's body. */
export function isWanted(path: string): boolean {
  if (WANTED.has(path)) return true;
  if (path.startsWith(DPKG_STATUS_D)) {
    const rest = path.slice(DPKG_STATUS_D.length);
    return rest !== '' && !rest.includes('/') && !rest.endsWith('.md5sums');
  }
  return false;
}

/** Whether to read the body into memory (unsupported databases only need to be seen). */
export function keepBody(header: TarHeader): boolean {
  return isWanted(header.path) && !RPM_UNSUPPORTED.includes(header.path);
}

interface Node {
  layer: number;
  data?: Buffer;
  symlink?: string;
}

/** The kept files of an image's merged filesystem. */
export class LayerFs {
  readonly #files = new Map<string, Node>();

  #removeLower(path: string, layer: number, self: boolean): void {
    for (const [p, n] of this.#files) {
      if (n.layer >= layer) continue;
      if ((self && p === path) || p.startsWith(path === '' ? '' : `${path}/`)) this.#files.delete(p);
    }
  }

  /** Applies one entry of layer number `layer` (layers applied lowest first). */
  apply(layer: number, entry: TarEntry): void {
    const dir = posix.dirname(entry.path);
    const base = posix.basename(entry.path);
    const parent = dir === '.' ? '' : dir;
    if (base === '.wh..wh..opq') {
      this.#removeLower(parent, layer, false);
      return;
    }
    if (base.startsWith('.wh.')) {
      const target = parent === '' ? base.slice(4) : `${parent}/${base.slice(4)}`;
      this.#removeLower(target, layer, true);
      return;
    }
    // Anything but a directory replaces what lower layers had below this path.
    if (entry.type !== 'directory') this.#removeLower(entry.path, layer, false);
    if (!isWanted(entry.path)) return;
    if (entry.type === 'file') this.#files.set(entry.path, { layer, data: entry.data });
    else if (entry.type === 'symlink') this.#files.set(entry.path, { layer, symlink: entry.linkname });
    else if (entry.type === 'link') {
      const target = this.#files.get(entry.linkname.replace(/^\.?\/+/, ''));
      if (target) this.#files.set(entry.path, { ...target, layer });
      else this.#files.delete(entry.path);
    } else this.#files.delete(entry.path);
  }

  /** A kept file's bytes, following a symlink among kept files; undefined when absent. */
  read(path: string, depth = 0): Buffer | undefined {
    const n = this.#files.get(path);
    if (!n || depth > 8) return undefined;
    if (n.symlink !== undefined) {
      const target = n.symlink.startsWith('/')
        ? n.symlink.slice(1)
        : posix.normalize(posix.join(posix.dirname(path), n.symlink));
      return this.read(target, depth + 1);
    }
    return n.data;
  }

  has(path: string): boolean {
    return this.#files.has(path);
  }

  paths(): string[] {
    return [...this.#files.keys()].sort();
  }
}

export interface Inventory {
  os?: OsRelease;
  /** The databases read, e.g. `dpkg`. */
  managers: PackageManager[];
  packages: InstalledPackage[];
  /** Package databases found but not read, with why (`var/lib/rpm/Packages: BerkeleyDB`). */
  unsupported: string[];
}

/** Parses the kept files into an inventory. */
export async function inventoryOf(fs: LayerFs): Promise<Inventory> {
  const inventory: Inventory = { managers: [], packages: [], unsupported: [] };
  for (const p of OS_RELEASE) {
    const bytes = fs.read(p);
    const os = bytes ? parseOsRelease(bytes.toString('utf8')) : undefined;
    if (os) {
      inventory.os = os;
      break;
    }
  }
  const dpkg: InstalledPackage[] = [];
  let sawDpkg = false;
  const status = fs.read(DPKG_STATUS);
  if (status) {
    sawDpkg = true;
    dpkg.push(...parseDpkgStatus(status.toString('utf8')));
  }
  for (const p of fs.paths()) {
    if (!p.startsWith(DPKG_STATUS_D)) continue;
    const bytes = fs.read(p);
    if (!bytes) continue;
    sawDpkg = true;
    dpkg.push(...parseDpkgStatus(bytes.toString('utf8')));
  }
  if (sawDpkg) {
    inventory.managers.push('dpkg');
    inventory.packages.push(...dpkg);
  }
  const apk = fs.read(APK_INSTALLED);
  if (apk) {
    inventory.managers.push('apk');
    inventory.packages.push(...parseApkInstalled(apk.toString('utf8')));
  }
  let sawRpm = false;
  for (const p of RPM_SQLITE) {
    const bytes = fs.read(p);
    if (!bytes || sawRpm) continue;
    try {
      inventory.packages.push(...(await readRpmSqlite(bytes)));
      inventory.managers.push('rpm');
      sawRpm = true;
    } catch (error) {
      inventory.unsupported.push(`${p}: not a readable rpmdb.sqlite (${(error as Error).message})`);
    }
  }
  if (!sawRpm) {
    for (const p of RPM_UNSUPPORTED) {
      if (!fs.has(p)) continue;
      inventory.unsupported.push(
        `${p}: ${p.endsWith('.db') ? 'ndb' : 'BerkeleyDB'} rpm databases are not read (only rpmdb.sqlite)`,
      );
    }
  }
  inventory.packages.sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0,
  );
  return inventory;
}

/** The packages of an rpmdb.sqlite (rpm >= 4.16): one header blob per row of `Packages`. */
export async function readRpmSqlite(bytes: Buffer): Promise<InstalledPackage[]> {
  const dir = await mkdtemp(join(tmpdir(), 'longshore-rpmdb-'));
  try {
    const path = join(dir, 'rpmdb.sqlite');
    await writeFile(path, bytes);
    // Our own copy, opened read-write so a WAL-mode database needs no existing -shm file.
    const db = new DatabaseSync(path);
    try {
      const out: InstalledPackage[] = [];
      for (const row of db.prepare('SELECT blob FROM Packages').iterate()) {
        const blob = (row as { blob?: unknown }).blob;
        if (!(blob instanceof Uint8Array)) continue;
        const header = parseRpmHeader(blob);
        const pkg = header ? rpmPackage(header) : undefined;
        if (pkg) out.push(pkg);
      }
      return out;
    } finally {
      db.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
