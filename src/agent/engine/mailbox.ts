/** A serial mailbox: jobs run one at a time, in the order posted, so an actor is its state's only writer. */

export class Mailbox {
  #tail: Promise<void> = Promise.resolve();
  readonly #onError: (error: unknown) => void;

  /** `onError` sees every job failure; the failure also rejects the promise `post` returned. */
  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  post(job: () => Promise<void> | void): Promise<void> {
    const run = this.#tail.then(job);
    this.#tail = run.catch((error: unknown) => this.#onError(error));
    return run;
  }

  /** Resolves once every job posted so far has finished. */
  idle(): Promise<void> {
    return this.#tail;
  }
}
