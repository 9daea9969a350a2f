/**
 * CloudWatch Logs through the `aws` CLI: group and stream calls, put-log-events, filter and get,
 * and `aws logs tail` (with `--follow`, which polls FilterLogEvents) where the CLI has it (v2).
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { awsCliEnv } from '../support/aws-cli.ts';
import type { TestPlane } from '../support/control-plane.ts';
import { startLogsPlane } from './logs-plane.ts';

const run = promisify(execFile);

/** The first `aws` that has `logs tail` (the CLI v2: PATH's, or Debian's /usr/bin/aws), if any. */
async function tailingCli(): Promise<string | undefined> {
  for (const cli of ['aws', '/usr/bin/aws']) {
    try {
      await run(cli, ['logs', 'tail', 'help'], { env: awsCliEnv(), timeout: 20_000 });
      return cli;
    } catch {
      // Not there, or a CLI v1 (no `tail`).
    }
  }
  return undefined;
}

describe('CloudWatch Logs through the aws CLI', () => {
  let t: TestPlane;
  let tail: string | undefined;
  const aws = async (...args: string[]) =>
    (
      await run('aws', ['--endpoint-url', t.plane.endpoint, '--output', 'json', 'logs', ...args], {
        env: awsCliEnv(),
      })
    ).stdout;
  before(async () => {
    ({ t } = await startLogsPlane());
    tail = await tailingCli();
  });
  after(async () => {
    await t.stop();
  });

  it('creates a group and a stream, puts events and reads them back', async () => {
    await aws('create-log-group', '--log-group-name', '/cli/app');
    await aws('create-log-stream', '--log-group-name', '/cli/app', '--log-stream-name', 'main');
    const now = Date.now();
    const events = JSON.stringify([
      { timestamp: now - 2, message: 'ERROR disk full' },
      { timestamp: now - 1, message: 'INFO all good' },
    ]);
    const put = JSON.parse(
      await aws(
        'put-log-events',
        '--log-group-name',
        '/cli/app',
        '--log-stream-name',
        'main',
        '--log-events',
        events,
      ),
    ) as { nextSequenceToken?: string };
    assert.ok(put.nextSequenceToken);
    const filtered = JSON.parse(
      await aws('filter-log-events', '--log-group-name', '/cli/app', '--filter-pattern', 'ERROR'),
    ) as { events: { message: string; logStreamName: string }[] };
    assert.deepEqual(
      filtered.events.map((e) => [e.logStreamName, e.message]),
      [['main', 'ERROR disk full']],
    );
    const got = JSON.parse(
      await aws(
        'get-log-events',
        '--log-group-name',
        '/cli/app',
        '--log-stream-name',
        'main',
        '--start-from-head',
      ),
    ) as { events: { message: string }[]; nextForwardToken: string };
    assert.deepEqual(
      got.events.map((e) => e.message),
      ['ERROR disk full', 'INFO all good'],
    );
    assert.match(got.nextForwardToken, /^f\//);
    const groups = JSON.parse(await aws('describe-log-groups', '--log-group-name-prefix', '/cli')) as {
      logGroups: { logGroupName: string; storedBytes: number }[];
    };
    assert.deepEqual(
      groups.logGroups.map((g) => g.logGroupName),
      ['/cli/app'],
    );
  });

  it('answers the CLI with CloudWatch error codes', async () => {
    await assert.rejects(
      aws('delete-log-group', '--log-group-name', '/cli/none'),
      (error: { stderr: string }) => {
        assert.match(error.stderr, /ResourceNotFoundException/);
        assert.match(error.stderr, /The specified log group does not exist/);
        return true;
      },
    );
  });

  it('tails a group, and follows new events (aws logs tail --follow)', async () => {
    // scripts/test.sh installs Debian's awscli (the v2 CLI) at /usr/bin/aws.
    assert.ok(tail, 'no aws CLI with `logs tail` (install the v2 CLI: apt-get install awscli)');
    const once = await run(
      tail,
      ['--endpoint-url', t.plane.endpoint, 'logs', 'tail', '/cli/app', '--since', '1h', '--format', 'short'],
      { env: awsCliEnv() },
    );
    assert.match(once.stdout, /ERROR disk full/);
    assert.match(once.stdout, /INFO all good/);
    const child = spawn(
      tail,
      [
        '--endpoint-url',
        t.plane.endpoint,
        'logs',
        'tail',
        '/cli/app',
        '--follow',
        '--since',
        '1m',
        '--format',
        'short',
      ],
      { env: awsCliEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
      });
      const seen = (text: string, timeoutMs: number) =>
        new Promise<void>((resolve, reject) => {
          const started = Date.now();
          const poll = setInterval(() => {
            if (out.includes(text)) {
              clearInterval(poll);
              resolve();
            } else if (Date.now() - started > timeoutMs) {
              clearInterval(poll);
              reject(new Error(`tail did not print ${text} within ${timeoutMs} ms; got: ${out}`));
            }
          }, 100);
        });
      await seen('INFO all good', 20_000);
      await aws(
        'put-log-events',
        '--log-group-name',
        '/cli/app',
        '--log-stream-name',
        'main',
        '--log-events',
        JSON.stringify([{ timestamp: Date.now(), message: 'WARN followed' }]),
      );
      await seen('WARN followed', 20_000);
      assert.equal(out.split('WARN followed').length, 2, 'printed once');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
