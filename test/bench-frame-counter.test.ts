/**
 * The latency bench's counting members (bench/raw-members.ts) count
 * deliveries by walking WebSocket frame headers only: the count must be
 * exact however TCP cuts the stream, and a walk that loses its place must
 * show it rather than count garbage.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as wsModule from 'ws';
import { FrameCounter } from '../bench/raw-members.js';

const Sender = (wsModule as unknown as { Sender: { frame(data: Buffer, options: object): Buffer[] } }).Sender;
const frameOf = (size: number, opcode = 2) => Buffer.concat(Sender.frame(Buffer.alloc(size, 7), { fin: true, rsv1: false, opcode, mask: false, readOnly: true }));

test('every frame is counted once, whatever the chunking, across every header length', () => {
  const sizes = [0, 1, 125, 126, 127, 200, 65_535, 65_536, 70_000, 3, 4096];
  const stream = Buffer.concat([...sizes.map((size) => frameOf(size)), frameOf(20, 1), frameOf(2, 9)]);
  let seed = 11;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  for (let trial = 0; trial < 200; trial++) {
    const counter = new FrameCounter();
    for (let at = 0; at < stream.length; ) {
      const length = 1 + Math.floor(random() * (trial % 2 ? 7 : 3000));
      counter.feed(stream.subarray(at, at + length));
      at += length;
    }
    assert.deepEqual([counter.frames, counter.bytes, counter.odd], [sizes.length + 1, stream.length, 1], 'the ping is not a delivery, and not a whole message');
  }
});

test('a stream entered mid-frame shows up as odd frames', () => {
  const counter = new FrameCounter();
  const stream = Buffer.concat(Array.from({ length: 50 }, (_, n) => frameOf(100 + n)));
  counter.feed(stream.subarray(37));
  assert.ok(counter.odd > 0, 'the walk noticed it lost its place');
});
