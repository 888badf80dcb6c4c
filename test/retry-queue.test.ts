/**
 * The queue behind hook notifications and Web Push (src/server/outbound/
 * retry-queue.ts): bounded, a few at a time, retried with backoff, closed
 * at once. hooks.test.ts and web-push.test.ts test it through real HTTP;
 * this file pins the bounds those cannot reach cheaply.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RetryQueue, type RetryQueueOptions } from '../src/server/outbound/retry-queue.js';

function recorder(overrides: Partial<RetryQueueOptions<string>>) {
  const log: string[] = [];
  const queue = new RetryQueue<string>({
    maxQueued: 100,
    concurrency: 2,
    retries: 2,
    retryBaseMs: 5,
    timeoutMs: 1000,
    attempt: async () => {},
    succeeded: (job) => log.push(`ok ${job}`),
    retrying: (job) => log.push(`retry ${job}`),
    failed: (job, _error, attempts) => log.push(`failed ${job} after ${attempts}`),
    dropped: (job) => log.push(`dropped ${job}`),
    ...overrides,
  });
  return { queue, log };
}

const until = async (condition: () => boolean): Promise<void> => {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

test('at most `concurrency` attempts run at once, and a full queue drops what comes next', async () => {
  let running = 0;
  let most = 0;
  const release: Array<() => void> = [];
  const { queue, log } = recorder({
    maxQueued: 3,
    attempt: () => {
      running += 1;
      most = Math.max(most, running);
      return new Promise<void>((resolve) => release.push(() => (running -= 1, resolve())));
    },
  });
  for (const job of ['a', 'b', 'c', 'd', 'e', 'f']) queue.push(job);
  // Two in flight, three waiting: the sixth found the queue full.
  assert.deepEqual(log, ['dropped f']);
  assert.equal(queue.pending, 5);
  while (queue.pending > 0) {
    await until(() => release.length > 0);
    release.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(most, 2);
  assert.deepEqual(log.filter((line) => line.startsWith('ok')).sort(), ['ok a', 'ok b', 'ok c', 'ok d', 'ok e']);
});

test('a failure is retried `retries` times, then reported once; a final verdict stops at once', async () => {
  const { queue, log } = recorder({
    attempt: async (job) => {
      throw new Error(job);
    },
    judge: (job) => ({ retry: job !== 'final' }),
  });
  queue.push('flaky');
  queue.push('final');
  await until(() => queue.pending === 0);
  assert.deepEqual(log.filter((line) => line.includes('flaky')), ['retry flaky', 'retry flaky', 'failed flaky after 3']);
  assert.deepEqual(log.filter((line) => line.includes('final')), ['failed final after 1']);
});

test('a Retry-After longer than the backoff is waited for', async () => {
  const times: number[] = [];
  const { queue } = recorder({
    retries: 1,
    attempt: async () => {
      times.push(Date.now());
      if (times.length === 1) throw new Error('busy');
    },
    judge: () => ({ retry: true, afterMs: 200 }),
  });
  queue.push('job');
  await until(() => times.length === 2);
  assert.ok(times[1]! - times[0]! >= 195, `waited ${times[1]! - times[0]!} ms`);
});

test('an attempt past its time limit is aborted and counts as a failure', async () => {
  const { queue, log } = recorder({
    retries: 0,
    timeoutMs: 50,
    attempt: (_job, signal) => new Promise<void>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
  });
  queue.push('slow');
  await until(() => queue.pending === 0);
  assert.deepEqual(log, ['failed slow after 1']);
});

test('close aborts what runs, cancels retries and drops what waits', async () => {
  const aborted: string[] = [];
  const { queue, log } = recorder({
    concurrency: 1,
    retryBaseMs: 60_000,
    attempt: (job, signal) =>
      job === 'retried'
        ? Promise.reject(new Error('no'))
        : new Promise<void>((_resolve, reject) => signal.addEventListener('abort', () => (aborted.push(job), reject(new Error('aborted'))))),
  });
  queue.push('retried');
  await until(() => log.includes('retry retried'));
  queue.push('running');
  queue.push('waiting');
  await until(() => queue.size === 1);
  queue.close();
  await until(() => queue.pending === 0);
  assert.deepEqual(aborted, ['running']);
  assert.equal(queue.push('late'), false);
  assert.deepEqual(log, ['retry retried']);
});
