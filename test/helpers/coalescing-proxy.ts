import { createServer, connect, type Server, type Socket } from 'node:net';
import { fromFrame, type DecodedCommand } from '../../src/protocol/codec.js';

/**
 * A TCP proxy in front of a real server that can gather the WebSocket
 * frames the server writes to its clients and hand them over in writes of
 * the test's choosing: what a slow or congested link does when several
 * frames arrive before the client reads (the client's WebSocket then
 * parses them in one read), or when one frame arrives alone. Order is
 * never changed. The client's bytes to the server always pass at once.
 *
 * It also decodes the frames going either way (after the HTTP upgrade)
 * into `wire`, with the number of the write that carried each server frame
 * to the client.
 */
export interface CoalescingProxy {
  readonly port: number;
  /** ws://… of the proxy, for the client. */
  readonly wsUrl: string;
  /** From now on the server's frames to every client wait in the proxy. */
  gather(): void;
  /** Writes the first `count` gathered frames (all if omitted) of each client in one write; the rest keep waiting. */
  release(count?: number): void;
  /** Writes everything gathered and lets later frames pass at once. */
  flow(): void;
  /** Server frames gathered and not yet released (all connections). */
  readonly gatheredFrames: number;
  /** The commands gathered and not yet released, oldest first (all connections). */
  gathered(): DecodedCommand[];
  /** Frames seen so far, both ways, in the order the proxy saw them. */
  readonly wire: WireFrame[];
  close(): Promise<void>;
}

export interface WireFrame {
  connection: number;
  from: 'client' | 'server';
  /** For server frames: the number of the write that carried it to the client (0 while it waits). */
  write: number;
  command: DecodedCommand;
}

/** Splits one direction of a connection into the HTTP upgrade and whole WebSocket frames. */
class FrameReader {
  private buffer = Buffer.alloc(0);
  private upgraded = false;

  /** The bytes of the upgrade this chunk ended (to pass on as they are) and the whole frames it completed. */
  push(chunk: Buffer): { upgrade: Buffer | undefined; frames: { raw: Buffer; opcode: number; payload: Buffer }[] } {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    let upgrade: Buffer | undefined;
    const frames: { raw: Buffer; opcode: number; payload: Buffer }[] = [];
    if (!this.upgraded) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return { upgrade: undefined, frames };
      this.upgraded = true;
      upgrade = this.buffer.subarray(0, end + 4);
      this.buffer = this.buffer.subarray(end + 4);
    }
    for (;;) {
      if (this.buffer.length < 2) break;
      const opcode = this.buffer[0]! & 0x0f;
      const masked = (this.buffer[1]! & 0x80) !== 0;
      let length = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) break;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) break;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      const maskAt = offset;
      if (masked) offset += 4;
      if (this.buffer.length < offset + length) break;
      const payload = Buffer.from(this.buffer.subarray(offset, offset + length));
      if (masked) for (let n = 0; n < payload.length; n++) payload[n]! ^= this.buffer[maskAt + (n % 4)]!;
      frames.push({ raw: Buffer.from(this.buffer.subarray(0, offset + length)), opcode, payload });
      this.buffer = this.buffer.subarray(offset + length);
    }
    return { upgrade, frames };
  }
}

function decoded(opcode: number, payload: Buffer): DecodedCommand | undefined {
  if (opcode === 2) return fromFrame(new Uint8Array(payload));
  if (opcode === 1) return fromFrame(payload.toString());
  return undefined;
}

export async function startCoalescingProxy(targetHost: string, targetPort: number): Promise<CoalescingProxy> {
  interface Pair {
    client: Socket;
    upstream: Socket;
    gathered: { raw: Buffer; seen: WireFrame | undefined }[];
  }
  const pairs = new Set<Pair>();
  const wire: WireFrame[] = [];
  let gathering = false;
  let connections = 0;
  let writes = 0;
  const writeFrames = (pair: Pair, frames: { raw: Buffer; seen: WireFrame | undefined }[]) => {
    if (frames.length === 0) return;
    writes += 1;
    for (const { seen } of frames) if (seen) seen.write = writes;
    pair.client.write(Buffer.concat(frames.map(({ raw }) => raw)));
  };
  const server: Server = createServer((client) => {
    const connection = ++connections;
    const upstream = connect(targetPort, targetHost);
    const pair: Pair = { client, upstream, gathered: [] };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    const fromClient = new FrameReader();
    const fromServer = new FrameReader();
    client.on('data', (chunk: Buffer) => {
      for (const { opcode, payload } of fromClient.push(chunk).frames) {
        const command = decoded(opcode, payload);
        if (command) wire.push({ connection, from: 'client', write: 0, command });
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      const { upgrade, frames } = fromServer.push(chunk);
      if (upgrade) client.write(upgrade);
      const seen = frames.map(({ raw, opcode, payload }) => {
        const command = decoded(opcode, payload);
        const frame = command ? { connection, from: 'server' as const, write: 0, command } : undefined;
        if (frame) wire.push(frame);
        return { raw, seen: frame };
      });
      if (gathering) pair.gathered.push(...seen);
      else writeFrames(pair, seen);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  const proxy: CoalescingProxy = {
    port: address.port,
    wsUrl: `ws://127.0.0.1:${address.port}`,
    gather() {
      gathering = true;
    },
    release(count) {
      for (const pair of pairs) writeFrames(pair, pair.gathered.splice(0, count ?? pair.gathered.length));
    },
    flow() {
      gathering = false;
      proxy.release();
    },
    gathered() {
      return [...pairs].flatMap((pair) => pair.gathered.flatMap(({ seen }) => (seen ? [seen.command] : [])));
    },
    get gatheredFrames() {
      let frames = 0;
      for (const pair of pairs) frames += pair.gathered.length;
      return frames;
    },
    wire,
    close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
