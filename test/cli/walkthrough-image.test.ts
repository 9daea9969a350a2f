/**
 * A new user has an image to run: `npm start` (scripts/start.sh) builds the BusyBox image the README
 * walkthrough uses, and `longshore up` on a Docker Engine without it says how to make it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BUILD_SCRIPT, WALKTHROUGH_IMAGE } from '../../src/cli/walkthrough-image.ts';
import { docker, ensureDocker, uniqueId } from '../agent/docker-helpers.ts';
import { PrivateDockerd } from '../agent/private-dockerd.ts';
import { removeAgentContainers } from '../support/agents.ts';
import { TEST_CREDENTIALS } from '../support/control-plane.ts';
import { startCli, stopCli } from '../support/spawn-cli.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const HINT = new RegExp(
  `no ${WALKTHROUGH_IMAGE}, the image the README walkthrough runs: build it with\\n\\s+bash ${BUILD_SCRIPT}`,
);

describe('the walkthrough image', { timeout: 180_000 }, () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'longshore-image-'));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('is built by `npm start` (scripts/start.sh), with the tests’ script', async () => {
    await ensureDocker();
    // build-test-images.sh builds $TEST_IMAGE: a tag of this test's own, removed afterwards.
    const image = `longshore-test/start-check:${uniqueId()}`;
    const start = spawn(
      'bash',
      [join(ROOT, 'scripts/start.sh'), '--no-agent', '--port', '0', '--data-dir', dataDir()],
      {
        env: {
          ...process.env,
          TEST_IMAGE: image,
          LONGSHORE_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
          LONGSHORE_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    start.stdout.on('data', (d) => {
      out += String(d);
    });
    start.stderr.on('data', (d) => {
      out += String(d);
    });
    const exited = once(start, 'exit');
    try {
      const deadline = Date.now() + 120_000;
      while (!/endpoint:/.test(out) && start.exitCode === null && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      assert.match(out, /endpoint:/, out);
      assert.match(out, new RegExp(`built ${image}`));
      assert.ok(await docker.getImage(image).inspect(), `${image} exists`);
    } finally {
      start.kill('SIGTERM');
      await exited;
      await docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => undefined);
    }
    assert.equal(start.exitCode, 0, out);
  });

  it('is named, with the command that builds it, by `up` on a Docker Engine without it', async () => {
    const dockerd = new PrivateDockerd(mkdtempSync(join(tmpdir(), 'longshore-dockerd-')));
    try {
      await dockerd.start();
      const p = await startCli(['up', '--port', '0', '--metadata-port', '0', '--data-dir', dataDir()], {
        DOCKER_HOST: `unix://${dockerd.socket}`,
      });
      try {
        const deadline = Date.now() + 20_000;
        // The hint follows the agent's line once the engine has been asked for the image.
        while (!(/Local agent/.test(p.output()) && HINT.test(p.output())) && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 50));
        assert.match(p.output(), /Local agent: container instance/, p.output());
        assert.match(p.output(), HINT);
      } finally {
        assert.equal(await stopCli(p), 0);
      }
    } finally {
      await dockerd.destroy();
    }
  });

  it('is not mentioned when the Docker Engine has it', async () => {
    await ensureDocker();
    const p = await startCli(['up', '--port', '0', '--metadata-port', '0', '--data-dir', dataDir()]);
    try {
      const deadline = Date.now() + 20_000;
      while (!/Local agent/.test(p.output()) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const arn = /Local agent: container instance (\S+)/.exec(p.output())?.[1];
      assert.ok(arn, p.output());
      await removeAgentContainers(arn);
      assert.doesNotMatch(p.output(), /the image the README walkthrough runs/);
    } finally {
      assert.equal(await stopCli(p), 0);
    }
  });
});
