/**
 * Image scanning's inventory and findings, on images built here as OCI blobs: tar layers (gzip,
 * plain, zstd) with dpkg, apk and rpm databases and os-release, whiteouts, and the fixture OSV feed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { type BlobStore, blobStoreFor } from '../../src/ecr/model/blob-store.ts';
import type { EcrContext, ImageRecord } from '../../src/ecr/model/records.ts';
import { parseDpkgStatus, parseRpmHeader } from '../../src/ecr/scanning/databases.ts';
import { cvss3BaseScore, inRange } from '../../src/ecr/scanning/osv.ts';
import { scanImage } from '../../src/ecr/scanning/scanner.ts';
import { readTar } from '../../src/ecr/scanning/tar.ts';
import { compareDebian } from '../../src/ecr/scanning/versions.ts';

const FEED = join(import.meta.dirname, 'fixtures', 'osv');

type TarItem = { path: string; data?: string | Buffer; symlink?: string; dir?: boolean };

/** A ustar archive of `items` (long names through pax headers). */
function tar(items: TarItem[]): Buffer {
  const blocks: Buffer[] = [];
  const header = (name: string, size: number, flag: string, link = '') => {
    const h = Buffer.alloc(512);
    h.write(name.slice(0, 100), 0);
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write(flag, 156);
    h.write(link, 157);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    return h;
  };
  const body = (data: Buffer) => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
  for (const item of items) {
    if (item.path.length > 100) {
      const record = ` path=${item.path}\n`;
      let len = record.length + 2;
      len = `${len}${record}`.length;
      const pax = Buffer.from(`${len}${record}`);
      blocks.push(header('PaxHeader', pax.length, 'x'), body(pax));
    }
    if (item.dir) blocks.push(header(item.path, 0, '5'));
    else if (item.symlink !== undefined) blocks.push(header(item.path, 0, '2', item.symlink));
    else {
      const data = Buffer.isBuffer(item.data) ? item.data : Buffer.from(item.data ?? '');
      blocks.push(header(item.path, data.length, '0'), body(data));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

const DEBIAN_OS =
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n';
const ALPINE_OS = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n';
const DPKG_STATUS = `Package: libssl3
Status: install ok installed
Architecture: amd64
Source: openssl
Version: 3.0.11-1~deb12u1
Description: Secure Sockets Layer toolkit - shared libraries
 This package is part of the OpenSSL project.

Package: zlib1g
Status: install ok installed
Architecture: amd64
Source: zlib
Version: 1:1.2.13.dfsg-1

Package: tzdata
Status: install ok installed
Architecture: all
Version: 2024a-0+deb12u1

Package: removed-thing
Status: deinstall ok config-files
Version: 1.0-1
`;
const APK_INSTALLED = `C:Q1abc=
P:libssl3
V:3.1.4-r1
A:x86_64
o:openssl
F:usr/lib
R:libssl.so.3

P:musl
V:1.2.4_git20230717-r4
A:x86_64
o:musl
`;

describe('image scanning: inventory and findings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'longshore-scan-'));
  const blobs: BlobStore = blobStoreFor(join(dir, 'registry'));
  let n = 0;
  after(() => rmSync(dir, { recursive: true, force: true }));

  const put = async (bytes: Buffer) => ({
    digest: await blobs.putBytes(bytes, `t-${n++}`),
    size: bytes.length,
  });

  /** Stores an OCI image of `layers` (already compressed as they should be); returns its record. */
  async function image(layers: Buffer[], os = 'linux'): Promise<ImageRecord> {
    const config = await put(
      Buffer.from(JSON.stringify({ architecture: 'amd64', os, rootfs: { type: 'layers' } })),
    );
    const ls = [];
    for (const l of layers)
      ls.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...(await put(l)) });
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: ls,
      }),
    );
    const m = await put(manifest);
    return {
      repositoryName: 'test',
      imageDigest: m.digest,
      imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
      manifestSize: m.size,
      imageSizeInBytes: 0,
      imagePushedAt: 1,
      references: [],
    };
  }
  const ctx = (feed?: string) => ({ vulnerabilityFeedDir: feed }) as EcrContext;

  const debianBase = () =>
    gzipSync(
      tar([
        { path: 'etc', dir: true },
        { path: 'etc/os-release', symlink: '../usr/lib/os-release' },
        { path: 'usr/lib/os-release', data: DEBIAN_OS },
        { path: 'var/lib/dpkg/status', data: DPKG_STATUS },
        { path: 'lib/apk/db/installed', data: APK_INSTALLED },
        { path: 'usr/bin/big', data: Buffer.alloc(300_000, 7) },
      ]),
    );

  it('streams a tar, keeping only the bodies asked for, with pax long names', async () => {
    const long = `var/${'x'.repeat(120)}/file`;
    const entries = [];
    const bytes = tar([
      { path: long, data: 'long' },
      { path: './var/lib/dpkg/status', data: 'kept' },
    ]);
    // Delivered in awkward chunks, as a stream would.
    const chunks = async function* () {
      for (let i = 0; i < bytes.length; i += 333) yield bytes.subarray(i, i + 333);
    };
    for await (const e of readTar(chunks(), (h) => h.path === 'var/lib/dpkg/status')) entries.push(e);
    assert.deepEqual(
      entries.map((e) => [e.path, e.data?.toString()]),
      [
        [long, undefined],
        ['var/lib/dpkg/status', 'kept'],
      ],
    );
  });

  it('inventories dpkg packages (installed only, with their source) and os-release through a symlink', async () => {
    // The apk database of layer 1 is whited out by layer 2 (a plain tar); layer 3 is zstd.
    const img = await image([
      debianBase(),
      tar([{ path: 'lib/apk/db/.wh.installed', data: '' }]),
      zstdCompressSync(tar([{ path: 'srv/app', data: 'hello' }])),
    ]);
    const result = await scanImage(ctx(), blobs, img);
    assert.equal(result.status, 'COMPLETE');
    assert.equal(
      result.description,
      'The scan was completed successfully. Longshore: 3 dpkg packages inventoried (debian 12); no vulnerability feed is configured (longshore up --vulnerability-feed DIR), so there are no findings.',
    );
    assert.deepEqual(result.inventory?.managers, ['dpkg']);
    assert.equal(result.inventory?.os?.id, 'debian');
    assert.equal(result.inventory?.os?.versionId, '12');
    assert.deepEqual(
      result.inventory?.packages.map((p) => `${p.name}=${p.version}${p.source ? ` (${p.source})` : ''}`),
      ['libssl3=3.0.11-1~deb12u1 (openssl)', 'tzdata=2024a-0+deb12u1', 'zlib1g=1:1.2.13.dfsg-1 (zlib)'],
    );
    assert.deepEqual(result.findings, [], 'no feed: no findings');
    assert.equal(result.vulnerabilitySourceUpdatedAt, undefined);
  });

  it('honours opaque whiteouts: status.d files of lower layers are gone', async () => {
    const img = await image([
      gzipSync(
        tar([
          { path: 'etc/os-release', data: DEBIAN_OS },
          { path: 'var/lib/dpkg/status.d/base', data: 'Package: base-files\nVersion: 12.4+deb12u5\n' },
          { path: 'var/lib/dpkg/status.d/base.md5sums', data: 'abc  etc/debian_version\n' },
        ]),
      ),
      gzipSync(
        tar([
          { path: 'var/lib/dpkg/status.d/netbase', data: 'Package: netbase\nVersion: 6.4\n' },
          { path: 'var/lib/dpkg/status.d/.wh..wh..opq', data: '' },
        ]),
      ),
    ]);
    const result = await scanImage(ctx(), blobs, img);
    assert.deepEqual(
      result.inventory?.packages.map((p) => p.name),
      ['netbase'],
    );
  });

  it('a whiteout of the whole database directory leaves no database: UnsupportedImageError', async () => {
    const img = await image([debianBase(), tar([{ path: 'var/lib/.wh.dpkg' }, { path: 'lib/apk/.wh.db' }])]);
    const result = await scanImage(ctx(FEED), blobs, img);
    assert.equal(result.status, 'FAILED');
    assert.match(
      result.description ?? '',
      /^UnsupportedImageError: The operating system and\/or package manager are not supported\./,
    );
  });

  it('finds what the feed lists for the image ecosystem, and nothing else', async () => {
    const img = await image([debianBase(), tar([{ path: 'lib/apk/db/.wh.installed' }])]);
    const result = await scanImage(ctx(FEED), blobs, img);
    assert.equal(result.status, 'COMPLETE');
    assert.deepEqual(
      result.findings?.map((f) => [
        f.name,
        f.severity,
        f.attributes.find((a) => a.key === 'package_name')?.value,
      ]),
      [
        // openssl's source fix 3.0.11-1~deb12u2 is above the installed 3.0.11-1~deb12u1; CVSS 7.5.
        ['DSA-5532-1', 'HIGH', 'libssl3'],
        // listed in `versions`, Debian's own urgency "unimportant".
        ['DEBIAN-CVE-2024-0001', 'INFORMATIONAL', 'tzdata'],
      ],
    );
    // Not found: zlib's fix 1:1.2.11.dfsg-4 is below the installed 1:1.2.13.dfsg-1; DLA-3530-1 is
    // Debian 11's; PYSEC-2023-0001 is PyPI's tzdata.
    const dsa = result.findings?.[0];
    assert.equal(dsa?.uri, 'https://www.debian.org/security/2023/dsa-5532');
    assert.deepEqual(dsa?.attributes, [
      { key: 'package_version', value: '3.0.11-1~deb12u1' },
      { key: 'package_name', value: 'libssl3' },
      { key: 'CVSS3_VECTOR', value: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' },
      { key: 'CVSS3_SCORE', value: '7.5' },
    ]);
    assert.equal(result.vulnerabilitySourceUpdatedAt, Date.parse('2024-03-02T10:15:00Z') / 1000);
  });

  it('inventories an Alpine image and matches by origin with apk ordering', async () => {
    const img = await image([
      gzipSync(
        tar([
          { path: 'etc/os-release', data: ALPINE_OS },
          { path: 'lib/apk/db/installed', data: APK_INSTALLED },
        ]),
      ),
    ]);
    const result = await scanImage(ctx(FEED), blobs, img);
    assert.deepEqual(result.inventory?.managers, ['apk']);
    assert.deepEqual(
      result.inventory?.packages.map((p) => `${p.name}=${p.version}`),
      ['libssl3=3.1.4-r1', 'musl=1.2.4_git20230717-r4'],
    );
    assert.deepEqual(
      result.findings?.map((f) => [f.name, f.severity, f.uri]),
      [['ALPINE-CVE-2024-0727', 'UNDEFINED', 'https://security.alpinelinux.org/vuln/CVE-2024-0727']],
    );
  });

  /** An RPM header blob as rpmdb.sqlite stores it. */
  function rpmHeader(tags: [number, number, string | number][]): Buffer {
    const index: Buffer[] = [];
    const data: Buffer[] = [];
    let offset = 0;
    for (const [tag, type, value] of tags) {
      let bytes: Buffer;
      if (type === 4) {
        const pad = (4 - (offset % 4)) % 4;
        if (pad) {
          data.push(Buffer.alloc(pad));
          offset += pad;
        }
        bytes = Buffer.alloc(4);
        bytes.writeInt32BE(value as number);
      } else bytes = Buffer.from(`${value}\0`);
      const e = Buffer.alloc(16);
      e.writeUInt32BE(tag, 0);
      e.writeUInt32BE(type, 4);
      e.writeUInt32BE(offset, 8);
      e.writeUInt32BE(1, 12);
      index.push(e);
      data.push(bytes);
      offset += bytes.length;
    }
    const head = Buffer.alloc(8);
    head.writeUInt32BE(tags.length, 0);
    head.writeUInt32BE(offset, 4);
    return Buffer.concat([head, ...index, ...data]);
  }

  it('reads rpmdb.sqlite headers (name, epoch, version, release, arch); BerkeleyDB is unsupported', async () => {
    const dbPath = join(dir, 'rpmdb.sqlite');
    const db = new DatabaseSync(dbPath);
    db.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO Packages (blob) VALUES (?)');
    insert.run(
      rpmHeader([
        [1000, 6, 'openssl-libs'],
        [1001, 6, '3.0.7'],
        [1002, 6, '27.el9'],
        [1003, 4, 1],
        [1022, 6, 'x86_64'],
        [1044, 6, 'openssl-3.0.7-27.el9.src.rpm'],
      ]),
    );
    insert.run(
      rpmHeader([
        [1000, 6, 'bash'],
        [1001, 6, '5.1.8'],
        [1002, 6, '9.el9'],
        [1022, 6, 'x86_64'],
      ]),
    );
    insert.run(
      rpmHeader([
        [1000, 6, 'gpg-pubkey'],
        [1001, 6, 'fd431d51'],
        [1002, 6, '4ae0493b'],
      ]),
    );
    db.close();
    const { readFileSync } = await import('node:fs');
    const img = await image([
      gzipSync(
        tar([
          { path: 'etc/os-release', data: 'ID="rocky"\nVERSION_ID="9.3"\n' },
          { path: 'var/lib/rpm/rpmdb.sqlite', data: readFileSync(dbPath) },
        ]),
      ),
    ]);
    const result = await scanImage(ctx(), blobs, img);
    assert.equal(result.status, 'COMPLETE');
    assert.deepEqual(
      result.inventory?.packages.map((p) => `${p.name}=${p.version}.${p.arch} (${p.source ?? '-'})`),
      ['bash=5.1.8-9.el9.x86_64 (-)', 'openssl-libs=1:3.0.7-27.el9.x86_64 (openssl)'],
    );
    assert.equal(parseRpmHeader(Buffer.from('not a header at all')), undefined);

    const bdb = await image([
      gzipSync(
        tar([
          { path: 'etc/os-release', data: 'ID="centos"\nVERSION_ID="7"\n' },
          { path: 'var/lib/rpm/Packages', data: Buffer.alloc(4096, 1) },
        ]),
      ),
    ]);
    const failed = await scanImage(ctx(), blobs, bdb);
    assert.equal(failed.status, 'FAILED');
    assert.match(failed.description ?? '', /var\/lib\/rpm\/Packages: BerkeleyDB rpm databases are not read/);
  });

  it('fails images with no package database (scratch) and non-Linux images as unsupported', async () => {
    const scratch = await image([gzipSync(tar([{ path: 'app', data: 'binary' }]))]);
    assert.equal((await scanImage(ctx(), blobs, scratch)).status, 'FAILED');
    const windows = await image([debianBase()], 'windows');
    assert.equal((await scanImage(ctx(), blobs, windows)).status, 'FAILED');
  });

  it('fails a scan whose layer is not a tar, saying so', async () => {
    const img = await image([gzipSync(Buffer.from('this is not a tar archive, just text'.repeat(20)))]);
    // The scanner records this as FAILED with the message (scanning-api's test sees the record).
    await assert.rejects(scanImage(ctx(), blobs, img), /is not a readable tar: bad octal field/);
  });

  it('evaluates OSV ranges: introduced / fixed / last_affected', () => {
    const events = [
      { introduced: '1.0-1' },
      { fixed: '1.0-3' },
      { introduced: '2.0-1' },
      { last_affected: '2.0-5' },
    ];
    const affected = (v: string) => inRange(events, v, compareDebian);
    assert.deepEqual(['0.9-1', '1.0-1', '1.0-2', '1.0-3', '1.5-1', '2.0-1', '2.0-5', '2.0-6'].map(affected), [
      false,
      true,
      true,
      false,
      false,
      true,
      true,
      false,
    ]);
  });

  it('scores CVSS 3.1 vectors as the specification does', () => {
    assert.equal(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), 9.8);
    assert.equal(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N'), 6.1);
    assert.equal(cvss3BaseScore('CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H'), 7.8);
    assert.equal(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N'), 0);
    assert.equal(cvss3BaseScore('CVSS:4.0/AV:N'), undefined);
  });

  it('keeps only installed dpkg stanzas and reads Source versions', () => {
    const pkgs = parseDpkgStatus(
      'Package: libc6\nStatus: install ok installed\nSource: glibc (2.36-9+deb12u4)\nVersion: 2.36-9+deb12u4\n\n' +
        'Package: gone\nStatus: purge ok not-installed\nVersion: 1\n',
    );
    assert.deepEqual(pkgs, [
      {
        manager: 'dpkg',
        name: 'libc6',
        version: '2.36-9+deb12u4',
        source: 'glibc',
        sourceVersion: '2.36-9+deb12u4',
      },
    ]);
  });
});
