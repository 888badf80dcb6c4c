/** Reconnect delays: `initial · 2^attempt`, capped at `max` (1 s, 2 s, 4 s … 300 s by default). */
export function backoffDelay(attempt: number, initial: number, max: number): number {
  // The exponent is bounded so the product stays finite for any attempt count.
  return Math.min(initial * 2 ** Math.min(attempt, 30), max);
}
