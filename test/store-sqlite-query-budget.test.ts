/**
 * The SQLite store's query meter (src/server/store/sqlite/query-budget.ts):
 * the time budget counts what the query ran, not the time the process
 * waited for a core. On a machine at load 30 a conversation list of 45
 * rows was refused (CONVERSATION_QUERY_FAILED) in the browser tests: the
 * server had waited for the CPU in the middle of the query.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueryBudgetExceeded, QueryMeter } from '../src/server/store/sqlite/query-budget.js';

/** Blocks this thread for `ms` without using the CPU, as a process waiting for a core does. */
function waitOffCpu(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

test('a query that waited off the CPU past its time is not refused for it', () => {
  const meter = new QueryMeter();
  // process.cpuUsage() counts every thread of the process, and V8's helper
  // threads (GC, compilers) may run while this one waits: the budget is kept
  // well above what they take, the wait well past the budget.
  const rows = meter.run({ maxRows: 1000, maxMs: 50 }, () => {
    let examined = 0;
    for (; examined < 40; examined++) meter.row();
    waitOffCpu(250);
    // Past the 50 ms on the clock, with the clock read every 32 rows: refused here before.
    for (; examined < 200; examined++) meter.row();
    return examined;
  });
  assert.equal(rows, 200);
});

test('a query that keeps the CPU busy past its time is refused', () => {
  const meter = new QueryMeter();
  const started = process.cpuUsage();
  const until = performance.now() + 60_000;
  assert.throws(
    () =>
      meter.run({ maxRows: Number.MAX_SAFE_INTEGER, maxMs: 20 }, () => {
        // Busy until refused (on a loaded machine the 20 ms of CPU take longer on the clock).
        while (performance.now() < until) meter.charge();
      }),
    (error: unknown) => error instanceof QueryBudgetExceeded && /runs longer than 20 ms/.test(error.message),
  );
  const used = process.cpuUsage(started);
  assert.ok((used.user + used.system) / 1000 >= 20, 'refused after 20 ms of CPU, not before');
});

test('a query over its rows is refused at once, whatever its time', () => {
  const meter = new QueryMeter();
  assert.throws(
    () => meter.run({ maxRows: 10, maxMs: 60_000 }, () => {
      for (let n = 0; n < 11; n++) meter.row();
    }),
    (error: unknown) => error instanceof QueryBudgetExceeded && /more than 10 conversations/.test(error.message),
  );
});
