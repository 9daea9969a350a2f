/**
 * The image the README walkthrough runs. No public registry is reachable on many machines, so
 * `scripts/build-test-images.sh` makes it from Debian's static BusyBox; `npm start` runs that
 * script, and `longshore up` says how to make the image when the local Docker Engine lacks it.
 */
import { join } from 'node:path';
import type { DockerRuntime } from '../agent/docker/docker-runtime.ts';

export const WALKTHROUGH_IMAGE = 'longshore-test/busybox:latest';
/** The script that builds it, in this package. */
export const BUILD_SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'build-test-images.sh');

/** What to print when the local Docker Engine lacks the walkthrough's image; undefined when it has it. */
export async function walkthroughImageHint(runtime?: DockerRuntime): Promise<string | undefined> {
  try {
    // Loaded only here: Docker's client is heavy, and a control plane without a local agent never needs it.
    runtime ??= new (await import('../agent/docker/docker-runtime.ts')).DockerRuntime();
    if (await runtime.inspectImage(WALKTHROUGH_IMAGE)) return undefined;
  } catch {
    // Docker did not answer: the agent says so itself, and there is nothing to add.
    return undefined;
  }
  return (
    `This Docker Engine has no ${WALKTHROUGH_IMAGE}, the image the README walkthrough runs: build it with\n` +
    `  bash ${BUILD_SCRIPT}\n` +
    "(a BusyBox image made from Debian's busybox-static, no registry needed; `npm start` builds it), or use any image your Docker Engine has.\n"
  );
}
