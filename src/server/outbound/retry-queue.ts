/**
 * Calls to other servers that must never be in a message's way (hook
 * notifications, Web Push): a bounded queue, a few calls in flight at once,
 * each within a time limit, failures retried after a jittered exponential
 * backoff (1, 2, 4… times the base, so a recovering server is not hit by
 * everyone at once), and a close that drops what waits and aborts what runs.
 */

/** What to do after a failed attempt. */
export interface RetryVerdict {
  /** False: the failure is final (the caller has said why). */
  retry: boolean;
  /** The least wait before the next attempt (a `Retry-After`), ms. */
  afterMs?: number;
}

export interface RetryQueueOptions<T> {
  /** Jobs waiting or waiting to be retried; beyond, new ones are dropped. */
  maxQueued: number;
  /** Attempts in flight at once. */
  concurrency: number;
  /** Retries after the first attempt. */
  retries: number;
  /** The first retry's wait, ms (before jitter). */
  retryBaseMs: number;
  /** One attempt's time limit, ms: its signal aborts then, and at close. */
  timeoutMs: number;
  /** One attempt; rejects on any failure. */
  attempt(job: T, signal: AbortSignal): Promise<void>;
  /** Whether a failure is worth another try (default: yes). */
  judge?(job: T, error: unknown): RetryVerdict;
  /** An attempt succeeded. */
  succeeded(job: T): void;
  /** An attempt failed and another will follow. */
  retrying(job: T, error: unknown): void;
  /** The last attempt failed, or `judge` said not to retry. */
  failed(job: T, error: unknown, attempts: number): void;
  /** The queue was full. */
  dropped(job: T): void;
}

interface Entry<T> {
  job: T;
  attempt: number;
}

export class RetryQueue<T> {
  private readonly queue: Entry<T>[] = [];
  private inFlight = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly controllers = new Set<AbortController>();
  private closed = false;

  constructor(private readonly options: RetryQueueOptions<T>) {}

  /** Queues a job; returns at once. False when it was dropped (closed, or the queue is full). */
  push(job: T): boolean {
    return this.enqueue({ job, attempt: 0 });
  }

  /** Jobs waiting, in flight or waiting to be retried. */
  get pending(): number {
    return this.queue.length + this.inFlight + this.timers.size;
  }

  get size(): number {
    return this.queue.length;
  }

  /** Stops: queued jobs are dropped, retries cancelled, attempts in flight aborted. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.controllers) controller.abort();
    this.queue.length = 0;
  }

  private enqueue(entry: Entry<T>): boolean {
    if (this.closed) return false;
    if (this.queue.length >= this.options.maxQueued) {
      this.options.dropped(entry.job);
      return false;
    }
    this.queue.push(entry);
    this.pump();
    return true;
  }

  private pump(): void {
    while (this.inFlight < this.options.concurrency && this.queue.length > 0) {
      const entry = this.queue.shift()!;
      this.inFlight += 1;
      void this.run(entry).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async run(entry: Entry<T>): Promise<void> {
    const { options } = this;
    try {
      await withTimeout(options.timeoutMs, this.controllers, (signal) => options.attempt(entry.job, signal));
      options.succeeded(entry.job);
    } catch (error) {
      if (this.closed) return;
      const verdict = options.judge?.(entry.job, error) ?? { retry: true };
      if (!verdict.retry || entry.attempt >= options.retries) {
        options.failed(entry.job, error, entry.attempt + 1);
        return;
      }
      options.retrying(entry.job, error);
      const backoff = options.retryBaseMs * 2 ** entry.attempt * (0.5 + Math.random() / 2);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.enqueue({ job: entry.job, attempt: entry.attempt + 1 });
      }, Math.max(backoff, verdict.afterMs ?? 0));
      timer.unref();
      this.timers.add(timer);
    }
  }
}

/**
 * Runs `call` with a signal that aborts after `timeoutMs`, or when the
 * owner aborts every controller in `live` (its close).
 */
export async function withTimeout<R>(timeoutMs: number, live: Set<AbortController>, call: (signal: AbortSignal) => Promise<R>): Promise<R> {
  const controller = new AbortController();
  live.add(controller);
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  try {
    return await call(controller.signal);
  } finally {
    clearTimeout(timer);
    live.delete(controller);
  }
}
