/**
 * Runs async tasks one after another per key. Pushes for one conversation
 * must be handled in arrival order even when the first one waits for the
 * conversation to be fetched; pushes for other conversations need not wait.
 */
export class SerialQueue {
  #tails = new Map<string, Promise<void>>();

  /** Runs `task` after every earlier task of the same key has settled. */
  run(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const current = previous.then(task, task);
    const tail = current.catch(() => {});
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return current;
  }
}
