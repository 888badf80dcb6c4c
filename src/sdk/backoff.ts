/** The ceiling of reconnect delays: `initial · 2^attempt`, capped at `max` (1 s, 2 s, 4 s … 300 s by default). */
export function backoffDelay(attempt: number, initial: number, max: number): number {
  // The exponent is bounded so the product stays finite for any attempt count.
  return Math.min(initial * 2 ** Math.min(attempt, 30), max);
}

/**
 * A reconnect delay with full jitter (as centrifuge-js draws it): `initial`
 * plus a uniform draw in `[0, backoffDelay(attempt))`, capped at `max`. When
 * a server restart drops every socket at once, the clients come back spread
 * over the window instead of all together at 1 s, 2 s, 4 s…
 *
 * Bounds: `initial ≤ delay ≤ min(max, initial + backoffDelay(attempt))`.
 * @param random a uniform draw in [0, 1) (`Math.random` by default)
 */
export function jitteredBackoffDelay(attempt: number, initial: number, max: number, random: () => number = Math.random): number {
  const spread = backoffDelay(attempt, initial, max);
  return Math.min(max, Math.round(initial + random() * spread));
}
