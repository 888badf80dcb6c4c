/**
 * Bounds for waits on things that may never come (an event, a close, a
 * child's exit): a test that would otherwise hang fails instead, saying what
 * did not arrive. Bounds are generous (seconds where the wait takes
 * milliseconds quiet) so that a loaded machine costs time, never a failure.
 */

/** The default bound: far above any wait seen at load average 25 on two cores. */
export const WAIT_MS = 20_000;

/** `promise`'s outcome, or a rejection saying that `what` (read when the time is up) did not arrive within `ms`. */
export function within<T>(promise: PromiseLike<T>, what: string | (() => string), ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bounded = Promise.race([
    promise,
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${typeof what === 'string' ? what : what()}: not within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
  // Awaited later, if at all: a test that failed before awaiting must not end in an unhandled rejection.
  bounded.catch(() => {});
  return bounded;
}

/** Polls `condition` every 50 ms until it holds; rejects saying that `what` (read when the time is up) did not happen within `ms`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string | (() => string), ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${typeof what === 'string' ? what : what()}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
