import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitByStrategy } from '../../src/ecs/model/fargate/capacity-split.ts';

const F = 'FARGATE';
const S = 'FARGATE_SPOT';

describe('capacity provider split (base, then weight)', () => {
  it("splits the ECS documentation's strategy: base 1 on FARGATE, then 1:4", () => {
    const out = splitByStrategy(
      [
        { capacityProvider: F, base: 1, weight: 1 },
        { capacityProvider: S, weight: 4 },
      ],
      11,
    );
    assert.deepEqual(out, [F, S, S, S, F, S, S, S, S, F, S]);
  });

  it('continues from what the deployment already runs', () => {
    const strategy = [
      { capacityProvider: F, base: 1, weight: 1 },
      { capacityProvider: S, weight: 1 },
    ];
    assert.deepEqual(splitByStrategy(strategy, 2), [F, S]);
    assert.deepEqual(
      splitByStrategy(
        strategy,
        3,
        new Map([
          [F, 1],
          [S, 1],
        ]),
      ),
      [F, S, F],
    );
  });

  it('gives a lone provider of weight 0 every task beyond its base', () => {
    assert.deepEqual(splitByStrategy([{ capacityProvider: F, base: 2, weight: 0 }], 3), [F, F, F]);
  });

  it('never returns fewer providers than tasks for a strategy with a weight', () => {
    const out = splitByStrategy(
      [
        { capacityProvider: F, base: 5, weight: 0 },
        { capacityProvider: S, weight: 1 },
      ],
      8,
    );
    assert.deepEqual(out, [F, F, F, F, F, S, S, S]);
  });
});
