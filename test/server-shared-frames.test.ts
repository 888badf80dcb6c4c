/**
 * Pushes whose bytes are shared by their recipients (shared-frame.ts): one
 * body, a WebSocket header per peerId length, a peerId field per session.
 * The official SDKs 3.5.7 and 4.3.1 (binary and base64) and ours must get
 * each message whole, routed to the right IMClient of a shared socket,
 * across frame sizes where the header grows (126 bytes and more), and
 * whether or not the commands they send carry a peerId (4.x leaves it out
 * for its first client).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CommandType, OpType, decodeCommand } from '../src/protocol/codec.js';
import { SharedPush, peerIdField } from '../src/server/gateway/shared-frame.js';
import { Realtime, TextMessage, type Message } from '../src/sdk/index.js';
import { nextEvent, v3, v4, type OfficialClient, type OfficialConversation, type OfficialMessage, type OfficialRealtime } from './helpers/official-sdk.js';
import { RawClient } from './helpers/raw-client.js';
import { TEST_APP, startTestServer, type TestServer } from './helpers/server.js';
import { WAIT_MS } from './helpers/wait.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(done: () => boolean, what: () => string, ms = WAIT_MS): Promise<void> {
  for (const deadline = Date.now() + ms; !done(); await delay(10)) if (Date.now() > deadline) assert.fail(what());
}

test('a shared head and a peerId field are, byte for byte, the frame ws would send for body + field', async () => {
  const { Sender } = (await import('ws')) as unknown as { Sender: { frame(data: Buffer, options: object): Buffer[] } };
  for (const bodyLength of [10, 100, 123, 124, 125, 126, 200, 65_530, 65_536, 70_000]) {
    const body = Buffer.alloc(bodyLength, 7);
    const push = new SharedPush(body);
    // Lengths asked again after others: the heads kept for each must still be theirs.
    for (const peerId of ['a', 'bob', 'a', 'x'.repeat(64), 'bob', 'x'.repeat(64), 'a']) {
      const tail = peerIdField(peerId);
      const expected = Buffer.concat(Sender.frame(Buffer.concat([body, tail]), { fin: true, rsv1: false, opcode: 2, mask: false, readOnly: true }));
      assert.deepEqual(Buffer.concat([push.head(tail.length), tail]), expected, `body ${bodyLength}, peerId ${peerId.length}`);
      assert.deepEqual(Buffer.from(push.bytesFor(tail)), Buffer.concat([body, tail]));
    }
  }
  const encoded = decodeCommand(Buffer.concat([new SharedPush(new Uint8Array([8, CommandType.direct])).body, peerIdField('测试-peer')]));
  assert.deepEqual([encoded.cmd, encoded.peerId], [CommandType.direct, '测试-peer']);
});

describe('shared pushes reach every SDK', () => {
  let server: TestServer;
  const opened: OfficialRealtime[] = [];
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    for (const realtime of opened) (realtime as unknown as { _close(): void })._close();
    await server.stop();
  });

  /** Texts whose frames straddle the 125/126-byte header boundary for every peerId length used here. */
  const texts = Array.from({ length: 40 }, (_, n) => `m${String(n).padStart(2, '0')} ${'字'.repeat(n % 20)}${'x'.repeat(n)}`);

  async function viewers(kind: 'room' | 'group') {
    const ours = new Realtime({ appId: server.appId, appKey: server.appKey, server: server.wsUrl });
    const host = await ours.createIMClient(`sf-host-${kind}`);
    const v3Binary = v3.realtime({ appId: server.appId, appKey: server.appKey, wsUrl: server.wsUrl });
    const v4Binary = v4.realtime({ appId: server.appId, appKey: server.appKey, wsUrl: server.wsUrl });
    const v4Base64 = v4.realtime({ appId: server.appId, appKey: server.appKey, wsUrl: server.wsUrl, noBinary: true });
    const v3Base64 = v3.realtime({ appId: server.appId, appKey: server.appKey, wsUrl: server.wsUrl, noBinary: true });
    opened.push(v3Binary, v4Binary, v4Base64, v3Base64);
    // Two IMClients on one 3.x socket, with peerIds of different lengths: each push must find its own.
    const official: [string, OfficialClient][] = [
      [`sf-${kind}-v3a`, await v3Binary.createIMClient(`sf-${kind}-v3a`)],
      [`sf-${kind}-v3-second-client`, await v3Binary.createIMClient(`sf-${kind}-v3-second-client`)],
      [`sf-${kind}-v4`, await v4Binary.createIMClient(`sf-${kind}-v4`)],
      [`sf-${kind}-v4-b64`, await v4Base64.createIMClient(`sf-${kind}-v4-b64`)],
      [`sf-${kind}-v3-b64`, await v3Base64.createIMClient(`sf-${kind}-v3-b64`)],
    ];
    const oursViewer = new Realtime({ appId: server.appId, appKey: server.appKey, server: server.wsUrl });
    const ourId = `sf-${kind}-ours-${'y'.repeat(40)}`;
    const ourClient = await oursViewer.createIMClient(ourId);
    const ids = [...official.map(([id]) => id), ourId];
    // Invited to a group, the official SDKs fetch the conversation (conv/query) before they emit
    // `invited`; a message of a conversation they have not fetched yet makes them query it again,
    // one query per message, and drops the message if no answer comes within their 20 s command
    // timeout. Forty messages sent at once made two hundred queries, which at load average 25 on
    // PostgreSQL took longer than that (the replies came late: "Unexpected command received with
    // serialId"), and 2 or 3 messages of 40 never reached the 3.x and 4.x clients. So the test sends
    // once each has the conversation, as an app's members have it once they were told they were in.
    const invited =
      kind === 'group' ? official.map(([id, client]) => nextEvent<[unknown, OfficialConversation]>(client, 'invited', WAIT_MS).catch(() => assert.fail(`${id} was not told it was invited`))) : [];
    const conversation =
      kind === 'room' ? await host.createConversation({ name: 'shared', transient: true }) : await host.createConversation({ name: 'shared', members: ids });
    for (const [n, told] of invited.entries()) assert.equal((await told)[1].id, conversation.id, `${official[n]![0]} invited to the group`);
    const got = new Map<string, string[]>(ids.map((id) => [id, []]));
    const misrouted: string[] = [];
    for (const [id, client] of official) {
      if (kind === 'room') await ((await client.getConversation(conversation.id)) as OfficialConversation & { join(): Promise<unknown> }).join();
      client.on('message', ((message: OfficialMessage, where: OfficialConversation) => {
        if (where.id !== conversation.id || message.from !== `sf-host-${kind}`) misrouted.push(`${id}: ${message.text}`);
        got.get(id)!.push(message.text ?? '');
      }) as (...args: never[]) => void);
    }
    if (kind === 'room') await (await ourClient.getConversation(conversation.id))!.join();
    ourClient.on('message', (message: Message) => got.get(ourId)!.push((message as TextMessage).text ?? ''));
    return {
      got,
      misrouted,
      send: (text: string) => conversation.send(new TextMessage(text)),
      close: () => Promise.all([ours.close(), oursViewer.close()]),
    };
  }

  for (const kind of ['room', 'group'] as const) {
    test(`${kind} messages reach 3.5.7 and 4.3.1 (binary and base64), two clients on one socket, and our SDK, whole and in order`, async () => {
      const room = await viewers(kind);
      try {
        // Several in flight, so that one tick writes several shared frames to a socket.
        for (let n = 0; n < texts.length; n += 5) await Promise.all(texts.slice(n, n + 5).map((text) => room.send(text)));
        await until(
          () => [...room.got.values()].every((texts) => texts.length >= 40),
          () => `missing: ${[...room.got].map(([id, texts]) => `${id} ${texts.length}`).join(', ')}`,
        );
        await delay(100);
        for (const [id, got] of room.got) {
          // Pipelined sends are acked in order of commit, which is the order they were sent.
          assert.deepEqual(got, texts, `${id} got every message, once, whole and in order`);
        }
        assert.deepEqual(room.misrouted, []);
      } finally {
        await room.close();
      }
    });
  }

  test('a 4.x-style client that sends without peerId gets pushes with its peerId, a second session on its socket gets its own', async () => {
    const host = await RawClient.connect(server.wsUrl);
    await host.login(TEST_APP.appId, 'sf-raw-host');
    const started = await host.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { transient: true } });
    const cid = started.convMessage!.cid!;
    const viewer = await RawClient.connect(server.wsUrl);
    await viewer.login(TEST_APP.appId, 'sf-first');
    await viewer.login(TEST_APP.appId, 'sf-second-longer-id');
    // No peerId: the command belongs to the socket's first session.
    assert.equal((await viewer.request({ cmd: CommandType.conv, op: OpType.add, convMessage: { cid, m: ['sf-first'] } })).cmd, CommandType.conv);
    assert.equal((await viewer.request({ cmd: CommandType.conv, op: OpType.add, peerId: 'sf-second-longer-id', convMessage: { cid, m: ['sf-second-longer-id'] } })).cmd, CommandType.conv);
    const pushes: { peerId: string; msg: string }[] = [];
    viewer.onPush = (command) => {
      if (command.cmd !== CommandType.direct) return false;
      pushes.push({ peerId: command.peerId, msg: command.directMessage!.msg! });
      return true;
    };
    for (const msg of ['one', 'x'.repeat(130)]) assert.equal((await host.request({ cmd: CommandType.direct, directMessage: { cid, msg } })).cmd, CommandType.ack);
    await until(() => pushes.length === 4, () => `${pushes.length} pushes`);
    assert.deepEqual(
      pushes.map(({ peerId, msg }) => `${peerId} ${msg.length}`).sort(),
      ['sf-first 130', 'sf-first 3', 'sf-second-longer-id 130', 'sf-second-longer-id 3'],
    );
    host.close();
    viewer.close();
  });
});
