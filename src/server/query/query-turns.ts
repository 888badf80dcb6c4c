/**
 * Runs conversation queries one per event-loop turn, taking turns between
 * clients. A query runs synchronously (up to `maxQueryMs`); were several
 * run back to back, everything else (a bystander's message, its commit,
 * its push) would wait for all of them. Here each runs in a timer of its
 * own, so between two queries the loop reads sockets (poll) and runs what
 * they scheduled, such as the store's group commit (check); and a client
 * with many queries in flight waits its turn behind the others instead of
 * holding everyone up.
 */
interface Task {
  run: () => Promise<void>;
}

export class QueryTurns {
  /** Waiting tasks per client, in the order the clients first queued. */
  private readonly queues = new Map<string, Task[]>();
  private running = false;

  /** Resolves with `query`'s result once it had its turn. */
  run<T>(client: string, query: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const task: Task = { run: () => query().then(resolve, reject) };
      const queue = this.queues.get(client);
      if (queue) queue.push(task);
      else this.queues.set(client, [task]);
      if (!this.running) this.next();
    });
  }

  private next(): void {
    const entry = this.queues.entries().next();
    if (entry.done) {
      this.running = false;
      return;
    }
    this.running = true;
    const [client, queue] = entry.value;
    const task = queue.shift()!;
    // Round robin: this client goes to the back of the line.
    this.queues.delete(client);
    if (queue.length) this.queues.set(client, queue);
    setTimeout(() => {
      void task.run().finally(() => this.next());
    }, 0);
  }
}

const turns = new WeakMap<object, QueryTurns>();

/** The turns of one server (keyed by its context). */
export function queryTurnsOf(server: object): QueryTurns {
  let found = turns.get(server);
  if (!found) turns.set(server, (found = new QueryTurns()));
  return found;
}
