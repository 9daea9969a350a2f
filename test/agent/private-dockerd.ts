/**
 * A second, private dockerd (own socket, data and exec roots, own bridge interface) that a test
 * may stop and restart without disturbing the shared daemon other tests use.
 *
 * Careful: `dockerd --bridge=none` deletes the host's docker0 interface (it removes the default
 * bridge it is told not to use), which breaks the shared daemon. So the private daemon gets a
 * bridge interface of its own, made here and deleted in destroy().
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { docker as sharedDocker, sleep } from './docker-helpers.ts';

/** A private dockerd answers in about a second here; a cold one may need more. */
const START_TIMEOUT_MS = 30_000;
/** dockerd stops its containers first (SIGTERM, then SIGKILL after its own 15 s). */
const STOP_TIMEOUT_MS = 30_000;

const run = promisify(execFile);

export class PrivateDockerd {
  readonly dir: string;
  readonly socket: string;
  readonly client: Dockerode;
  /** Interface names are at most 15 characters. */
  readonly bridge = `lsd${randomBytes(4).toString('hex')}`;
  #bridgeMade = false;
  #process: ChildProcess | undefined;

  constructor(dir: string) {
    this.dir = dir;
    this.socket = join(dir, 'docker.sock');
    this.client = new Dockerode({ socketPath: this.socket });
  }

  async #makeBridge(): Promise<void> {
    if (this.#bridgeMade) return;
    const subnet = 200 + Math.floor(Math.random() * 50);
    await run('ip', ['link', 'add', this.bridge, 'type', 'bridge']);
    this.#bridgeMade = true;
    await run('ip', ['addr', 'add', `10.213.${subnet}.1/24`, 'dev', this.bridge]);
    await run('ip', ['link', 'set', this.bridge, 'up']);
  }

  async start(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await this.#makeBridge();
    const log = await open(join(this.dir, 'dockerd.log'), 'a');
    const args = [
      `--host=unix://${this.socket}`,
      `--data-root=${join(this.dir, 'data')}`,
      `--exec-root=${join(this.dir, 'exec')}`,
      `--pidfile=${join(this.dir, 'docker.pid')}`,
      `--bridge=${this.bridge}`,
      '--iptables=false',
      '--ip-masq=false',
    ];
    this.#process = spawn('dockerd', args, { stdio: ['ignore', log.fd, log.fd] });
    this.#process.once('exit', () => void log.close());
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      try {
        await this.client.ping();
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`private dockerd did not answer: ${(error as Error).message}`);
        await sleep(200);
      }
    }
  }

  /** SIGTERM to the dockerd this object started (by its pid), then wait for it to exit. */
  async stop(): Promise<void> {
    const proc = this.#process;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  /** Copies an image from the shared daemon (docker save | docker load). */
  async loadImage(ref: string): Promise<void> {
    const tar = (await sharedDocker.getImage(ref).get()) as unknown as Readable;
    const stream = (await this.client.loadImage(tar)) as unknown as Readable;
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('end', () => resolve());
      stream.resume();
    });
  }

  /** Removes every container, stops the daemon and deletes its directory. */
  async destroy(): Promise<void> {
    if (this.#process && this.#process.exitCode === null) {
      const all = await this.client.listContainers({ all: true });
      await Promise.all(all.map((c) => this.client.getContainer(c.Id).remove({ force: true, v: true })));
    }
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
    if (this.#bridgeMade) await run('ip', ['link', 'delete', this.bridge]);
  }
}
