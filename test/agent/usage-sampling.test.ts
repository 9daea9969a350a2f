/**
 * Task usage from Docker stats on real Docker: a task spinning one core shows most of 1,024 CPU
 * units, an idle one next to nothing; memory in MiB without the page cache.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assignment, startEngine, type TestEngine } from './docker-helpers.ts';

describe('task usage sampling', { timeout: 60_000 }, () => {
  let t: TestEngine;
  before(async () => {
    t = await startEngine();
  });
  after(async () => {
    await t.dispose();
  });

  test('a task spinning a core uses most of 1,024 CPU units; an idle one next to none', async () => {
    const busy = assignment('burn', [
      { name: 'burn', command: ['sh', '-c', 'while :; do :; done'], memory: 32, stopTimeout: 1 },
    ]);
    const idle = assignment('idle', [
      { name: 'idle', command: ['sleep', '600'], memory: 32, stopTimeout: 1 },
    ]);
    await t.engine.apply(busy);
    await t.engine.apply(idle);
    await t.reports.status(busy.taskArn, 'RUNNING');
    await t.reports.status(idle.taskArn, 'RUNNING');
    try {
      const usage = await t.engine.sampleUsage();
      const of = (arn: string) => usage.find((u) => u.taskArn === arn);
      const burn = of(busy.taskArn);
      assert.ok(burn, JSON.stringify(usage));
      // One core is 1,024 units; a loaded 2-core box gives the spinner at least a third of one.
      assert.ok(burn.cpuUnits > 300 && burn.cpuUnits <= 2048 + 1, `burning ${burn.cpuUnits} units`);
      assert.ok((of(idle.taskArn)?.cpuUnits ?? 99) < 50, `idle ${of(idle.taskArn)?.cpuUnits} units`);
      assert.ok(burn.memoryMiB > 0 && burn.memoryMiB < 32, `memory ${burn.memoryMiB} MiB`);
    } finally {
      await t.engine.apply({ ...busy, desiredStatus: 'STOPPED', version: 2 });
      await t.engine.apply({ ...idle, desiredStatus: 'STOPPED', version: 2 });
      await t.reports.status(busy.taskArn, 'STOPPED');
      await t.reports.status(idle.taskArn, 'STOPPED');
    }
  });
});
