/**
 * When a connection's frames leave: the flush of a turn goes behind the
 * work queued for that turn (flushAfterQueuedWork: a `direct` batch's
 * commit and pushes), and a conv query's reply still leaves in a write of
 * its own before the pushes it held back.
 */
import assert from 'node:assert/strict';
import type { AddressInfo, Socket } from 'node:net';
import { test } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { CommandType, decodeCommand, encodeCommand } from '../src/protocol/codec.js';
import { pickSubprotocol } from '../src/protocol/subprotocols.js';
import { Connection, flushAfterQueuedWork } from '../src/server/gateway/connection.js';

const limits = { maxBufferedBytes: 1 << 20, writeHighWaterBytes: 256 * 1024, maxQueueAgeMs: 30_000, maxPendingReplies: 4 };

/** A server-side Connection to a real client, and the writes its socket hands to the kernel, each as the commands it holds. */
async function connected(t: { after(fn: () => void | Promise<void>): void }): Promise<{ connection: Connection; writes: number[][]; received: number[] }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false, handleProtocols: () => 'lc.protobuf2.3' });
  await new Promise((resolve) => wss.once('listening', resolve));
  const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, 'lc.protobuf2.3', { perMessageDeflate: false });
  const received: number[] = [];
  client.on('message', (data: Buffer) => received.push(decodeCommand(new Uint8Array(data)).i ?? -1));
  await new Promise((resolve) => client.once('open', resolve));
  const ws = await accepted;
  t.after(async () => {
    client.terminate();
    await new Promise((resolve) => wss.close(resolve));
  });
  // Each call of the stream's _write/_writev is one write to the kernel.
  const raw = (ws as unknown as { _socket: Socket & { _write: Function; _writev: Function } })._socket;
  const writes: number[][] = [];
  // A frame here is [header, body]; its serial `i` tells the commands apart.
  const commandsIn = (bytes: Buffer): number[] => {
    const out: number[] = [];
    for (let at = 0; at < bytes.length; ) {
      const length = bytes[at + 1]! & 0x7f;
      const header = length === 126 ? 4 : 2;
      const size = length === 126 ? bytes.readUInt16BE(at + 2) : length;
      out.push(decodeCommand(new Uint8Array(bytes.subarray(at + header, at + header + size))).i ?? -1);
      at += header + size;
    }
    return out;
  };
  const write = raw._write.bind(raw);
  raw._write = (chunk: Buffer, encoding: BufferEncoding, callback: () => void) => {
    writes.push(commandsIn(chunk));
    return write(chunk, encoding, callback);
  };
  const writev = raw._writev.bind(raw);
  raw._writev = (chunks: { chunk: Buffer }[], callback: () => void) => {
    writes.push(commandsIn(Buffer.concat(chunks.map(({ chunk }) => chunk))));
    return writev(chunks, callback);
  };
  const connection = new Connection(ws, pickSubprotocol(['lc.protobuf2.3'])!, limits, '127.0.0.1');
  return { connection, writes, received };
}

const command = (i: number) => encodeCommand({ cmd: CommandType.ack, i });
const turn = () => new Promise((resolve) => setImmediate(resolve));

test('frames queued by work queued earlier in the turn leave in the same turn, in one write with those already due', async (t) => {
  const { connection, writes, received } = await connected(t);
  connection.sendEncoded(command(1));
  // Stands for a direct batch: its commit and pushes come in an immediate queued after the flush was.
  setImmediate(() => connection.sendEncoded(command(2)));
  flushAfterQueuedWork();
  // Queued after both: by then they were written.
  await turn();
  assert.deepEqual(writes, [[1, 2]], 'one write, in order, in the turn of the work that queued the second frame');
  connection.sendEncoded(command(3));
  await turn();
  await turn();
  assert.deepEqual(writes, [[1, 2], [3]], 'a frame queued with no flush pending leaves on its own schedule');
  while (received.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(received, [1, 2, 3]);
});

test('a conv query reply leaves in a write of its own, and pushes, those published in its turn included, a turn later', async (t) => {
  const { connection, writes, received } = await connected(t);
  const release = connection.holdPushesUntilReplied();
  connection.sendPush(command(10));
  connection.sendEncoded(command(1));
  release();
  // A direct batch in the same turn: a push to this socket and an ack; its flush goes behind it.
  setImmediate(() => {
    connection.sendPush(command(11));
    connection.sendEncoded(command(2));
  });
  flushAfterQueuedWork();
  await turn();
  assert.deepEqual(writes, [[1], [2]], 'the reply left alone, and no push followed it in its turn');
  for (let n = 0; n < 3; n++) await turn();
  assert.deepEqual(writes, [[1], [2], [10, 11]], 'the pushes a turn later, in order');
  while (received.length < 4) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(received, [1, 2, 10, 11]);
});
