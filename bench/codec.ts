/**
 * `npm run bench:codec`: encode and decode speed of our codec
 * (src/protocol/proto-codec.ts) against the protobufjs static code it
 * replaced (kept as test/helpers/protobufjs-reference.js), in the same run,
 * on the commands the server and the SDK handle most: a direct message as a
 * client sends it and as it is pushed, its ack, a session open and a
 * conversation query's result with 50 conversations.
 *
 * Decoding is timed on a Node Buffer (what `ws` hands the server; the old
 * codec read it through its StrictBufferReader, reproduced here) and on a
 * plain Uint8Array (what a browser's WebSocket gives the SDK). Each figure
 * is the median of several rounds of CPU time (not wall time: other
 * processes on a shared machine do not count), the two codecs alternating
 * within each round so that a busy machine slows both alike.
 *
 * CODEC_BENCH_ROUNDS=n sets the rounds (7); CODEC_BENCH_ONLY=text runs only
 * the commands whose name holds the text.
 */
import $protobuf from 'protobufjs/minimal.js';
import { CommandType, OpType, decodeCommand, encodeCommand, type Command } from '../src/protocol/codec.js';
import { push_server } from '../test/helpers/protobufjs-reference.js';

const Reference = push_server.messages2.GenericCommand;

/** The old codec's reader for Node buffers: it throws for a string that runs past the end. */
class StrictBufferReader extends $protobuf.BufferReader {
  override string(): string {
    const start = this.pos;
    const length = this.uint32();
    if (this.pos + length > this.len) throw new RangeError(`a string of ${length} bytes runs past the end of the frame`);
    this.pos = start;
    return super.string();
  }
}

const reference = {
  encode: (command: Command) => Reference.encode(command).finish(),
  decode: (bytes: Uint8Array) => Reference.decode(Buffer.isBuffer(bytes) ? new StrictBufferReader(bytes) : bytes),
};
const ours = { encode: encodeCommand, decode: decodeCommand };

const cid = '6751a3f2c1d4e5f6a7b8c9d0';
const at = Date.UTC(2026, 11, 6, 12, 30);
const text = JSON.stringify({ _lctype: -1, _lctext: 'On my way, see you at the station in ten minutes 🚉', _lcattrs: { clientSide: 'web' } });

function conversation(n: number) {
  return {
    objectId: `6751a3f2c1d4e5f6a7b8${String(n).padStart(4, '0')}`,
    name: `Project room ${n}`,
    m: ['alice', 'bob', `carol-${n}`],
    c: 'alice',
    tr: false,
    unique: true,
    createdAt: new Date(at - n * 86_400_000).toISOString(),
    updatedAt: new Date(at - n * 3_600_000).toISOString(),
    lm: { __type: 'Date', iso: new Date(at - n * 60_000).toISOString() },
    attr: { topic: `topic ${n}`, pinned: n % 7 === 0 },
  };
}

const CASES: { name: string; hot: boolean; command: Command }[] = [
  {
    name: 'direct, as sent',
    hot: true,
    command: { cmd: CommandType.direct, i: 42, peerId: 'alice', directMessage: { cid, msg: text, r: true, dt: 'alice-1733488200000-17' } },
  },
  {
    name: 'direct, as pushed',
    hot: true,
    command: {
      cmd: CommandType.direct,
      peerId: 'bob',
      serverTs: at + 5,
      directMessage: { cid, id: 'Yx3kQ9aZ2bTn8LmPq4Rs', fromPeerId: 'alice', timestamp: at, msg: text, convType: 1 },
    },
  },
  { name: 'ack', hot: true, command: { cmd: CommandType.ack, i: 42, serverTs: at + 5, ackMessage: { uid: 'Yx3kQ9aZ2bTn8LmPq4Rs', t: at } } },
  {
    name: 'session open',
    hot: false,
    command: {
      cmd: CommandType.session,
      op: OpType.open,
      appId: 'dev-app-3f9a2c',
      peerId: 'alice',
      i: 1,
      sessionMessage: { ua: 'js/4.3.1 (Chrome 131)', deviceId: '7d2f0c1e-9b8a-4c3d-a1e2-f3b4c5d6e7f8', configBitmap: 0xb7, lastUnreadNotifTime: at - 60_000, lastPatchTime: at - 90_000, t: at, n: 'n0nce', s: 'signature-0123456789abcdef' },
    },
  },
  {
    name: 'conv query result, 50 conversations',
    hot: false,
    command: {
      cmd: CommandType.conv,
      op: OpType.results,
      i: 7,
      peerId: 'alice',
      convMessage: { results: { data: JSON.stringify(Array.from({ length: 50 }, (_, n) => conversation(n))) } },
    },
  },
];

/** This process's CPU time in ms (all its threads: the garbage collector's count too). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Operations per CPU-second of `run`, over at least `minMs` of CPU time.
 * CPU time rather than wall time: on a shared machine other processes take
 * turns on the cores, which stretches wall time but not ours.
 */
function opsPerSecond(run: () => unknown, minMs = 150): number {
  let count = 0;
  let batch = 64;
  const started = cpuMs();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let n = 0; n < batch; n++) run();
    count += batch;
    batch *= 2;
    elapsed = cpuMs() - started;
  }
  return (count / elapsed) * 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

type Run = () => unknown;
type Cell = { name: string; hot: boolean; op: string; runs: readonly [reference: Run, ours: Run]; reference: number[]; ours: number[] };
const cells: Cell[] = [];
const only = process.env.CODEC_BENCH_ONLY;
for (const { name, hot, command } of CASES) {
  if (only && !name.includes(only)) continue;
  const bytes = ours.encode(command);
  if (!Buffer.from(reference.encode(command)).equals(Buffer.from(bytes))) throw new Error(`${name}: the two codecs encode differently`);
  const buffer = Buffer.from(bytes);
  const array = new Uint8Array(bytes);
  const cell = (op: string, runs: Cell['runs']): Cell => ({ name, hot, op, runs, reference: [], ours: [] });
  cells.push(
    cell('encode', [() => reference.encode(command), () => ours.encode(command)]),
    cell('decode Buffer', [() => reference.decode(buffer), () => ours.decode(buffer)]),
    cell('decode Uint8Array', [() => reference.decode(array), () => ours.decode(array)]),
  );
}

const ROUNDS = Number(process.env.CODEC_BENCH_ROUNDS ?? 7);
// Round 0 warms both up and is not counted.
for (let round = 0; round <= ROUNDS; round++) {
  for (const cell of cells) {
    const [theirs, mine] = cell.runs;
    const first = round % 2 === 0;
    const a = opsPerSecond(first ? theirs : mine);
    const b = opsPerSecond(first ? mine : theirs);
    if (round === 0) continue;
    cell.reference.push(first ? a : b);
    cell.ours.push(first ? b : a);
  }
}

const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M/s` : `${(n / 1e3).toFixed(1)} k/s`);
console.log(`\ncodec: ours (src/protocol/proto-codec.ts) against protobufjs 7 static code, median of ${ROUNDS} rounds`);
console.log(`${'command'.padEnd(38)} ${'operation'.padEnd(18)} ${'protobufjs'.padStart(11)} ${'ours'.padStart(11)} ${'ours/pbjs'.padStart(10)}`);
for (const cell of cells) {
  const theirs = median(cell.reference);
  const mine = median(cell.ours);
  console.log(`${(cell.name + (cell.hot ? ' *' : '')).padEnd(38)} ${cell.op.padEnd(18)} ${fmt(theirs).padStart(11)} ${fmt(mine).padStart(11)} ${`×${(mine / theirs).toFixed(2)}`.padStart(10)}`);
}
console.log('* the hot commands: every message sent, pushed and acked');
for (const { name, command } of CASES) console.log(`  ${name}: ${encodeCommand(command).length} bytes`);
