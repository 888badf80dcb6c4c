/**
 * The peers lc-chat is measured against in `bench/goals.ts`, each run as
 * its own process (`node --import tsx bench/peer-servers.ts <kind>`) so its
 * CPU is counted alone, under the same load generator as lc-chat:
 *
 * - `ws-each`: a bare `ws` server writing one frame per delivery.
 * - `ws-corked`: the same, queuing one tick's frames per socket and writing
 *   them corked (one syscall per socket per tick).
 * - `socketio`: Socket.IO broadcasting to a room.
 * - `sqlite-ack`: a minimal persisted-message loop: decode a `direct`,
 *   insert it in the tick's SQLite transaction, ack after commit.
 *
 * Room peers: every socket is in one room; a text frame `<id> <payload>`
 * goes to every other socket and is answered `<id>` (the sender's ack).
 * Prints `listening <port>` once ready.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Server as SocketIoServer } from 'socket.io';
import { WebSocketServer, type WebSocket } from 'ws';
import { CommandType, decodeCommand, encodeCommand } from '../src/protocol/codec.js';

const kind = process.argv[2];
const http = createServer();
const MAX_PAYLOAD = 1024 * 1024;

/** Splits `<id> <payload>`. */
function parse(text: string): { id: string; payload: string } {
  const space = text.indexOf(' ');
  return { id: text.slice(0, space), payload: text.slice(space + 1) };
}

function roomServer(deliver: (to: WebSocket, payload: string) => void): void {
  const wss = new WebSocketServer({ server: http, maxPayload: MAX_PAYLOAD, perMessageDeflate: false });
  const sockets = new Set<WebSocket>();
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data) => {
      const { id, payload } = parse(data.toString());
      for (const other of sockets) if (other !== ws) deliver(other, payload);
      ws.send(id);
    });
  });
}

function wsCorked(): void {
  const pending = new Map<WebSocket, string[]>();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    for (const [ws, frames] of pending) {
      // ws has no public batch write: cork its net.Socket so the frames of a tick leave in one writev.
      const raw = (ws as unknown as { _socket: Socket })._socket;
      raw.cork();
      for (const frame of frames) ws.send(frame);
      raw.uncork();
    }
    pending.clear();
  };
  roomServer((ws, payload) => {
    const frames = pending.get(ws);
    if (frames) frames.push(payload);
    else pending.set(ws, [payload]);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  });
}

function socketIo(): void {
  const io = new SocketIoServer(http, { transports: ['websocket'], perMessageDeflate: false, maxHttpBufferSize: MAX_PAYLOAD });
  io.on('connection', (socket) => {
    void socket.join('room');
    socket.on('m', (payload: string, ack: () => void) => {
      socket.to('room').emit('m', payload);
      ack();
    });
  });
}

function sqliteAck(): void {
  const db = new Database(join(mkdtempSync(join(tmpdir(), 'lc-peer-')), 'peer.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE messages (cid TEXT NOT NULL, seq INTEGER NOT NULL, sender TEXT, dt TEXT, data TEXT, ts INTEGER, PRIMARY KEY (cid, seq))');
  const insert = db.prepare('INSERT INTO messages (cid, seq, sender, dt, data, ts) VALUES (?, ?, ?, ?, ?, ?)');
  const seqs = new Map<string, number>();
  let batch: { ws: WebSocket; i: number; cid: string; from: string; dt: string; msg: string }[] = [];
  const commit = db.transaction((rows: typeof batch, now: number) => {
    for (const row of rows) {
      const seq = (seqs.get(row.cid) ?? 0) + 1;
      seqs.set(row.cid, seq);
      insert.run(row.cid, seq, row.from, row.dt, row.msg, now);
    }
  });
  const flush = () => {
    const rows = batch;
    batch = [];
    const now = Date.now();
    commit(rows, now);
    for (const row of rows) row.ws.send(encodeCommand({ cmd: CommandType.ack, i: row.i, ackMessage: { uid: `${row.cid}:${row.i}`, t: now } }));
  };
  const wss = new WebSocketServer({ server: http, maxPayload: MAX_PAYLOAD, perMessageDeflate: false });
  wss.on('connection', (ws) => {
    ws.on('message', (data: Buffer) => {
      const command = decodeCommand(new Uint8Array(data));
      if (command.cmd === CommandType.session) return ws.send(encodeCommand({ cmd: CommandType.session, i: command.i, peerId: command.peerId }));
      const direct = command.directMessage;
      if (!direct?.cid) return;
      if (batch.length === 0) setImmediate(flush);
      batch.push({ ws, i: command.i, cid: direct.cid, from: command.peerId, dt: direct.dt ?? "", msg: direct.msg ?? "" });
    });
  });
}

const servers: Record<string, () => void> = {
  'ws-each': () => roomServer((ws, payload) => ws.send(payload)),
  'ws-corked': wsCorked,
  socketio: socketIo,
  'sqlite-ack': sqliteAck,
};
const start = kind === undefined ? undefined : servers[kind];
if (!start) throw new Error(`usage: peer-servers.ts <${Object.keys(servers).join('|')}>`);
start();
http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
});
process.on('SIGTERM', () => process.exit(0));
