/**
 * A signal delivered twice at once (a supervisor signalling the wrapper, which forwards it, and
 * the child; `pkill -f`) is one request to stop: the clean stop runs to the end and the exit code
 * says so. (Before, the second copy cut the stop short with exit 1, leaving the agent's rules.)
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { startCli } from '../support/spawn-cli.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'longshore-shutdown-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

it('treats SIGTERM delivered twice at once as one clean stop', async () => {
  // `up` with its agent: the stop takes long enough (agent, metadata route, Docker) for the
  // second copy to arrive mid-stop. Two signals sent back to back would merge into one.
  const p = await startCli(['up', '--port', '0', '--metadata-port', '0', '--data-dir', dataDir]);
  await new Promise((r) => setTimeout(r, 500));
  p.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 20));
  p.child.kill('SIGTERM');
  const [code] = (await once(p.child, 'exit')) as [number | null];
  assert.equal(code, 0, p.output());
  assert.doesNotMatch(p.output(), /second signal/);
});
