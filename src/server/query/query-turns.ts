/**
 * Spreads expensive conversation queries over event-loop turns. A query
 * runs synchronously (up to `maxQueryMs`); were several run back to back,
 * everything else (a bystander's message, its commit, its push) would wait
 * for all of them. So once queries took TURN_BUDGET_MS within one turn,
 * further ones wait for later turns, each in a timer of its own, so that
 * between two of them the loop reads sockets (poll) and runs what those
 * scheduled, such as the store's group commit (check). Waiting queries take
 * turns round robin between clients: a client with many in flight waits
 * behind the others instead of holding everyone up.
 *
 * Cheap queries in a quiet turn run at once, as before: the official SDKs
 * rely on a query's reply preceding pushes that follow it (a message for a
 * conversation being fetched is otherwise emitted after a later one).
 *
 * A client's waiting query that asks what one of its queries still waiting
 * asks (same `key`) shares that one's read: the official SDKs send one
 * conv query per message of a conversation they have not fetched, so a
 * burst into a new group queues dozens of identical queries per member on
 * a busy server, and they drop a message whose query is answered after
 * their 20 s command timeout. The shared read has not started yet, so its
 * answer is never older than either request.
 */

/** Query time per turn above which the next queries wait for a later turn. */
const TURN_BUDGET_MS = 25;

interface Waiting {
  readonly key: string | undefined;
  readonly start: () => void;
  readonly result: Promise<unknown>;
}

export class QueryTurns {
  /** Waiting queries per client, in the order the clients first queued. */
  private readonly waiting = new Map<string, Waiting[]>();
  private spent = 0;
  private resetScheduled = false;
  private drainScheduled = false;

  /**
   * Resolves with `query`'s result once it had its turn. Queries of one
   * client with the same `key` (what they ask, all of it) that wait at the
   * same time run once and resolve with the same result, which callers
   * must not change.
   */
  run<T>(client: string, query: () => Promise<T>, key?: string): Promise<T> {
    if (this.waiting.size === 0 && this.spent < TURN_BUDGET_MS) return this.timed(query);
    const queue = this.waiting.get(client);
    const same = key === undefined ? undefined : queue?.find((waiting) => waiting.key === key);
    if (same) return same.result as Promise<T>;
    let start!: () => void;
    const result = new Promise<T>((resolve, reject) => {
      start = () => void this.timed(query).then(resolve, reject);
    });
    const waiting: Waiting = { key, start, result };
    if (queue) queue.push(waiting);
    else this.waiting.set(client, [waiting]);
    this.scheduleDrain();
    return result;
  }

  /** Runs `query`, counting the synchronous part (the SQLite statement) against this turn. */
  private timed<T>(query: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return query();
    } finally {
      this.spent += performance.now() - started;
      if (!this.resetScheduled) {
        this.resetScheduled = true;
        setImmediate(() => {
          this.resetScheduled = false;
          this.spent = 0;
        });
      }
    }
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setTimeout(() => {
      this.drainScheduled = false;
      this.spent = 0;
      while (this.waiting.size > 0 && this.spent < TURN_BUDGET_MS) this.startNext();
      if (this.waiting.size > 0) this.scheduleDrain();
    }, 0);
  }

  /** Starts the first waiting client's oldest query; that client goes to the back of the line. */
  private startNext(): void {
    const [client, queue] = this.waiting.entries().next().value!;
    const { start } = queue.shift()!;
    this.waiting.delete(client);
    if (queue.length) this.waiting.set(client, queue);
    start();
  }
}

const turns = new WeakMap<object, QueryTurns>();

/** The turns of one server (keyed by its context). */
export function queryTurnsOf(server: object): QueryTurns {
  let found = turns.get(server);
  if (!found) turns.set(server, (found = new QueryTurns()));
  return found;
}
