/** `jsonLog` (src/agent/log.ts) writes the lines pino writes, without pino. */
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { jsonLog, type Logger } from '../../src/agent/log.ts';

/** Every line `use` logs, from pino and from jsonLog, with their times blanked. */
function linesOf(
  options: { level?: string; name?: string },
  use: (log: Logger) => void,
): [string[], string[]] {
  const dir = mkdtempSync(join(tmpdir(), 'longshore-log-'));
  try {
    const theirs = join(dir, 'pino');
    const destination = pino.destination({ dest: theirs, sync: true });
    use(
      pino({ level: options.level ?? 'info', ...(options.name ? { name: options.name } : {}) }, destination),
    );
    destination.flushSync();
    const ours = join(dir, 'ours');
    const fd = openSync(ours, 'w');
    use(jsonLog({ ...options, fd }));
    closeSync(fd);
    const read = (file: string) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.replace(/"time":\d+/, '"time":0'));
    return [read(ours), read(theirs)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('jsonLog', () => {
  it("writes pino's lines: level, time, pid, hostname, the object's fields, msg", () => {
    const error = Object.assign(new Error('boom'), { code: 'E_BOOM' });
    const [ours, theirs] = linesOf({}, (log) => {
      log.info({ containerInstanceArn: 'arn:x', reregistered: false }, 'registered');
      log.warn('LONGSHORE_JOIN_TOKEN is not used');
      log.error(
        { taskArn: 't', error: 'Error: x\n    at y', nested: { a: [1, 2], b: null } },
        'could not "accept"',
      );
      log.warn({ err: error }, 'with an error');
      log.error(error);
      log.info({ gone: undefined, n: 1.5 }, 'undefined fields are left out');
      log.debug({ hidden: true }, 'below the level');
    });
    assert.equal(ours.length, 6);
    assert.deepEqual(ours, theirs);
  });

  it('takes the level and name as pino does', () => {
    const use = (log: Logger) => {
      log.trace('t');
      log.debug('d');
      log.info('i');
      log.fatal({ x: 1 }, 'f');
    };
    for (const level of ['trace', 'debug', 'warn', 'silent']) {
      const [ours, theirs] = linesOf({ level, name: 'longshore-agent' }, use);
      assert.deepEqual(ours, theirs, level);
    }
    const refusal = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        return (error as Error).message;
      }
      return undefined;
    };
    assert.equal(
      refusal(() => jsonLog({ level: 'loud' })),
      refusal(() => pino({ level: 'loud' })),
    );
    assert.match(refusal(() => jsonLog({ level: 'loud' })) ?? '', /loud/);
  });
});
