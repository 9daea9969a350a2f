/**
 * The image the task-role tests run Node in: BusyBox plus the shared libraries the project's own
 * Node binary needs (read from `ldd`), imported with `docker import` (no registry is reachable).
 * The binary and the SDK come from this checkout's node_modules, bind-mounted read-only into the
 * task (`NODE_MODULES_DIR` at /app/node_modules), so the image stays a few MB and never goes stale.
 */
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const NODE_IMAGE = 'longshore-test/node-libs:latest';
/** This checkout's node_modules (holds the Node binary at node/bin/node and the AWS SDK). */
export const NODE_MODULES_DIR = realpathSync(fileURLToPath(new URL('../../node_modules', import.meta.url)));
/** Where tasks find Node once NODE_MODULES_DIR is mounted at /app/node_modules. */
export const NODE_IN_TASK = '/app/node_modules/node/bin/node';

export async function ensureNodeImage(): Promise<void> {
  if (spawnSync('docker', ['image', 'inspect', NODE_IMAGE]).status === 0) return;
  const root = mkdtempSync(join(tmpdir(), 'longshore-node-image-'));
  try {
    for (const dir of ['bin', 'tmp', 'etc', 'proc', 'sys', 'dev', 'app']) mkdirSync(join(root, dir));
    copyFileSync('/bin/busybox', join(root, 'bin/busybox'));
    for (const applet of ['sh', 'sleep', 'wget', 'cat', 'env', 'echo'])
      symlinkSync('busybox', join(root, 'bin', applet));
    const { stdout } = await run('ldd', [join(NODE_MODULES_DIR, 'node/bin/node')]);
    for (const lib of stdout.matchAll(/(\/\S+\.so[.\d]*)/g)) {
      const path = lib[1]!;
      mkdirSync(join(root, dirname(path)), { recursive: true });
      copyFileSync(realpathSync(path), join(root, path));
    }
    await run('tar', ['-C', root, '-cf', `${root}.tar`, '.']);
    await run('docker', [
      'import',
      '--change',
      'ENV PATH=/bin',
      '--change',
      'WORKDIR /app',
      `${root}.tar`,
      NODE_IMAGE,
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(`${root}.tar`, { force: true });
  }
}
