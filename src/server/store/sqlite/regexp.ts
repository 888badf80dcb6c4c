/**
 * The `lc_regexp(pattern, flags, value)` SQL function behind `$regex`.
 */
import v8 from 'node:v8';
import type Database from 'better-sqlite3';
import type { QueryMeter } from './query-budget.js';

// Client patterns run on the event loop. With this flag V8 switches a match
// that backtracks excessively to its linear-time engine; query/regex.ts
// admits only patterns that engine accepts, so no pattern can stall the
// process. The switch never changes whether a pattern matches.
v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

const CACHE_SIZE = 256;

/**
 * Registers `lc_regexp` on `db`. Compiled patterns are cached across
 * queries. Each run is charged to `meter`, which may abort the statement.
 */
export function registerRegexp(db: Database.Database, meter?: QueryMeter): void {
  const cache = new Map<string, RegExp>();
  db.function('lc_regexp', { deterministic: true }, (pattern: unknown, flags: unknown, value: unknown) => {
    meter?.charge();
    if (typeof value !== 'string' || typeof pattern !== 'string' || typeof flags !== 'string') return 0;
    const key = `${flags}/${pattern}`;
    let regexp = cache.get(key);
    if (!regexp) {
      regexp = new RegExp(pattern, flags.replace(/[gy]/g, ''));
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(key, regexp);
    }
    return regexp.test(value) ? 1 : 0;
  });
}
