/**
 * Receivers that cost the load generator next to nothing, for the latency
 * row of `bench/goals.ts`: each opens its WebSocket (and, on lc-chat, logs
 * in) like any client, then stops being a WebSocket client. From there it
 * reads its socket as raw TCP and only walks the frame headers to count the
 * frames: no payload is copied, unmasked, decoded or emitted as an event.
 * The server still writes every byte to every one of them, so it does all
 * of its work; only the generator's share of the two cores shrinks.
 *
 * Run as a child process (`node --import tsx bench/raw-members.ts`) so that
 * even that little runs beside, not inside, the process that sends and
 * times the sampled receptions. It answers IPC messages:
 *
 * - `{ open: { url, protocol?, appId?, ids } }`: one socket per id (logged
 *   in as that id when `appId` is given) → `{ opened: ids.length }`
 * - `{ reset: true }` → `{ reset: true }`: counts back to 0, and from there
 *   the sockets are read in rounds (readInRounds)
 * - `{ count: true }` → `{ frames, bytes, odd }` for all sockets together
 * - `{ close: true }`: destroys the sockets and exits
 */
import type { Socket } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { RawClient } from '../test/helpers/raw-client.js';

/**
 * Counts the WebSocket frames in a byte stream from a server (unmasked) by
 * their headers alone, skipping every payload, whatever the chunking.
 */
export class FrameCounter {
  frames = 0;
  bytes = 0;
  /**
   * Frames that are neither a whole text nor a whole binary message (FIN
   * set, no RSV bits): none come from these servers, so any means the walk
   * lost its place and the counts are wrong.
   */
  odd = 0;
  /** Payload bytes of the current frame still to skip. */
  private skip = 0;
  /** A header split across chunks, gathered here. */
  private readonly header = Buffer.alloc(14);
  private have = 0;

  feed(chunk: Buffer): void {
    this.bytes += chunk.length;
    let at = 0;
    const end = chunk.length;
    while (at < end) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, end - at);
        this.skip -= n;
        at += n;
        continue;
      }
      // A whole header in this chunk is the common case: read it in place.
      if (this.have === 0) {
        const length = headerLength(chunk, at, end);
        if (length > 0 && at + length <= end) {
          this.frame(chunk, at);
          at += length;
          continue;
        }
      }
      this.header[this.have++] = chunk[at++]!;
      const length = headerLength(this.header, 0, this.have);
      if (length > 0 && this.have === length) {
        this.frame(this.header, 0);
        this.have = 0;
      }
    }
  }

  private frame(bytes: Buffer, at: number): void {
    const first = bytes[at]!;
    const opcode = first & 0x0f;
    if (first !== 0x81 && first !== 0x82) this.odd += 1;
    const len7 = bytes[at + 1]! & 0x7f;
    let payload = len7;
    if (len7 === 126) payload = bytes.readUInt16BE(at + 2);
    else if (len7 === 127) payload = Number(bytes.readBigUInt64BE(at + 2));
    // Control frames (close, ping, pong) are not deliveries.
    if (opcode < 8) this.frames += 1;
    this.skip = payload;
  }
}

/** The length of the header starting at `at`, or 0 if fewer than 2 bytes are there to tell. */
function headerLength(bytes: Buffer, at: number, end: number): number {
  if (end - at < 2) return 0;
  const len7 = bytes[at + 1]! & 0x7f;
  const mask = bytes[at + 1]! & 0x80 ? 4 : 0;
  return (len7 === 126 ? 4 : len7 === 127 ? 10 : 2) + mask;
}

/**
 * Takes the TCP socket away from a `ws` client: ws stops reading it and
 * `counter` sees every byte from here on. Only at a frame boundary (ws
 * holds no partial frame), so the counter starts at a header.
 */
export function detach(ws: WebSocket, counter: FrameCounter): Socket {
  const internals = ws as unknown as { _socket: Socket; _receiver: { _bufferedBytes: number } };
  if (internals._receiver._bufferedBytes !== 0) throw new Error('ws holds part of a frame: cannot detach here');
  const socket = internals._socket;
  socket.removeAllListeners('data');
  socket.on('data', (chunk: Buffer) => counter.feed(chunk));
  return socket;
}

interface OpenRequest {
  url: string;
  protocol?: string;
  appId?: string;
  ids: string[];
}

/** Each socket's stream is walked on its own: a header may be split across its chunks. */
async function openOne(request: OpenRequest, id: string, counter: FrameCounter): Promise<Socket> {
  if (request.appId !== undefined) {
    const client = await RawClient.connect(request.url, request.protocol);
    await client.login(request.appId, id);
    return detach(client.ws, counter);
  }
  const ws = new WebSocket(request.url, { perMessageDeflate: false });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return detach(ws, counter);
}

/** How long the counting process sleeps between two rounds of reads while a run is counted. */
const READ_ROUND_MS = 5;

/**
 * From here on, reads every socket in rounds: the event loop sleeps
 * READ_ROUND_MS between its polls, so the kernel gathers what the server
 * wrote meanwhile and one read per socket takes all of it, where a read
 * (and the process's wakeup) per segment cost about as much as the server
 * spent writing it. The server still writes every frame, and every byte
 * is still read and walked; these members' own latency is not measured
 * (the sampled members, in the sender's process, read as frames arrive).
 * The sleep is a blocking wait between turns, not a timer: a process
 * waiting in epoll would be woken by each segment.
 */
function readInRounds(): void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const round = () => {
    Atomics.wait(cell, 0, 0, READ_ROUND_MS);
    // The next poll of the loop reads all that came in; the round after it waits again.
    setImmediate(round);
  };
  setImmediate(round);
}

async function serve(): Promise<void> {
  let reading = false;
  const counters: FrameCounter[] = [];
  const sockets: Socket[] = [];
  const reply = (message: object) => process.send!(message);
  process.on('message', (message: { open?: OpenRequest; reset?: true; count?: true; close?: true }) => {
    if (message.open) {
      const request = message.open;
      void (async () => {
        for (let n = 0; n < request.ids.length; n += 25) {
          const batch = request.ids.slice(n, n + 25).map(() => new FrameCounter());
          counters.push(...batch);
          sockets.push(...(await Promise.all(request.ids.slice(n, n + 25).map((id, k) => openOne(request, id, batch[k]!)))));
        }
        reply({ opened: request.ids.length });
      })().catch((error: unknown) => reply({ error: String(error) }));
    } else if (message.reset) {
      for (const counter of counters) counter.frames = counter.bytes = counter.odd = 0;
      if (!reading) readInRounds();
      reading = true;
      reply({ reset: true });
    } else if (message.count) {
      let frames = 0;
      let bytes = 0;
      let odd = 0;
      for (const counter of counters) {
        frames += counter.frames;
        bytes += counter.bytes;
        odd += counter.odd;
      }
      reply({ frames, bytes, odd });
    } else if (message.close) {
      for (const socket of sockets) socket.destroy();
      process.exit(0);
    }
  });
  // The bench process gone, nothing is left to report to.
  process.on('disconnect', () => process.exit(0));
  reply({ ready: true });
}

// Serves only when run as the child process, not when imported (by the tests).
if (process.send && process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await serve();
