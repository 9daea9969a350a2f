/** ECS_IMAGE_PULL_BEHAVIOR semantics, against a fake runtime that only knows images (no Docker needed). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DockerErrorName, DockerTerminalError } from '../../src/agent/docker/errors.ts';
import type { ContainerRuntime, ImageInfo } from '../../src/agent/docker/runtime.ts';
import { type ImagePullBehavior, ImageManager } from '../../src/agent/engine/image-manager.ts';

/** Fake: a set of local images; pulls succeed only for refs in `registry`. */
function fakeRuntime(local: string[], registry: string[]) {
  const images = new Set(local);
  const calls = { pulls: 0 };
  const runtime = {
    inspectImage: async (ref: string): Promise<ImageInfo | undefined> =>
      images.has(ref) ? { id: `sha256:${ref.length}`, repoDigests: [] } : undefined,
    pullImage: async (ref: string) => {
      calls.pulls++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (!registry.includes(ref)) {
        throw new DockerTerminalError(
          DockerErrorName.CannotPullContainer,
          `Error response from daemon: pull access denied for ${ref}`,
        );
      }
      images.add(ref);
    },
  } as unknown as ContainerRuntime;
  return { runtime, calls };
}

function manager(behavior: ImagePullBehavior, local: string[], registry: string[], pulled: string[] = []) {
  const fake = fakeRuntime(local, registry);
  const images = new ImageManager({
    runtime: fake.runtime,
    behavior,
    retry: { attempts: 1, initialDelayMs: 0, maxDelayMs: 0 },
    pulledImages: pulled,
    onPulled: async () => {},
  });
  return { images, calls: fake.calls };
}

test('prefer-cached uses a local image without pulling', async () => {
  const { images, calls } = manager('prefer-cached', ['app:latest'], []);
  assert.ok(await images.ensure('app'));
  assert.equal(calls.pulls, 0);
});

test('default pulls, and falls back to the cached image when the pull fails', async () => {
  const { images, calls } = manager('default', ['app:latest'], []);
  assert.ok(await images.ensure('app:latest'));
  assert.equal(calls.pulls, 1);
});

test('always fails when the pull fails even if the image is cached', async () => {
  const { images } = manager('always', ['app:latest'], []);
  await assert.rejects(images.ensure('app:latest'), /pull access denied/);
});

test('once pulls only images this agent has not pulled before', async () => {
  const fresh = manager('once', ['app:latest'], []);
  await assert.rejects(fresh.images.ensure('app:latest'), (e: Error) => e instanceof DockerTerminalError);
  const seen = manager('once', ['app:latest'], [], ['app:latest']);
  assert.ok(await seen.images.ensure('app:latest'));
  assert.equal(seen.calls.pulls, 0);
});

test('a missing image fails with CannotPullContainerError; concurrent pulls share one', async () => {
  const missing = manager('default', [], []);
  await assert.rejects(missing.images.ensure('nope:1'), (e: DockerTerminalError) =>
    e.reason.startsWith('CannotPullContainerError: '),
  );
  const shared = manager('always', [], ['app:latest']);
  await Promise.all([
    shared.images.ensure('app'),
    shared.images.ensure('app'),
    shared.images.ensure('app:latest'),
  ]);
  assert.equal(shared.calls.pulls, 1);
});

test("pulls an image named by the registry's loopback URI from where it is, and keeps its name", async () => {
  const images = new Set<string>();
  const pulls: string[] = [];
  const tags: [string, string][] = [];
  const runtime = {
    inspectImage: async (ref: string): Promise<ImageInfo | undefined> =>
      images.has(ref) ? { id: 'sha256:1', repoDigests: [] } : undefined,
    pullImage: async (ref: string) => {
      pulls.push(ref);
      if (ref.startsWith('127.0.0.1:')) {
        throw new DockerTerminalError(DockerErrorName.CannotPullContainer, 'connection refused');
      }
      images.add(ref);
    },
    tagImage: async (source: string, target: string) => {
      tags.push([source, target]);
      images.add(target);
    },
  } as unknown as ContainerRuntime;
  const manager = new ImageManager({
    runtime,
    behavior: 'default',
    retry: { attempts: 1, initialDelayMs: 0, maxDelayMs: 0 },
    pulledImages: [],
    onPulled: async () => {},
    pullSource: async (ref) => ref.replace('127.0.0.1:4590', '10.0.0.5:4590'),
  });
  assert.ok(await manager.ensure('127.0.0.1:4590/demo:latest'));
  assert.deepEqual(pulls, ['127.0.0.1:4590/demo:latest', '10.0.0.5:4590/demo:latest']);
  assert.deepEqual(tags, [['10.0.0.5:4590/demo:latest', '127.0.0.1:4590/demo:latest']]);
});

test('a password the registry refuses is forgotten and fetched again, once', async () => {
  const images = new Set<string>();
  const pulls: (string | undefined)[] = [];
  let current = 'stale';
  let rejected = 0;
  const runtime = {
    inspectImage: async (ref: string): Promise<ImageInfo | undefined> =>
      images.has(ref) ? { id: 'sha256:1', repoDigests: [] } : undefined,
    pullImage: async (ref: string, auth?: { password: string }) => {
      pulls.push(auth?.password);
      if (auth?.password !== 'fresh') {
        throw new DockerTerminalError(
          DockerErrorName.CannotPullContainer,
          'Error response from daemon: Head "http://127.0.0.1:4590/v2/demo/manifests/latest": unauthorized: Your authorization token is invalid or has expired.',
        );
      }
      images.add(ref);
    },
  } as unknown as ContainerRuntime;
  const make = (next: string) =>
    new ImageManager({
      runtime,
      behavior: 'default',
      retry: { attempts: 1, initialDelayMs: 0, maxDelayMs: 0 },
      pulledImages: [],
      onPulled: async () => {},
      registryAuth: async () => ({ username: 'AWS', password: current, serveraddress: '127.0.0.1:4590' }),
      registryAuthRejected: () => {
        rejected++;
        current = next;
      },
    });
  assert.ok(await make('fresh').ensure('127.0.0.1:4590/demo:latest'));
  assert.deepEqual(pulls, ['stale', 'fresh']);
  assert.equal(rejected, 1);
  // Refused again after logging in afresh: the pull fails (no loop).
  current = 'stale';
  pulls.length = 0;
  await assert.rejects(make('still-wrong').ensure('127.0.0.1:4590/other:latest'), /unauthorized/);
  assert.deepEqual(pulls, ['stale', 'still-wrong']);
});
