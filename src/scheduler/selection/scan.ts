/**
 * The full scan: every slot. The definition the faster paths are held to (`{exhaustive: true}`
 * forces it), and the path for chains none of them covers. Base slots the columns already rule
 * out (static verdict, CPU, memory) are counted without setting up a view; the changed slots come
 * last, when there is a best to compare their keys with.
 */
import type { Candidates } from './candidates.ts';

export function scan(c: Candidates): void {
  const { ws } = c;
  const { mask, need } = c.selection;
  const changed = ws.hasChanges ? ws.changedMark() : undefined;
  const { cpu: cpuLeft, memory: memoryLeft } = ws.base.columns;
  for (let slot = 0; slot < ws.n; slot++) {
    if (changed && changed[slot] === 1) continue;
    if (
      mask[slot] === 0 ||
      (need.cpu > 0 && cpuLeft[slot] < need.cpu) ||
      (need.memory > 0 && memoryLeft[slot] < need.memory)
    ) {
      c.evaluated++;
    } else c.offer(ws.atBase(slot));
  }
  offerOverlay(c);
}

/** The slots changed since the base, with their current states: every path but random's offers all of them. */
export function offerOverlay(c: Candidates): void {
  const { ws } = c;
  // A first key read from the slot number alone (spread over an attribute) rejects most of them
  // before their view is set up.
  const firstKey = c.selection.scorers[0].keyOfSlot;
  ws.forEachChanged((state, slot) => {
    if (firstKey && c.bestSlot >= 0 && firstKey(slot) > c.best[0]) c.evaluated++;
    else c.offer(ws.atState(slot, state));
  });
}
