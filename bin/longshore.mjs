#!/usr/bin/env node
// Runs the longshore CLI (TypeScript, run by Node 24's type stripping) in a child Node 24:
// the project's own Node (the `node` npm package) when the one on PATH is older. The child gets
// a compile cache (so later starts skip re-compiling), and its exit code (128 + the signal's number
// when a signal ended it) becomes this process's.
// Signals: the child runs in a process group of its own, so a signal sent to this process's group
// (Ctrl-C in a terminal, `kill -- -PGID`) reaches it once, passed on from here, and not twice (a
// second SIGINT means "stop now, skip the clean shutdown"). It exits by itself when this process
// dies, even by SIGKILL, which cannot be passed on: it watches the IPC channel opened here
// (src/cli/parent-watch.ts), which disconnects when this process ends.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { constants, homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'src', 'cli', 'main.ts');
let node = process.execPath;
if (Number(process.versions.node.split('.')[0]) < 24) {
  const require = createRequire(join(root, 'package.json'));
  node = join(dirname(require.resolve('node/package.json')), 'bin', 'node');
}
const cache =
  process.env.NODE_COMPILE_CACHE ??
  join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'longshore', 'node');
// Memory (docs/performance.md, "Where the memory goes"): a young generation capped at 4 MiB per
// semi-space (V8's default lets it grow to 16 MiB and keeps it committed while idle), two V8
// helper threads instead of four, and two malloc arenas instead of one per thread. Each costs no
// measurable throughput on the API benchmark; together they take ~25 MiB off an idle process.
const V8_FLAGS = ['--max-semi-space-size=4', '--v8-pool-size=2'];
const child = spawn(
  node,
  ['--disable-warning=ExperimentalWarning', ...V8_FLAGS, main, ...process.argv.slice(2)],
  {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    detached: true,
    env: { MALLOC_ARENA_MAX: '2', ...process.env, NODE_COMPILE_CACHE: cache },
  },
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) =>
  process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1)),
);
