/** The send queue's policy on its own: what is shed first, what expires, what never goes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServerSendBudget } from '../src/server/gateway/send-budget.js';
import { roomFrameClass, SendQueue, type FrameClass } from '../src/server/gateway/send-queue.js';

function queueOf(...items: [FrameClass, number, number?][]): SendQueue {
  const queue = new SendQueue();
  items.forEach(([cls, bytes, queuedAt], index) => queue.push({ frame: `${cls}${index}`, bytes, cls, queuedAt: queuedAt ?? index }));
  return queue;
}
const frames = (queue: SendQueue) => {
  const out: string[] = [];
  for (let item = queue.shift(); item; item = queue.shift()) out.push(item.frame as string);
  return out;
};

test('GenericCommand.priority maps to frame classes; anything else is NORMAL', () => {
  assert.deepEqual([1, 2, 3, undefined, null, 0, 7].map(roomFrameClass), ['high', 'normal', 'low', 'normal', 'normal', 'normal', 'normal']);
});

test('shed drops every LOW before any NORMAL, oldest first, and never HIGH or reliable frames', () => {
  const queue = queueOf(['normal', 10], ['low', 10], ['high', 10], ['reliable', 10], ['low', 10], ['normal', 10]);
  assert.equal(queue.bytes, 60);
  assert.equal(queue.shed(45), 2, 'two LOW frames are enough');
  assert.equal(queue.bytes, 40);
  assert.equal(queue.shed(25), 2, 'then the NORMAL ones');
  assert.equal(queue.shed(5), 0, 'HIGH and reliable frames stay, over the limit or not');
  assert.equal(queue.bytes, 20);
  assert.deepEqual(frames(queue), ['high2', 'reliable3']);
});

test('expire drops old droppable frames and reports an old undroppable one', () => {
  const queue = queueOf(['low', 1, 0], ['normal', 1, 5], ['high', 1, 20], ['normal', 1, 30]);
  assert.deepEqual(queue.expire(10), { dropped: 2, stale: false });
  assert.equal(queue.bytes, 2);
  assert.deepEqual(queue.expire(25), { dropped: 0, stale: true }, 'a HIGH frame waited too long: the socket is too slow');
  assert.deepEqual(frames(queue), ['high2', 'normal3']);
});

test('shift keeps order and byte counts across many frames', () => {
  const queue = new SendQueue();
  for (let n = 0; n < 5000; n++) queue.push({ frame: String(n), bytes: 2, cls: 'reliable', queuedAt: n });
  for (let n = 0; n < 4000; n++) assert.equal(queue.shift()!.frame, String(n));
  assert.deepEqual([queue.length, queue.bytes, queue.peek()!.frame], [1000, 2000, '4000']);
});

test('the server-wide budget cuts the sockets holding the most, only as many as it takes, and counts only when over', () => {
  const sockets = [10, 40, 25, 5].map((pendingBytes, index) => ({
    index,
    isOpen: true,
    pendingBytes,
    cutOff(): void {
      this.isOpen = false;
      this.pendingBytes = 0;
    },
  }));
  let counted = 0;
  const budget = new ServerSendBudget(60, () => {
    counted += 1;
    return sockets;
  });
  budget.charge(1);
  assert.equal(counted, 0, 'far below the limit: no count');
  budget.charge(100);
  assert.equal(counted, 1);
  assert.deepEqual(
    sockets.filter((socket) => !socket.isOpen).map((socket) => socket.index),
    [1],
    '80 bytes held: cutting the 40-byte socket is enough',
  );
  budget.charge(5);
  assert.equal(counted, 1, 'the count reset the estimate to the 40 bytes held (plus 5 and a frame header)');
});
