/**
 * Issue 4: after a reconnect nothing is lost. In the default unread-count
 * mode the server sends counts, not the messages; our SDK fetches the
 * history of the conversations it holds from the newest message it had,
 * and delivers what it missed as ordinary `message` events: each once, in
 * order, with the server's unread counts left as they are.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import WebSocket from 'ws';
import { CommandType, fromFrame } from '../src/protocol/index.js';
import { TextMessage, type Conversation, type IMClient, type Message, type WebSocketConstructor } from '../src/sdk/index.js';
import { CATCH_UP_MAX_PAGES, CATCH_UP_PAGE_SIZE } from '../src/sdk/missed-messages.js';
import { collectMessages, delay, goOffline, nextEvent, sdkEnvironment, until } from './helpers/sdk-env.js';

const env = sdkEnvironment();


async function sendTexts(conversation: Conversation, prefix: string, count: number): Promise<Message[]> {
  const sent: Message[] = [];
  for (let n = 0; n < count; n += 1) sent.push(await conversation.send(new TextMessage(`${prefix} ${n}`)));
  return sent;
}

/** Every `message` event of a client and of one conversation, from now on. */
function recordMessages(client: IMClient, conversation: Conversation): { client: string[]; conversation: string[] } {
  const seen = { client: [] as string[], conversation: [] as string[] };
  client.on('message', (message, where) => {
    if (where.id === conversation.id) seen.client.push(message.id);
  });
  conversation.on('message', (message) => seen.conversation.push(message.id));
  return seen;
}

/**
 * Tom, and Jerry on a device of his own (with `options`), in a one-to-one
 * conversation whose first message, `before`, Jerry has received live.
 */
async function scene(options: Parameters<typeof env.device>[0] = {}) {
  const [tomId, jerryId] = env.names('Tom', 'Jerry');
  const tom = await env.login(tomId);
  const device = env.device(options);
  const jerry = await device.createIMClient(jerryId);
  const conversation = await tom.createConversation({ members: [jerryId] });
  const live = collectMessages(jerry, 1);
  const before = await conversation.send(new TextMessage('before'));
  const [[, jerrys]] = await live;
  return { tom, device, jerry, conversation, jerrys, before };
}

describe('after a reconnect', () => {
  test('the missed messages arrive once each, in order, over several pages; unread counts are the server’s', { timeout: 60_000 }, async () => {
    const { tom, device, jerry, conversation, jerrys, before } = await scene();
    assert.equal(jerrys.unreadMessagesCount, 1);

    await goOffline(device, jerry, tom);
    const seen = recordMessages(jerry, jerrys);
    const missedCount = 2 * CATCH_UP_PAGE_SIZE + 30;
    const missed = await sendTexts(conversation, 'missed', missedCount);

    const back = nextEvent(jerry, 'reconnect');
    device.resume();
    await back;
    await until(() => seen.client.length >= missedCount, 10_000, `${missedCount} messages`);
    await until(() => jerrys.unreadMessagesCount === missedCount + 1, 5000, 'the unread count');
    await delay(300);
    const ids = missed.map((message) => message.id);
    assert.deepEqual(seen.client, ids, 'each missed message once, in order, none from before');
    assert.deepEqual(seen.conversation, ids, 'on the conversation too');
    assert.equal(jerrys.unreadMessagesCount, missedCount + 1, 'counted once, by the server');
    assert.equal(jerrys.lastMessage?.id, ids.at(-1));

    // Live again: the next message arrives once, counted once.
    const next = collectMessages(jerry, 1);
    const after = await conversation.send(new TextMessage('after'));
    assert.equal((await next)[0]![0].id, after.id);
    await delay(200);
    assert.deepEqual(seen.client, [...ids, after.id]);
    assert.equal(jerrys.unreadMessagesCount, missedCount + 2);
    assert.ok(!seen.client.includes(before.id));
  });

  test(`a long absence delivers the newest ${CATCH_UP_PAGE_SIZE * CATCH_UP_MAX_PAGES} missed messages; the count has them all`, { timeout: 60_000 }, async () => {
    const { tom, device, jerry, conversation, jerrys } = await scene();

    await goOffline(device, jerry, tom);
    const seen = recordMessages(jerry, jerrys);
    const cap = CATCH_UP_PAGE_SIZE * CATCH_UP_MAX_PAGES;
    const missed = await sendTexts(conversation, 'missed', cap + 7);
    device.resume();
    await until(() => seen.client.length >= cap, 15_000, `${cap} messages`);
    await until(() => jerrys.unreadMessagesCount === cap + 8, 5000, 'the unread count');
    await delay(300);
    assert.deepEqual(seen.client, missed.slice(7).map((message) => message.id));
  });

  test('a conversation created here with no message yet gets its first messages', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const device = env.device();
    const jerry = await device.createIMClient(jerryId);
    const created = await jerry.createConversation({ members: [tomId] });
    await goOffline(device, jerry, tom);
    const seen = recordMessages(jerry, created);
    const toms = (await tom.getConversation(created.id))!;
    const missed = await sendTexts(toms, 'first', 2);
    device.resume();
    await until(() => seen.client.length >= 2, 5000, 'two messages');
    await delay(200);
    assert.deepEqual(seen.client, missed.map((message) => message.id));
  });

  test('a message pushed live while the catch-up is in flight, and also in its history page, arrives once, after the missed ones', async () => {
    // Holds Jerry's history queries back, so that a message sent meanwhile
    // is both in the history page and pushed live.
    const held = holdingWebSocket((command) => command.cmd === CommandType.logs, 400);
    const { tom, device, jerry, conversation, jerrys } = await scene({ WebSocket: held.WebSocket });

    await goOffline(device, jerry, tom);
    const seen = recordMessages(jerry, jerrys);
    const missed = await sendTexts(conversation, 'missed', 3);
    const reconnected = nextEvent(jerry, 'reconnect');
    device.resume();
    await reconnected;
    const duringCatchUp = await conversation.send(new TextMessage('during the catch-up'));
    await until(() => held.released > 0, 3000, 'the held history query');
    await until(() => seen.client.length >= 4, 5000, 'four messages');
    await delay(300);
    const ids = [...missed, duringCatchUp].map((message) => message.id);
    assert.deepEqual(seen.client, ids, 'once each, in order');
    assert.deepEqual(seen.conversation, ids);
    // The live push of it is counted (it came after the server's count), the history copy is not.
    assert.equal(jerrys.unreadMessagesCount, 5);
  });

  test('a conversation joined with no message yet gets its first messages; chat rooms and strangers’ conversations are not fetched', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const recorder = holdingWebSocket(() => false, 0);
    const device = env.device({ WebSocket: recorder.WebSocket });
    const jerry = await device.createIMClient(jerryId);
    const room = await jerry.createConversation({ name: 'room', transient: true });
    const invited = nextEvent(jerry, 'invited');
    const empty = await tom.createConversation({ members: [jerryId] });
    await invited;
    const strangers = await tom.createConversation({ members: ['someone-else'] });
    await strangers.send(new TextMessage('not for Jerry'));
    assert.ok(await jerry.getConversation(strangers.id));

    await goOffline(device, jerry, tom);
    const seen = recordMessages(jerry, (await jerry.getConversation(empty.id))!);
    const missed = await sendTexts(empty, 'first', 2);
    await strangers.send(new TextMessage('still not for Jerry'));
    const logsBefore = recorder.sent.length;
    device.resume();
    await until(() => seen.client.length >= 2, 5000, 'two messages');
    await delay(300);
    assert.deepEqual(seen.client, missed.map((message) => message.id));
    const queried = recorder.sent.slice(logsBefore).filter((command) => command.cmd === CommandType.logs).map((command) => command.logsMessage?.cid);
    assert.deepEqual(queried, [empty.id], `not the room ${room.id} nor the strangers’ ${strangers.id}`);
  });

  test('with pushOfflineMessages the server’s offline pushes and the catch-up do not deliver a message twice', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const device = env.device({ pushOfflineMessages: true });
    const jerry = await device.createIMClient(jerryId);
    const created = await jerry.createConversation({ members: [tomId] });
    await goOffline(device, jerry, tom);
    const seen = recordMessages(jerry, created);
    const missed = await sendTexts((await tom.getConversation(created.id))!, 'missed', 3);
    device.resume();
    await until(() => seen.client.length >= 3, 5000, 'three messages');
    await delay(300);
    assert.deepEqual(seen.client, missed.map((message) => message.id));
    assert.equal(created.unreadMessagesCount, 3, 'counted once each, from the offline pushes');
  });

  test('with pushOfflineMessages a message whose ack was cut off by the drop is pushed again, and neither delivered nor counted twice', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const device = env.device({ pushOfflineMessages: true });
    const jerry = await device.createIMClient(jerryId);
    const created = await jerry.createConversation({ members: [tomId] });
    const seen = recordMessages(jerry, created);
    const toms = (await tom.getConversation(created.id))!;
    const live = nextEvent(jerry, 'message');
    const first = await toms.send(new TextMessage('just before the drop'));
    await live;
    // Dropped before the batched ack went out: the server still owes Jerry this message.
    await goOffline(device, jerry, tom);
    const [missed] = await sendTexts(toms, 'missed', 1);
    device.resume();
    await until(() => seen.client.length >= 2, 5000, 'the missed message');
    await delay(300);
    assert.deepEqual(seen.client, [first.id, missed!.id]);
    assert.deepEqual(seen.conversation, [first.id, missed!.id]);
    assert.equal(created.unreadMessagesCount, 2);
  });

  test('a push lost between two delivered messages (a server node that lost its broker link) is delivered by the next catch-up, once', async () => {
    // Jerry's socket swallows the push of one message, as a node that missed it on Redis would;
    // the message after it arrives: the hole is not at the end.
    const dropping = droppingWebSocket((command) => command.cmd === CommandType.direct && (command.directMessage?.msg ?? '').includes('lost on the way'));
    const { tom, device, jerry, conversation, jerrys, before } = await scene({ WebSocket: dropping.WebSocket });
    const seen = recordMessages(jerry, jerrys);
    const lost = await conversation.send(new TextMessage('lost on the way'));
    const next = nextEvent(jerry, 'message');
    const after = await conversation.send(new TextMessage('after the hole'));
    await next;
    assert.equal(dropping.dropped, 1);
    assert.deepEqual(seen.client, [after.id], 'the hole: a later message arrived, the lost one did not');

    // The node closes the connection (1012 after a gap); a reconnect catches up.
    await goOffline(device, jerry, tom);
    device.resume();
    await until(() => seen.client.length >= 2, 10_000, 'the lost message');
    await delay(300);
    assert.deepEqual(seen.client, [after.id, lost.id], 'the lost one once, after; nothing delivered before it again');
    assert.deepEqual(seen.conversation, [after.id, lost.id]);
    assert.ok(!seen.client.includes(before.id));
    assert.equal(jerrys.lastMessage?.id, after.id, 'the newest stays the last message');
  });
});

/** A `ws` WebSocket that swallows the received commands `drop` selects, and counts them. */
function droppingWebSocket(drop: (command: ReturnType<typeof fromFrame>) => boolean): { WebSocket: WebSocketConstructor; readonly dropped: number } {
  const state = { dropped: 0 };
  class Dropping extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { maxPayload: 1 << 20 });
    }
    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'message') {
        const [data, isBinary] = args as [Buffer | ArrayBuffer | Buffer[], boolean];
        const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : Array.isArray(data) ? Buffer.concat(data) : data;
        try {
          if (drop(fromFrame(isBinary ? new Uint8Array(bytes) : Buffer.from(bytes).toString()))) {
            state.dropped += 1;
            return true;
          }
        } catch {
          // not a command: passed on as it is
        }
      }
      return super.emit(event, ...args);
    }
  }
  return {
    WebSocket: Dropping as unknown as WebSocketConstructor,
    get dropped() {
      return state.dropped;
    },
  };
}

/**
 * A `ws` WebSocket that delays the commands `hold` selects by `ms` before
 * sending them, and records every command sent.
 */
function holdingWebSocket(
  hold: (command: ReturnType<typeof fromFrame>) => boolean,
  ms: number,
): { WebSocket: WebSocketConstructor; sent: ReturnType<typeof fromFrame>[]; released: number } {
  const state = { sent: [] as ReturnType<typeof fromFrame>[], released: 0 };
  class Holding extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { maxPayload: 1 << 20 });
    }
    override send(data: unknown, ...rest: unknown[]): void {
      const command = fromFrame(typeof data === 'string' ? data : new Uint8Array(data as ArrayBuffer | Uint8Array));
      state.sent.push(command);
      const forward = (): void => (super.send as (...args: unknown[]) => void)(data, ...rest);
      if (!hold(command)) return forward();
      setTimeout(() => {
        state.released += 1;
        if (this.readyState === WebSocket.OPEN) forward();
      }, ms);
    }
  }
  return {
    WebSocket: Holding as unknown as WebSocketConstructor,
    get sent() {
      return state.sent;
    },
    get released() {
      return state.released;
    },
  };
}
