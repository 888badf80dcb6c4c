/**
 * QueryTurns (src/server/query/query-turns.ts): once a turn's query budget
 * is spent, queries wait for later turns; a client's waiting queries that
 * ask the same thing share one read, and nothing else is shared.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueryTurns } from '../src/server/query/query-turns.js';

/** A query that holds the thread past the turn's budget (25 ms), as a slow SQLite statement does. */
function slowQuery(): Promise<string> {
  const until = performance.now() + 40;
  while (performance.now() < until);
  return Promise.resolve('slow');
}

function counted(answer: string) {
  const query = () => {
    query.runs += 1;
    return Promise.resolve(`${answer} #${query.runs}`);
  };
  query.runs = 0;
  return query;
}

test('identical queries of one client waiting together run once and get the same answer', async () => {
  const turns = new QueryTurns();
  const first = turns.run('app/alice', slowQuery, 'k0');
  const same = counted('same');
  const other = counted('other');
  const waiting = [
    turns.run('app/alice', same, 'k1'),
    turns.run('app/alice', same, 'k1'),
    turns.run('app/alice', other, 'k2'),
    turns.run('app/alice', same, 'k1'),
  ];
  assert.equal(same.runs, 0, 'the queries after a spent turn wait for a later one');
  assert.deepEqual(await Promise.all([first, ...waiting]), ['slow', 'same #1', 'same #1', 'other #1', 'same #1']);
  assert.equal(same.runs, 1, 'the three identical waiting queries were read once');
  assert.equal(other.runs, 1, 'a different query of the same client runs on its own');
});

test('nothing is shared between clients, without a key, or with a query that already started', async () => {
  const turns = new QueryTurns();
  const first = turns.run('app/alice', slowQuery, 'k0');
  const query = counted('q');
  const waiting = [turns.run('app/alice', query, 'k1'), turns.run('app/bob', query, 'k1'), turns.run('app/alice', query), turns.run('app/alice', query)];
  assert.deepEqual((await Promise.all([first, ...waiting])).slice(1).sort(), ['q #1', 'q #2', 'q #3', 'q #4']);
  assert.equal(query.runs, 4, 'another client, and queries without a key, each run');

  // A query asked after its twin started is read anew: the twin's answer may predate it.
  const blocker = turns.run('app/carol', slowQuery, 'k0');
  const again = counted('again');
  const started = turns.run('app/carol', again, 'k1');
  await started;
  const later = turns.run('app/carol', again, 'k1');
  assert.deepEqual(await Promise.all([blocker, started, later]), ['slow', 'again #1', 'again #2']);
});

test('a failed shared read fails every query that shared it', async () => {
  const turns = new QueryTurns();
  const first = turns.run('app/alice', slowQuery, 'k0');
  const failing = () => Promise.reject(new Error('the store failed'));
  const shared = [turns.run('app/alice', failing, 'k1'), turns.run('app/alice', failing, 'k1')];
  await first;
  for (const result of await Promise.allSettled(shared)) {
    assert.equal(result.status, 'rejected', 'each sharer sees the failure');
    assert.match(String((result as PromiseRejectedResult).reason), /the store failed/);
  }
});
