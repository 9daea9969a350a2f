/**
 * Fuzzes every operation of every service the gateway serves (found through `plane.services`, so
 * services added later are covered without editing this file), in a protocol each service speaks
 * (AWS JSON, Query or REST-JSON), with inputs generated from each operation's SDK schema: nulls in
 * every member and list item, wrong JSON types, out-of-range numbers, 100 KB strings, 10,000-item
 * lists, unknown members, 1,000-level nesting, invalid enums, and bodies that are not JSON objects.
 * Any 5xx, hung or failed request, event-loop stall, non-AWS error body, or record written by a
 * rejected call fails the test; so does a service in a protocol the fuzz cannot write.
 *
 * Seeded and bounded (about 4,000 requests, under 15 s): FUZZ_SEED replays a run, FUZZ_SCALE
 * multiplies the requests drawn per operation (FUZZ_SCALE=20 for a long run). test/support/fuzz/
 * README.md describes the design.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startTestPlane, type TestPlane } from '../support/control-plane.ts';
import { EcsFixtures } from '../support/fuzz/ecs-fixtures.ts';
import { fuzzControlPlane } from '../support/fuzz/run-fuzz.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_122);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
/** Requests drawn per operation at scale 1, besides the nulls and malformed bodies. */
const COUNT_PER_OPERATION = 30;

let t: TestPlane;
before(async () => {
  // No controllers: nothing but the fuzzed requests writes to the store while it runs.
  t = await startTestPlane({ controllers: false });
});
after(() => t.stop());

it('answers every fuzzed request without a 5xx, a hang, a stall or a write by a rejected call', {
  timeout: 600_000 * SCALE,
}, async (ctx) => {
  const fixtures = new EcsFixtures(t.ecs);
  const started = performance.now();
  const report = await fuzzControlPlane(t.plane, {
    seed: SEED,
    count: COUNT_PER_OPERATION * SCALE,
    timeoutMs: 10_000,
    stallMs: 500,
    // Member names such as `cluster` mean the same in Longshore's own API; other services ignore them.
    hints: () => fixtures.hints,
    beforeOperation: () => fixtures.refresh(),
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const statuses = [...report.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`);
  const services = [...report.services].map(([s, n]) => `${s} ${n}`);
  ctx.diagnostic(
    `fuzz seed ${SEED}, scale ${SCALE}: ${report.requests} requests to ${report.operations} operations ` +
      `in ${seconds} s (${statuses.join(', ')}); by service: ${services.join(', ')}; ${report.rejected} rejected; ` +
      `longest event-loop delay ${Math.round(report.maxDelayMs)} ms; ${report.findings.length} findings`,
  );
  const shown = report.findings.slice(0, 40).map((f) => `${f.operation} [${f.request}] ${f.problem}`);
  assert.equal(report.findings.length, 0, `fuzz findings:\n${shown.join('\n')}`);
  const served = await t.plane.services.loadAll();
  assert.ok(report.operations >= served.reduce((n, s) => n + s.operations.size, 0));
});
