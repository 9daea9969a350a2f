#!/usr/bin/env node
// Runs the longshore CLI on Node 24: the project's own Node (the `node` npm package) when the
// Node on PATH is older, because Longshore runs its TypeScript sources with Node's type stripping.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'src', 'cli', 'main.ts');
const major = Number(process.versions.node.split('.')[0]);
let node = process.execPath;
if (major < 24) {
  const require = createRequire(join(root, 'package.json'));
  node = join(dirname(require.resolve('node/package.json')), 'bin', 'node');
}
const result = spawnSync(node, ['--disable-warning=ExperimentalWarning', main, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
