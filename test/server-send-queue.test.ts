/** The send queue's policy on its own: what is shed first, what expires, what never goes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServerSendBudget } from '../src/server/gateway/send-budget.js';
import { isDroppable, roomFrameClass, SendQueue, type Admission, type FrameClass, type QueuedFrame } from '../src/server/gateway/send-queue.js';

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

const frame = (cls: FrameClass, bytes: number, name: string = cls): QueuedFrame => ({ frame: name, bytes, cls, queuedAt: 0 });

test('admit decides before queuing: a queue a little under its budget refuses a chat-room frame that would cross it, and takes one that fits exactly', () => {
  const queue = queueOf(['reliable', 40], ['high', 50]);
  assert.deepEqual(queue.admit(frame('normal', 11), 100), { outcome: 'refused', dropped: 1 }, '90 + 11 would cross 100');
  assert.deepEqual(queue.admit(frame('low', 11), 100), { outcome: 'refused', dropped: 1 });
  assert.equal(queue.bytes, 90, 'a refused frame was never counted');
  assert.deepEqual(queue.admit(frame('normal', 10, 'fits'), 100), { outcome: 'queued', dropped: 0 }, '90 + 10 is the budget, not over it');
  assert.equal(queue.bytes, 100);
  assert.deepEqual(frames(queue), ['reliable0', 'high1', 'fits']);
});

test('a HIGH or reliable frame that cannot fit even with every chat-room frame dropped overflows and changes nothing', () => {
  const queue = queueOf(['high', 70], ['normal', 10], ['low', 10]);
  for (const cls of ['high', 'reliable'] as const) {
    assert.deepEqual(queue.admit(frame(cls, 31), 100), { outcome: 'overflow', dropped: 0 }, `90 - 20 droppable + 31 > 100 (${cls})`);
    assert.equal(queue.bytes, 90, 'nothing was dropped for a frame that goes nowhere');
  }
  assert.deepEqual(queue.admit(frame('high', 15, 'gift'), 100), { outcome: 'queued', dropped: 1 }, 'one that fits once the LOW frame is gone');
  assert.deepEqual(frames(queue), ['high0', 'normal1', 'gift']);
});

test('to make room, LOW goes before NORMAL and the oldest first; a new NORMAL frame pushes out older NORMAL ones, a new LOW one goes before them', () => {
  const queue = queueOf(['normal', 10], ['low', 10], ['high', 10], ['normal', 10], ['low', 10]);
  assert.deepEqual(queue.admit(frame('normal', 20, 'fresh'), 50), { outcome: 'queued', dropped: 2 }, 'both LOW frames make room');
  assert.deepEqual(queue.admit(frame('normal', 15, 'fresher'), 50), { outcome: 'queued', dropped: 2 }, 'then the oldest NORMAL ones');
  assert.deepEqual(queue.admit(frame('low', 6), 50), { outcome: 'refused', dropped: 1 }, 'a LOW frame does not push out NORMAL ones');
  assert.equal(queue.bytes, 45);
  assert.deepEqual(frames(queue), ['high2', 'fresh', 'fresher']);
});

/** The policy written plainly (whole-array scans), to check the queue's bookkeeping against. */
function admitPlainly(model: QueuedFrame[], item: QueuedFrame, limit: number): Admission['outcome'] {
  const total = model.reduce((sum, queued) => sum + queued.bytes, 0);
  const over = total + item.bytes - limit;
  if (over > 0) {
    const candidates = (item.cls === 'low' ? ['low'] : ['low', 'normal']).flatMap((cls) => model.filter((queued) => queued.cls === cls));
    if (candidates.reduce((sum, queued) => sum + queued.bytes, 0) < over) return isDroppable(item.cls) ? 'refused' : 'overflow';
    let freed = 0;
    for (const queued of candidates) {
      if (freed >= over) break;
      freed += queued.bytes;
      model.splice(model.indexOf(queued), 1);
    }
  }
  model.push(item);
  return 'queued';
}

test('over a long random stream the queue follows the policy exactly, never holds more than its budget, and its counts match its frames', () => {
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const classes: FrameClass[] = ['normal', 'low', 'high', 'reliable'];
  const limit = 5_000;
  const queue = new SendQueue();
  const model: QueuedFrame[] = [];
  const outcomes = new Map<string, number>();
  for (let n = 0; n < 30_000; n++) {
    if (random() < 0.35) {
      assert.equal(queue.shift()?.frame, model.shift()?.frame, 'shift gives back the frames the policy kept, in order');
    } else {
      // Mostly chat-room frames, and now and then a burst of frames that may not be dropped.
      const burst = Math.floor(n / 1000) % 4 === 3;
      const item = frame(classes[(random() < (burst ? 0.9 : 0.2) ? 2 : 0) + Math.floor(random() * 2)]!, 1 + Math.floor(random() * 400), `f${n}`);
      const { outcome } = queue.admit(item, limit);
      assert.equal(outcome, admitPlainly(model, item, limit));
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      assert.ok(queue.bytes <= limit, `at most ${limit} bytes held, saw ${queue.bytes}`);
      if (outcome === 'overflow') model.splice(0), queue.clear(); // the socket is cut off
    }
    assert.equal(queue.bytes, model.reduce((sum, queued) => sum + queued.bytes, 0));
    assert.equal(queue.length, model.length);
  }
  assert.deepEqual([...outcomes.keys()].sort(), ['overflow', 'queued', 'refused'], 'the stream went through every outcome');
});

test('when the budget shrank under a queue (the socket\'s own buffer grew), a refused frame still sheds the queue back under it, or overflows', () => {
  const queue = queueOf(['high', 50], ['normal', 30], ['low', 10]);
  assert.deepEqual(queue.admit(frame('low', 5), 60), { outcome: 'refused', dropped: 3 }, 'the new frame, then the LOW and the NORMAL one');
  assert.equal(queue.bytes, 50);
  assert.deepEqual(queue.admit(frame('low', 5), 40), { outcome: 'overflow', dropped: 1 }, 'only a HIGH frame is left, over the budget');
});
