/**
 * The first messages of a group an official SDK has never seen, arriving
 * in reads of the test's choosing. A proxy between the SDK and a real
 * server gathers the server's frames and hands them over in writes the
 * test picks, never changing their order: what a slow or congested link
 * does.
 *
 * The official SDKs (3.5.7 and 4.3.1) handle each `direct` push on its own:
 * `Promise.all([getConversation(cid), parse(msg)])`, then emit. For a
 * conversation not in their cache `getConversation` sends a `conv query`
 * and waits for its reply; once any reply is in, the conversation is
 * cached and a later push is emitted after a few microtasks, without
 * waiting. So a push read after the first reply was handled overtakes the
 * pushes read before it whose queries are still unanswered. Which pushes
 * arrive before which replies is set by the network and the client, not by
 * the server alone (docs/official-sdk-message-order.md): the server cannot guarantee the
 * order. What these tests pin down:
 *
 * - all pushes in one read: in order (every push queries; replies come in order);
 * - the reads the earlier failures had ([m00 m01] [m02..m04] [r1 r2] [m05..m14] [r3..r5]):
 *   the official SDKs emit m00 m01 m05..m14 m02..m04, the order seen in those failures;
 * - the same reads with the app-side plugin of docs/official-sdk-message-order.md: in order;
 * - the same reads with our SDK: in order (src/sdk/push-handler.ts handles one conversation's pushes in arrival order).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { CommandType, OpType, has, type DecodedCommand } from '../src/protocol/codec.js';
import { Realtime, type Message, type TextMessage } from '../src/sdk/index.js';
import { startCoalescingProxy, type CoalescingProxy, type WireFrame } from './helpers/coalescing-proxy.js';
import { inArrivalOrder } from './helpers/official-order-plugin.js';
import { v3, v4, type OfficialMessage, type OfficialSdk } from './helpers/official-sdk.js';
import { rawEnvironment, type RawEnvironment } from './helpers/raw-env.js';

/**
 * The server without the ack gate (ackGateMs 0: what the SDKs do with a
 * given wire), and with it. The gate's bound is longer here than the
 * default so that a push released by it rather than by the client's ack
 * would come too late for the tests' waits.
 */
const plain = rawEnvironment({ ackGateMs: 0 });
const gated = rawEnvironment({ ackGateMs: 30_000 });
const env = plain;
const text = (value: string) => JSON.stringify({ _lctype: -1, _lctext: value });
const N = 15;
const texts = Array.from({ length: N }, (_, n) => `m${String(n).padStart(2, '0')}`);

const proxies = new Map<RawEnvironment, CoalescingProxy>();
const closers: (() => unknown)[] = [];
/** The proxy in front of a server of this file (which starts in before()). */
async function proxied(side: RawEnvironment = plain): Promise<CoalescingProxy> {
  let proxy = proxies.get(side);
  if (!proxy) {
    const { hostname, port } = new URL(side.server.wsUrl);
    proxies.set(side, (proxy = await startCoalescingProxy(hostname, Number(port))));
  }
  return proxy;
}
after(async () => {
  for (const close of closers) await close();
  for (const proxy of proxies.values()) await proxy.close();
});

async function until(condition: () => boolean, what: () => string): Promise<void> {
  for (let tries = 0; tries < 1000; tries++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what()}`);
}

/** One connection's frames, one line each, for a failure's message and NOTES. */
function describeWire(frames: WireFrame[]): string {
  return frames
    .map(({ from, write, command }) => {
      const what = command.directMessage?.msg ? (JSON.parse(command.directMessage.msg) as { _lctext: string })._lctext : '';
      const name = `${CommandType[command.cmd] ?? command.cmd}${has(command, 'op') ? `/${OpType[command.op] ?? command.op}` : ''}`;
      return `${from === 'server' ? `  <- write ${write}` : '->'} ${name}${command.i ? ` i=${command.i}` : ''} ${what}`;
    })
    .join('\n');
}

interface Receiver {
  /** Texts emitted by the SDK's `message` event, in emission order. */
  readonly got: string[];
  close(): Promise<unknown>;
}

type Login = (wsUrl: string, id: string) => Promise<Receiver>;

function official(sdk: OfficialSdk, noBinary: boolean, plugins: object[] = []): Login {
  return async (wsUrl, id) => {
    const realtime = sdk.realtime({ appId: env.server.appId, appKey: env.server.appKey, wsUrl, noBinary, plugins });
    closers.push(() => (realtime as unknown as { _close(): void })._close());
    const client = await realtime.createIMClient(id);
    const got: string[] = [];
    client.on('message', ((message: OfficialMessage) => got.push(message.text ?? '')) as (...args: never[]) => void);
    return { got, close: () => client.close() };
  };
}

function ours(noBinary: boolean): Login {
  return async (wsUrl, id) => {
    const realtime = new Realtime({ appId: env.server.appId, appKey: env.server.appKey, server: wsUrl, noBinary });
    closers.push(() => realtime.close());
    const client = await realtime.createIMClient(id);
    const got: string[] = [];
    client.on('message', (message: Message) => got.push((message as TextMessage).text ?? ''));
    return { got, close: () => client.close() };
  };
}

/**
 * Logs `label`'s receiver in through the proxy as a member of a group it
 * has never seen (a temporary conversation if asked: 4.x fetches those by
 * `tempConvIds`); Tom sends from a raw socket.
 */
async function setUp(label: string, login: Login, side: RawEnvironment = plain, temporary = false) {
  const proxy = await proxied(side);
  const [jerryId, tomId, bobId] = ['Jerry', 'Tom', 'Bob'].map((who) => `co-${who}-${label.replaceAll(' ', '-')}`) as [string, string, string];
  const tom = await side.login(tomId);
  // The group exists before Jerry logs in and has no message yet: his SDK has never seen it, and login tells it nothing.
  const started = await tom.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: [jerryId, bobId], ...(temporary ? { tempConv: true } : {}) } });
  const cid = started.convMessage!.cid!;
  if (temporary) assert.ok(cid.startsWith('_tmp:'), `a temporary conversation: ${cid}`);
  const wireFrom = proxy.wire.length;
  const jerry = await login(proxy.wsUrl, jerryId);
  const connection = proxy.wire.slice(wireFrom).find((frame) => frame.from === 'client')!.connection;
  const wire = () => proxy.wire.slice(wireFrom).filter((frame) => frame.connection === connection);
  /** Sends in order; resolves with the messages' timestamps. */
  const send = async (values: string[]) => {
    const timestamps: number[] = [];
    for (const value of values) {
      const ack = await tom.request({ cmd: CommandType.direct, directMessage: { cid, msg: text(value) } });
      assert.equal(ack.cmd, CommandType.ack);
      timestamps.push(Number(ack.ackMessage!.t));
    }
    return timestamps;
  };
  /** Every conv query the client sent was answered (the reply reached the proxy). */
  const queriesAnswered = () => {
    const asked = wire().filter(({ from, command }) => from === 'client' && command.cmd === CommandType.conv && command.op === OpType.query);
    const answered = new Set(wire().flatMap(({ from, command }) => (from === 'server' && command.i ? [command.i] : [])));
    return asked.length > 0 && asked.every(({ command }) => answered.has(command.i!));
  };
  const isPush = (command: DecodedCommand) => command.cmd === CommandType.direct;
  /** How many gathered frames come before the first push (replies), or after the leading pushes. */
  const leading = (push: boolean) => {
    const pending = proxy.gathered();
    const index = pending.findIndex((command) => isPush(command) !== push);
    return index < 0 ? pending.length : index;
  };
  const queriesSent = () => wire().filter(({ from, command }) => from === 'client' && command.cmd === CommandType.conv && command.op === OpType.query).length;
  return { proxy, jerry, send, queriesAnswered, queriesSent, leading, frames: wire, wire: () => describeWire(wire()) };
}

for (const [sdk, noBinary] of [[v4, false], [v4, true], [v3, false], [v3, true]] as const) {
  const label = `${sdk.version} ${noBinary ? 'base64' : 'binary'}`;

  test(`official SDK ${label}: a new group's first ${N} messages in one read are emitted in the order they were sent`, async () => {
    const { proxy, jerry, send, wire } = await setUp(`one ${label}`, official(sdk, noBinary));
    proxy.gather();
    try {
      await send(texts);
      await until(() => proxy.gatheredFrames >= N, () => `${N} pushes to reach the proxy`);
    } finally {
      proxy.flow();
    }
    await until(() => jerry.got.length >= N, () => `${N} messages, got ${jerry.got.join(' ')}\n${wire()}`);
    assert.deepEqual(jerry.got, texts, `in the order they were sent; the wire:\n${wire()}`);
    await jerry.close();
  });
}

/** Waits for all N messages, then closes the receiver: what it emitted, in order, and the wire. */
async function allEmitted(jerry: Receiver, wire: () => string): Promise<{ got: string[]; wire: string }> {
  await until(() => jerry.got.length >= N, () => `${N} messages, got ${jerry.got.join(' ')}\n${wire()}`);
  const result = { got: [...jerry.got], wire: wire() };
  await jerry.close();
  return result;
}

/**
 * The reads of the earlier failures: [m00 m01] and [m02..m04] before any
 * reply, the replies to the first two queries, then pushes the server
 * wrote after those replies ([m05..m14]) before the replies to the last
 * three queries.
 */
async function splitReads(label: string, login: Login): Promise<{ got: string[]; wire: string }> {
  const { proxy, jerry, send, queriesAnswered, leading, wire } = await setUp(`split ${label}`, login);
  proxy.gather();
  try {
    await send(texts.slice(0, 5));
    await until(() => proxy.gatheredFrames >= 5, () => `5 pushes to reach the proxy\n${wire()}`);
    proxy.release(2);
    // The SDK asks for the conversation; the replies wait in the proxy behind m02..m04.
    await until(queriesAnswered, () => `the replies to the first queries\n${wire()}`);
    // Pushed after those replies were written, so no query of the client was waiting then.
    await send(texts.slice(5));
    await until(() => proxy.gathered().filter((command) => command.cmd === CommandType.direct).length >= N - 2, () => `the later pushes to reach the proxy\n${wire()}`);
    proxy.release(3);
    await until(queriesAnswered, () => `the replies to the queries for m02..m04\n${wire()}`);
    proxy.release(leading(false));
    await until(() => jerry.got.length >= 2, () => `m00 and m01 to be emitted, got ${jerry.got.join(' ')}\n${wire()}`);
    proxy.release(leading(true));
    // Given time to emit what it can before the last replies arrive.
    await until(() => jerry.got.length >= N - 3 || !wire().includes('write 0'), () => `the later pushes to be handled\n${wire()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    proxy.flow();
  }
  return allEmitted(jerry, wire);
}

for (const [sdk, noBinary] of [[v4, false], [v4, true], [v3, false], [v3, true]] as const) {
  const label = `${sdk.version} ${noBinary ? 'base64' : 'binary'}`;

  test(`official SDK ${label}: a push read after the first conv query's reply overtakes pushes whose queries are unanswered`, async () => {
    const { got, wire } = await splitReads(label, official(sdk, noBinary));
    // The SDK's own order, not the server's (see the file's comment): m05..m14 found the conversation cached.
    assert.deepEqual(got, [...texts.slice(0, 2), ...texts.slice(5), ...texts.slice(2, 5)], `the wire:\n${wire}`);
  });

  test(`official SDK ${label} with the arrival-order plugin: the same reads, emitted in the order they were sent`, async () => {
    const { got, wire } = await splitReads(`${label} plugin`, official(sdk, noBinary, [inArrivalOrder]));
    assert.deepEqual(got, texts, `the wire:\n${wire}`);
  });
}

for (const noBinary of [false, true]) {
  test(`our SDK (${noBinary ? 'base64' : 'binary'}): the same reads, emitted in the order they were sent`, async () => {
    const { got, wire } = await splitReads(`ours ${noBinary}`, ours(noBinary));
    assert.deepEqual(got, texts, `the wire:\n${wire}`);
  });
}

/**
 * What a server-side hold would give at best: m05..m14 written only after
 * every query of the client was answered (here Tom sends them only then).
 * A link that puts the last reply(ies) and the pushes behind them in one
 * read still reorders: within one read the SDK dispatches every frame
 * before any promise settles, the reply settles its query's promise, and
 * the chain from there to `message` (the query's own promise, find(),
 * caching, getConversation's) is longer than a cached push's
 * (getConversation returns at once). So the server cannot order these
 * pushes by when it writes them; only the client's read boundaries do.
 */
async function heldUntilAnswered(label: string, login: Login, lastReplies: number): Promise<{ got: string[]; wire: string }> {
  const { proxy, jerry, send, queriesAnswered, queriesSent, leading, wire } = await setUp(`held ${label}`, login);
  proxy.gather();
  try {
    await send(texts.slice(0, 5));
    await until(() => proxy.gatheredFrames >= 5, () => `5 pushes to reach the proxy\n${wire()}`);
    proxy.release(2);
    await until(queriesAnswered, () => `the replies to the first queries\n${wire()}`);
    proxy.release(3);
    await until(() => queriesSent() === 5 && queriesAnswered(), () => `the replies to the queries for m02..m04\n${wire()}`);
    const replies = leading(false);
    proxy.release(replies - lastReplies);
    await until(() => jerry.got.length >= 5 - lastReplies, () => `the first messages to be emitted, got ${jerry.got.join(' ')}\n${wire()}`);
    await send(texts.slice(5));
    await until(() => proxy.gathered().filter((command) => command.cmd === CommandType.direct).length >= N - 5, () => `the later pushes to reach the proxy\n${wire()}`);
  } finally {
    proxy.flow();
  }
  return allEmitted(jerry, wire);
}

for (const [sdk, noBinary] of [[v4, false], [v4, true], [v3, false], [v3, true]] as const) {
  const label = `${sdk.version} ${noBinary ? 'base64' : 'binary'}`;
  for (const lastReplies of [1, 3]) {
    test(`official SDK ${label}: pushes written after all its queries were answered, read with the last ${lastReplies} of the replies, overtake the messages those answer`, async () => {
      const { got, wire } = await heldUntilAnswered(`${label} ${lastReplies}`, official(sdk, noBinary), lastReplies);
      const answeredLast = texts.slice(5 - lastReplies, 5);
      assert.deepEqual(got, [...texts.slice(0, 5 - lastReplies), ...texts.slice(5), ...answeredLast], `the wire:\n${wire}`);
    });
  }
}

for (const sdk of [v4, v3]) {
  test(`official SDK ${sdk.version} with the arrival-order plugin: invited to a group, then its first messages in the same read: invited first, messages in order`, async () => {
    const proxy = await proxied();
    const [jerryId, tomId, bobId] = ['Jerry', 'Tom', 'Bob'].map((who) => `co-${who}-invited-${sdk.version}`) as [string, string, string];
    const tom = await env.login(tomId);
    const realtime = sdk.realtime({ appId: env.server.appId, appKey: env.server.appKey, wsUrl: proxy.wsUrl, plugins: [inArrivalOrder] });
    closers.push(() => (realtime as unknown as { _close(): void })._close());
    const jerry = await realtime.createIMClient(jerryId);
    const events: string[] = [];
    jerry.on('invited', (() => events.push('invited')) as (...args: never[]) => void);
    jerry.on('message', ((message: OfficialMessage) => events.push(message.text ?? '')) as (...args: never[]) => void);
    proxy.gather();
    try {
      const started = await tom.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: [jerryId, bobId] } });
      for (const value of texts.slice(0, 5)) {
        const ack = await tom.request({ cmd: CommandType.direct, directMessage: { cid: started.convMessage!.cid!, msg: text(value) } });
        assert.equal(ack.cmd, CommandType.ack);
      }
      await until(() => proxy.gatheredFrames >= 6, () => 'the invitation and 5 pushes to reach the proxy');
    } finally {
      proxy.flow();
    }
    await until(() => events.length >= 6, () => `6 events, got ${events.join(' ')}`);
    assert.deepEqual(events, ['invited', ...texts.slice(0, 5)]);
    await jerry.close();
  });
}

for (const [sdk, noBinary] of [[v4, false], [v4, true], [v3, false], [v3, true]] as const) {
  const label = `${sdk.version} ${noBinary ? 'base64' : 'binary'}`;

  const temporaries = sdk === v4 && !noBinary ? [false, true] : [false];
  for (const temporary of temporaries) test(`official SDK ${label}, ack gate: pushes sent while it fetches a new ${temporary ? 'temporary conversation (by tempConvIds)' : 'group'} wait for its ack of the earlier ones, and all are emitted in order`, async () => {
    const { proxy, jerry, send, queriesAnswered, queriesSent, leading, frames, wire } = await setUp(`gated ${temporary ? 'tmp ' : ''}${label}`, official(sdk, noBinary), gated, temporary);
    let earlier: number[] = [];
    proxy.gather();
    try {
      earlier = await send(texts.slice(0, 5));
      await until(() => proxy.gatheredFrames >= 5, () => `5 pushes to reach the proxy\n${wire()}`);
      proxy.release(2);
      await until(queriesAnswered, () => `the replies to the first queries\n${wire()}`);
      // Its queries for the group arrived: these wait for its ack of m04 (without the gate they
      // would be written now, behind the replies, and overtake m02..m04 as in the tests above).
      await send(texts.slice(5));
      proxy.release(3);
      await until(() => queriesSent() === 5 && queriesAnswered(), () => `the replies to the queries for m02..m04\n${wire()}`);
      // The reads of the failures, as far as the server wrote them: replies, then any pushes.
      proxy.release(leading(false));
      await until(() => jerry.got.length >= 2, () => `m00 and m01 to be emitted, got ${jerry.got.join(' ')}\n${wire()}`);
      proxy.release(leading(true));
    } finally {
      proxy.flow();
    }
    await until(() => jerry.got.length >= N, () => `${N} messages, got ${jerry.got.join(' ')}\n${wire()}`);
    assert.deepEqual(jerry.got, texts, `the wire:\n${wire()}`);
    const seen = frames();
    const ackedM04 = seen.findIndex(({ from, command }) => from === 'client' && command.cmd === CommandType.ack && Number(command.ackMessage?.tots) >= earlier[4]!);
    const m05 = seen.findIndex(({ from, command }) => from === 'server' && command.directMessage?.msg === text('m05'));
    assert.ok(ackedM04 >= 0 && ackedM04 < m05, `m05 left the server after the client acked m04; the wire:\n${wire()}`);
    await jerry.close();
  });

  test(`official SDK ${label}, ack gate: a new group's first ${N} messages in one read are emitted in the order they were sent`, async () => {
    const { proxy, jerry, send, wire } = await setUp(`gated one ${label}`, official(sdk, noBinary), gated);
    proxy.gather();
    try {
      await send(texts);
      await until(() => proxy.gatheredFrames >= N, () => `${N} pushes to reach the proxy`);
    } finally {
      proxy.flow();
    }
    await until(() => jerry.got.length >= N, () => `${N} messages, got ${jerry.got.join(' ')}\n${wire()}`);
    assert.deepEqual(jerry.got, texts, `the wire:\n${wire()}`);
    await jerry.close();
  });
}
