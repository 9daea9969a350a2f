/** The daemon's pull stream folded into layer and byte totals (the agent logs them while a pull runs). */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import type Dockerode from 'dockerode';
import { pullWithProgress } from '../../src/agent/docker/pull.ts';
import type { PullProgress } from '../../src/agent/docker/runtime.ts';

/** A daemon whose pull answers `lines` (as JSON lines, split across chunks at odd places). */
function daemon(lines: object[]): Dockerode {
  const text = lines.map((l) => `${JSON.stringify(l)}\r\n`).join('');
  const chunks = [text.slice(0, 37), text.slice(37, 200), text.slice(200)];
  return { pull: async () => Readable.from(chunks.map((c) => Buffer.from(c))) } as unknown as Dockerode;
}

test('layer and byte totals follow the daemon lines; a stream error is the pull error', async () => {
  const seen: PullProgress[] = [];
  await pullWithProgress(
    daemon([
      { status: 'Pulling from far/app', id: 'v1' },
      { status: 'Already exists', id: 'aaaaaaaaaaaa' },
      { status: 'Pulling fs layer', id: 'bbbbbbbbbbbb' },
      { status: 'Downloading', id: 'bbbbbbbbbbbb', progressDetail: { current: 500_000, total: 2_000_000 } },
      { status: 'Downloading', id: 'bbbbbbbbbbbb', progressDetail: { current: 1_500_000, total: 2_000_000 } },
      { status: 'Download complete', id: 'bbbbbbbbbbbb' },
      { status: 'Extracting', id: 'bbbbbbbbbbbb', progressDetail: { current: 100, total: 2_000_000 } },
      { status: 'Pull complete', id: 'bbbbbbbbbbbb' },
      { status: 'Digest: sha256:0123' },
      { status: 'Status: Downloaded newer image for 127.0.0.1:4590/far/app:v1' },
    ]),
    '127.0.0.1:4590/far/app:v1',
    undefined,
    (p) => seen.push(p),
  );
  assert.deepEqual(seen.at(-1), { layers: 2, layersDone: 2, bytes: 2_000_000, totalBytes: 2_000_000 });
  assert.ok(
    seen.some((p) => p.bytes === 1_500_000 && p.layersDone === 1),
    JSON.stringify(seen),
  );

  await assert.rejects(
    pullWithProgress(
      daemon([
        { status: 'Pulling fs layer', id: 'cccccccccccc' },
        { errorDetail: { message: 'manifest unknown' }, error: 'manifest unknown' },
      ]),
      'x:1',
      undefined,
      () => {},
    ),
    /Error response from daemon: manifest unknown/,
  );
});
