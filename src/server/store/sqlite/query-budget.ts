/**
 * Bounds what one conversation query may cost. better-sqlite3 offers no
 * progress handler or interrupt, but the SQL functions we register run
 * inside the statement and may throw, which aborts it: `lc_tick()` (the
 * first term of a budgeted query's WHERE, so once per row examined) and
 * `lc_regexp` charge the running query and throw once it is over its rows
 * or its time. Queries run synchronously one at a time, so one meter per
 * database suffices.
 *
 * A query's time is what it ran, on the clock and on the CPU: past the
 * deadline it is refused only once the process has also used `maxMs` of
 * CPU since it began. On a loaded machine the process waits for a core
 * (tens of ms at a load of 15 on two cores), and a query of a few dozen
 * rows caught in such a wait is not a costly one (refusing it also refused
 * it again for 5 s). The CPU is read when a query begins, then only once
 * it is past the deadline. It is the process's (Node 20 has no per-thread
 * figure): V8's helper threads count too, which errs toward refusing.
 */
import type Database from 'better-sqlite3';
import type { QueryBudget } from '../types.js';

export { OverBudgetMemo } from '../over-budget-memo.js';

export class QueryBudgetExceeded extends Error {}

/** How often (in charges) the clock is read: reading it is not free. */
const CLOCK_EVERY = 32;

export class QueryMeter {
  private budget: QueryBudget | undefined;
  private rows = 0;
  private charges = 0;
  private deadline = 0;
  /** process.cpuUsage() when the query began, read only if it runs past the deadline. */
  private cpuAtStart: NodeJS.CpuUsage | undefined;

  /** Runs `statement` under `budget` (none: unbounded); throws QueryBudgetExceeded when over it. */
  run<T>(budget: QueryBudget | undefined, statement: () => T): T {
    this.budget = budget;
    this.rows = 0;
    this.charges = 0;
    this.deadline = budget ? performance.now() + budget.maxMs : 0;
    this.cpuAtStart = budget ? process.cpuUsage() : undefined;
    try {
      return statement();
    } finally {
      this.budget = undefined;
    }
  }

  /** One row examined. */
  row(): void {
    if (!this.budget) return;
    if (++this.rows > this.budget.maxRows) {
      throw new QueryBudgetExceeded(`the query examines more than ${this.budget.maxRows} conversations`);
    }
    this.charge();
  }

  /** Some work done (a regex run); checks the time now and then. */
  charge(): void {
    if (!this.budget || ++this.charges % CLOCK_EVERY !== 0) return;
    if (performance.now() > this.deadline && this.cpuMs() > this.budget.maxMs) {
      throw new QueryBudgetExceeded(`the query runs longer than ${this.budget.maxMs} ms`);
    }
  }

  /** CPU time (user and system, ms) the process used since the query began. */
  private cpuMs(): number {
    const { user, system } = process.cpuUsage(this.cpuAtStart);
    return (user + system) / 1000;
  }
}

/** Registers `lc_tick()` on `db`, charging `meter`. */
export function registerTick(db: Database.Database, meter: QueryMeter): void {
  // Not deterministic, so SQLite calls it per row instead of once.
  db.function('lc_tick', { deterministic: false }, () => {
    meter.row();
    return 1;
  });
}
