/**
 * Issue 12, the v4 features outside roles and muting, with the official
 * SDKs 4.3.1 (and 3.5.7 where it has the feature), our SDK and the raw
 * protocol: `conv max_read` with `queryAllMembers`, strict decoding,
 * `mentioned` in unread entries, binary messages, temporary conversations.
 * Hostile values for the same commands are in v4-bad-input.test.ts.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, describe, test } from 'node:test';
import { CommandType, OpType, type DecodedCommand } from '../src/protocol/codec.js';
import { RawClient } from './helpers/raw-client.js';
import { v3, v4, type OfficialRealtime, type OfficialSdk } from './helpers/official-sdk.js';
import { TEST_APP } from './helpers/server.js';
import { sdkEnvironment, until } from './helpers/sdk-env.js';
import { within } from './helpers/wait.js';

const require = createRequire(import.meta.url);
// The official SDKs ship no types; these tests drive them as plain JavaScript.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Js = any;
const lc4: Js = require('lc4');

const env = sdkEnvironment();
const raws: RawClient[] = [];
const realtimes: OfficialRealtime[] = [];
after(() => {
  for (const raw of raws) raw.close();
  for (const realtime of realtimes) (realtime as Js)._close();
});

async function raw(id: string, protocol?: string): Promise<RawClient> {
  const client = await RawClient.connect(env.server.wsUrl, protocol);
  raws.push(client);
  await client.login(TEST_APP.appId, id);
  return client;
}
function official(sdk: OfficialSdk, id: string, options: Record<string, unknown> = {}): Promise<Js> {
  const realtime = sdk.realtime({ appId: env.server.appId, appKey: env.server.appKey, wsUrl: env.server.wsUrl });
  realtimes.push(realtime);
  return (realtime as Js).createIMClient(id, options);
}
async function start(owner: RawClient, members: string[], extra: Record<string, unknown> = {}): Promise<DecodedCommand> {
  const reply = await owner.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: members, ...extra } });
  assert.equal(reply.cmd, CommandType.conv, reply.errorMessage?.reason ?? '');
  return reply;
}
async function send(from: RawClient, cid: string, text: string, extra: Record<string, unknown> = {}): Promise<{ uid: string; t: number }> {
  const ack = await from.request({ cmd: CommandType.direct, directMessage: { cid, msg: JSON.stringify({ _lctype: -1, _lctext: text }), ...extra } });
  assert.equal(ack.cmd, CommandType.ack, ack.errorMessage?.detail ?? '');
  return { uid: ack.ackMessage!.uid!, t: ack.ackMessage!.t! };
}
const isCmd = (cmd: CommandType) => (c: DecodedCommand) => c.cmd === cmd;

describe('conv max_read with queryAllMembers', () => {
  test('raw: the others’ newest times at the top level, the others’ tuples first, the requester last', async () => {
    const [tomId, jerryId, bobId] = env.names('mr-tom', 'mr-jerry', 'mr-bob');
    const tom = await raw(tomId);
    const jerry = await raw(jerryId);
    // Tom created it: the member list starts with him, who has read nothing.
    const cid = (await start(tom, [jerryId, bobId])).convMessage!.cid!;
    const sent = [await send(tom, cid, 'one'), await send(tom, cid, 'two')];
    jerry.send({ cmd: CommandType.read, readMessage: { convs: [{ cid, timestamp: sent[1]!.t, mid: sent[1]!.uid }] } });
    await tom.take(isCmd(CommandType.rcp));

    const all = await tom.request({ cmd: CommandType.conv, op: OpType.max_read, convMessage: { cid, queryAllMembers: true } });
    assert.equal(all.convMessage?.maxReadTimestamp, sent[1]!.t, 'the top level is the others’ newest read');
    assert.equal(all.convMessage?.maxAckTimestamp, sent[1]!.t);
    const tuples = all.convMessage!.maxReadTuples!;
    assert.equal(tuples[0]!.pid, jerryId, 'the reader comes first');
    assert.equal(tuples[0]!.maxReadTimestamp, sent[1]!.t);
    assert.equal(tuples.at(-1)!.pid, tomId, 'the requester’s own entry comes last');
    assert.deepEqual(tuples.map((tuple) => tuple.pid).sort(), [bobId, jerryId, tomId].sort());

    const stranger = await raw(env.names('mr-stranger')[0]);
    const refused = await stranger.request({ cmd: CommandType.conv, op: OpType.max_read, convMessage: { cid, queryAllMembers: true } });
    assert.equal(refused.convMessage?.maxReadTuples?.length ?? 0, 0, 'a non-member learns nothing');
    assert.equal(refused.convMessage?.maxReadTimestamp ?? 0, 0);
  });

  for (const sdk of [v3, v4]) {
    test(`official ${sdk.version}: fetchReceiptTimestamps and _fetchAllReceiptTimestamps read the others’ times`, async () => {
      const [tomId, jerryId] = env.names(`mr${sdk.version}-tom`, `mr${sdk.version}-jerry`);
      const tom = await raw(tomId);
      const jerry = await raw(jerryId);
      const cid = (await start(tom, [jerryId])).convMessage!.cid!;
      const sent = await send(tom, cid, 'read me');
      jerry.send({ cmd: CommandType.read, readMessage: { convs: [{ cid, timestamp: sent.t, mid: sent.uid }] } });
      await tom.take(isCmd(CommandType.rcp));

      const client = await official(sdk, tomId);
      const conversation = await client.getConversation(cid);
      await conversation.fetchReceiptTimestamps();
      assert.equal(conversation.lastReadAt?.getTime(), sent.t);
      assert.equal(conversation.lastDeliveredAt?.getTime(), sent.t);
      const all = await conversation._fetchAllReceiptTimestamps();
      assert.deepEqual(
        all.map((entry: Js) => [entry.pid, entry.lastReadAt?.getTime()]),
        [[jerryId, sent.t]],
        'only members with times, the reader first',
      );
    });
  }

  test('our SDK: fetchReceiptTimestamps', async () => {
    const [tomId, jerryId] = env.names('mr-sdk-tom', 'mr-sdk-jerry');
    const tom = await raw(tomId);
    const jerry = await raw(jerryId);
    const cid = (await start(tom, [jerryId])).convMessage!.cid!;
    const sent = await send(tom, cid, 'read me');
    jerry.send({ cmd: CommandType.read, readMessage: { convs: [{ cid, timestamp: sent.t, mid: sent.uid }] } });
    await tom.take(isCmd(CommandType.rcp));
    const client = await env.login(tomId);
    const conversation = (await client.getConversation(cid))!;
    await conversation.fetchReceiptTimestamps();
    assert.equal(conversation.lastReadAt?.getTime(), sent.t);
  });
});

describe('unread entries carry mentioned', () => {
  async function mentionScene(prefix: string) {
    const [tomId, jerryId] = env.names(`${prefix}-tom`, `${prefix}-jerry`);
    const tom = await raw(tomId);
    const byId = (await start(tom, [jerryId], { n: 'by id' })).convMessage!.cid!;
    const byAll = (await start(tom, [jerryId], { n: 'all' })).convMessage!.cid!;
    const plain = (await start(tom, [jerryId], { n: 'plain' })).convMessage!.cid!;
    const other = (await start(tom, [jerryId], { n: 'someone else' })).convMessage!.cid!;
    const before = await send(tom, byId, 'first');
    const mention = await send(tom, byId, '@jerry', { mentionPids: [jerryId] });
    await send(tom, byId, 'after');
    await send(tom, byAll, '@all', { mentionAll: true });
    await send(tom, plain, 'nobody');
    await send(tom, other, '@tom himself', { mentionPids: [tomId, 'not-a-member'] });
    return { tom, tomId, jerryId, byId, byAll, plain, other, before, mention };
  }

  test('raw: at login by id or all, not otherwise; kept while a mention is unread, cleared by reading past it', async () => {
    const scene = await mentionScene('mn-raw');
    const jerry = await RawClient.connect(env.server.wsUrl);
    raws.push(jerry);
    const unread = jerry.take(isCmd(CommandType.unread));
    await jerry.login(TEST_APP.appId, scene.jerryId);
    const tuples = new Map((await unread).unreadMessage!.convs!.map((tuple) => [tuple.cid, tuple]));
    assert.equal(tuples.get(scene.byId)?.mentioned, true);
    assert.equal(tuples.get(scene.byAll)?.mentioned, true);
    assert.equal(tuples.get(scene.plain)?.mentioned ?? false, false);
    assert.equal(tuples.get(scene.other)?.mentioned ?? false, false, 'mentioning others does not mention jerry');

    // Live: the unread push to jerry's other device after a read.
    const laptop = await raw(scene.jerryId);
    laptop.drain();
    jerry.send({ cmd: CommandType.read, readMessage: { convs: [{ cid: scene.byId, timestamp: scene.before.t, mid: scene.before.uid }] } });
    const partly = (await laptop.take(isCmd(CommandType.unread))).unreadMessage!.convs![0]!;
    assert.deepEqual([partly.cid, partly.unread, partly.mentioned], [scene.byId, 2, true], 'the mention is still unread');
    jerry.send({ cmd: CommandType.read, readMessage: { convs: [{ cid: scene.byId, timestamp: scene.mention.t, mid: scene.mention.uid }] } });
    const past = (await laptop.take(isCmd(CommandType.unread))).unreadMessage!.convs![0]!;
    assert.deepEqual([past.cid, past.unread, past.mentioned ?? false], [scene.byId, 1, false], 'read past the mention');
  });

  test('official 4.3.1: unreadMessagesMentioned after login, and cleared by read()', async () => {
    const scene = await mentionScene('mn-v4');
    const jerry = await official(v4, scene.jerryId);
    const conversations = new Map<string, Js>();
    await until(() => {
      for (const cid of [scene.byId, scene.byAll, scene.plain, scene.other]) {
        const conversation = jerry._conversationCache?.get?.(cid);
        if (conversation) conversations.set(cid, conversation);
      }
      return conversations.size === 4 && [...conversations.values()].every((c) => c.unreadMessagesCount > 0);
    }, 5000, 'the unread counts');
    assert.equal(conversations.get(scene.byId).unreadMessagesMentioned, true);
    assert.equal(conversations.get(scene.byAll).unreadMessagesMentioned, true);
    assert.equal(conversations.get(scene.plain).unreadMessagesMentioned, false);
    assert.equal(conversations.get(scene.other).unreadMessagesMentioned, false);
    // A live mention: 4.x reads mentionPids on the message.
    const live = within(new Promise<Js>((resolve) => jerry.on('message', resolve)), "jerry's live message");
    await send(scene.tom, scene.plain, '@jerry now', { mentionPids: [scene.jerryId] });
    const message = await live;
    assert.equal(message.mentioned, true);
    assert.equal(conversations.get(scene.plain).unreadMessagesMentioned, true);
  });

  test('our SDK: setMentionList/mentionAll sent, message.mentioned and unreadMessagesMentioned received, read() clears', async () => {
    const scene = await mentionScene('mn-sdk');
    const jerry = await env.login(scene.jerryId);
    const byId = (await jerry.getConversation(scene.byId))!;
    const byAll = (await jerry.getConversation(scene.byAll))!;
    const plain = (await jerry.getConversation(scene.plain))!;
    await until(() => byId.unreadMessagesCount > 0 && byAll.unreadMessagesCount > 0 && plain.unreadMessagesCount > 0, 5000, 'unread counts');
    assert.equal(byId.unreadMessagesMentioned, true);
    assert.equal(byAll.unreadMessagesMentioned, true);
    assert.equal(plain.unreadMessagesMentioned, false);
    await byId.read();
    assert.equal(byId.unreadMessagesMentioned, false);

    const tom = await env.login(scene.tomId);
    const tomsPlain = (await tom.getConversation(scene.plain))!;
    const { TextMessage } = await import('../src/sdk/index.js');
    const received = within(new Promise<InstanceType<typeof TextMessage>>((resolve) => jerry.on('message', (message) => resolve(message as never))), "jerry's message");
    const sent = await tomsPlain.send(new TextMessage(`@${scene.jerryId}`).setMentionList([scene.jerryId]));
    assert.deepEqual(sent.getMentionList(), [scene.jerryId]);
    assert.equal(sent.mentioned, false, 'not for the sender');
    const message = await received;
    assert.equal(message.mentioned, true);
    assert.deepEqual(message.mentionList, [scene.jerryId]);
    assert.equal(plain.unreadMessagesMentioned, true);
    const [logged] = (await plain.queryMessages({ limit: 1 })) as InstanceType<typeof TextMessage>[];
    assert.equal(logged!.mentioned, true, 'history too');
    const toAll = await tomsPlain.send(new TextMessage('@all').mentionAll());
    assert.equal(toAll.mentionedAll, true);
  });
});

describe('binary messages', () => {
  const bytesOf = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

  test('raw: stored, pushed as binaryMsg, in history as base64 with bin, in the unread tuple and the conversation’s last message', async () => {
    const [tomId, jerryId, harryId] = env.names('bin-tom', 'bin-jerry', 'bin-harry');
    const tom = await raw(tomId);
    const jerry = await raw(jerryId);
    const cid = (await start(tom, [jerryId, harryId])).convMessage!.cid!;
    const payload = bytesOf(300, 1);
    jerry.drain();
    const ack = await tom.request({ cmd: CommandType.direct, directMessage: { cid, binaryMsg: payload } });
    assert.equal(ack.cmd, CommandType.ack, ack.errorMessage?.reason ?? '');
    const pushed = await jerry.take(isCmd(CommandType.direct));
    assert.deepEqual(new Uint8Array(pushed.directMessage!.binaryMsg!), payload);
    assert.equal(pushed.directMessage?.msg ?? '', '');

    const logs = await tom.request({ cmd: CommandType.logs, logsMessage: { cid, limit: 10 } });
    const [item] = logs.logsMessage!.logs!;
    assert.equal(item!.bin, true);
    assert.equal(item!.data, Buffer.from(payload).toString('base64'));
    assert.equal(item!.msgId, ack.ackMessage!.uid);

    const harry = await RawClient.connect(env.server.wsUrl);
    raws.push(harry);
    const unread = harry.take(isCmd(CommandType.unread));
    await harry.login(TEST_APP.appId, harryId);
    const [tuple] = (await unread).unreadMessage!.convs!;
    assert.deepEqual(new Uint8Array(tuple!.binaryMsg!), payload);
    assert.equal(tuple!.data ?? '', '');

    const found = await tom.request({ cmd: CommandType.conv, op: OpType.query, convMessage: { where: { data: JSON.stringify({ objectId: cid }) }, flag: 2 } });
    const [row] = JSON.parse(found.convMessage!.results!.data!) as Record<string, unknown>[];
    assert.equal(row!.bin, true);
    assert.equal(row!.msg, Buffer.from(payload).toString('base64'));

    // A text message after it is text again everywhere.
    await send(tom, cid, 'text again');
    const latest = await tom.request({ cmd: CommandType.logs, logsMessage: { cid, limit: 1 } });
    assert.equal(latest.logsMessage!.logs![0]!.bin ?? false, false);
  });

  test('raw: refused without a payload, with both msg and binaryMsg, and to a non-member', async () => {
    const [tomId, jerryId, strangerId] = env.names('binr-tom', 'binr-jerry', 'binr-stranger');
    const tom = await raw(tomId);
    const cid = (await start(tom, [jerryId])).convMessage!.cid!;
    for (const directMessage of [{ cid, binaryMsg: new Uint8Array(0) }, { cid, msg: 'text', binaryMsg: bytesOf(4, 2) }]) {
      const refused = await tom.request({ cmd: CommandType.direct, directMessage });
      assert.equal(refused.errorMessage?.reason, 'MESSAGE_REJECTED_BY_APP');
    }
    const stranger = await raw(strangerId);
    const outsider = await stranger.request({ cmd: CommandType.direct, directMessage: { cid, binaryMsg: bytesOf(4, 3) } });
    assert.equal(outsider.errorMessage?.reason, 'INVALID_MESSAGING_TARGET');
  });

  test('official 4.3.1: BinaryMessage sent and received live and from history; our SDK reads it as a Message with the bytes, and sends bytes 4.x reads', async () => {
    const [tomId, jerryId] = env.names('bin-v4-tom', 'bin-v4-jerry');
    const tom = await official(v4, tomId);
    const jerry = await official(v4, jerryId);
    const ours = await env.login(jerryId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const payload = bytesOf(1000, 4);
    const live = within(new Promise<Js>((resolve) => jerry.on('message', resolve)), "jerry's live message");
    const ourLive = within(new Promise<Js>((resolve) => ours.on('message', (message) => resolve(message))), 'our live message');
    const sent = await conversation.send(new lc4.BinaryMessage(payload.slice().buffer));
    const received = await live;
    assert.ok(received instanceof lc4.BinaryMessage, 'a BinaryMessage');
    assert.deepEqual(new Uint8Array(received.buffer), payload);
    const ourMessage = await ourLive;
    assert.ok(ourMessage.content instanceof Uint8Array, 'ourMessage.content is a Uint8Array');
    assert.deepEqual(ourMessage.content, payload);
    assert.equal(ourMessage.id, sent.id);

    const jerrysView = await jerry.getConversation(conversation.id);
    const [logged] = await jerrysView.queryMessages({ limit: 1 });
    assert.ok(logged instanceof lc4.BinaryMessage, 'logged is a BinaryMessage');
    assert.deepEqual(new Uint8Array(logged.buffer), payload);
    const ourView = (await ours.getConversation(conversation.id))!;
    const [ourLogged] = await ourView.queryMessages({ limit: 1 });
    assert.deepEqual(ourLogged!.content, payload);

    // Our SDK sends bytes (Uint8Array or ArrayBuffer); 4.x gets a BinaryMessage.
    const { Message } = await import('../src/sdk/index.js');
    const back = bytesOf(64, 5);
    const tomGets = within(new Promise<Js>((resolve) => tom.on('message', resolve)), "tom's message");
    await ourView.send(new Message(back));
    const echoed = await tomGets;
    assert.ok(echoed instanceof lc4.BinaryMessage, 'echoed is a BinaryMessage');
    assert.deepEqual(new Uint8Array(echoed.buffer), back);
  });
});

test('binary messages: 4.x edits one with new bytes (binaryMsg in the patch); history and our SDK see the new bytes; a text edit makes it text', async () => {
  const [tomId, jerryId] = env.names('binp-tom', 'binp-jerry');
  const tom = await official(v4, tomId);
  const ours = await env.login(jerryId);
  const conversation = await tom.createConversation({ members: [jerryId] });
  const first = Uint8Array.from([1, 2, 3, 4]);
  const second = Uint8Array.from([9, 8, 7]);
  const sent = await conversation.send(new lc4.BinaryMessage(first.slice().buffer));
  const ourView = (await ours.getConversation(conversation.id))!;
  const updated = within(new Promise<unknown>((resolve) => ourView.on('messageupdate', (message) => resolve(message))), 'messageupdate');
  await conversation.update(sent, new lc4.BinaryMessage(second.slice().buffer));
  const patched = (await updated) as { id: string; content: unknown };
  assert.equal(patched.id, sent.id);
  assert.deepEqual(patched.content, second);
  const [logged] = await conversation.queryMessages({ limit: 1 });
  assert.ok(logged instanceof lc4.BinaryMessage, 'logged is a BinaryMessage');
  assert.deepEqual(new Uint8Array(logged.buffer), second);

  await conversation.update(sent, new lc4.TextMessage('now text'));
  const [text] = await conversation.queryMessages({ limit: 1 });
  assert.equal(text.text, 'now text');
  // Our SDK edits with bytes too.
  const { Message } = await import('../src/sdk/index.js');
  const own = await ourView.send(new Message(Uint8Array.from([5])));
  await ourView.update(own, new Message(Uint8Array.from([6, 6])));
  const [again] = await ourView.queryMessages({ limit: 1 });
  assert.deepEqual(again!.content, Uint8Array.from([6, 6]));
});

describe('temporary conversations', () => {
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  test('raw: _tmp: ids, the TTL in the reply (default and maximum one day), messages and history while alive, found only by tempConvIds and only by members', async () => {
    const [tomId, jerryId, strangerId] = env.names('tmp-tom', 'tmp-jerry', 'tmp-stranger');
    const tom = await raw(tomId);
    const jerry = await raw(jerryId);
    const byDefault = await start(tom, [jerryId], { tempConv: true });
    assert.match(byDefault.convMessage!.cid!, /^_tmp:/);
    assert.equal(byDefault.convMessage!.tempConvTTL, 86_400);
    const short = await start(tom, [jerryId], { tempConv: true, tempConvTTL: 600 });
    assert.equal(short.convMessage!.tempConvTTL, 600);
    const cid = short.convMessage!.cid!;
    const normal = await start(tom, [jerryId]);
    assert.equal(normal.convMessage!.tempConvTTL ?? 0, 0, 'no TTL for other conversations');
    assert.doesNotMatch(normal.convMessage!.cid!, /^_tmp:/);

    jerry.drain();
    const sent = await send(tom, cid, 'while alive');
    assert.equal((await jerry.take(isCmd(CommandType.direct))).directMessage?.id, sent.uid);
    const logs = await jerry.request({ cmd: CommandType.logs, logsMessage: { cid, limit: 5 } });
    assert.deepEqual(logs.logsMessage!.logs!.map((item) => item.msgId), [sent.uid]);

    const found = await jerry.request({ cmd: CommandType.conv, op: OpType.query, convMessage: { tempConvIds: [cid, byDefault.convMessage!.cid!, normal.convMessage!.cid!] } });
    const rows = JSON.parse(found.convMessage!.results!.data!) as Record<string, unknown>[];
    assert.deepEqual(rows.map((row) => row.objectId).sort(), [cid, byDefault.convMessage!.cid!].sort(), 'temporary ones only');
    const row = rows.find((r) => r.objectId === cid)!;
    assert.ok(typeof row.ttl === 'number' && row.ttl > 590 && row.ttl <= 600, `ttl ${String(row.ttl)}`);
    assert.deepEqual(row.m, [jerryId, tomId].sort());

    const listed = await jerry.request({ cmd: CommandType.conv, op: OpType.query, convMessage: { where: { data: JSON.stringify({ m: jerryId }) }, limit: 100 } });
    const listedIds = (JSON.parse(listed.convMessage!.results!.data!) as { objectId: string }[]).map((r) => r.objectId);
    assert.ok(listedIds.includes(normal.convMessage!.cid!), 'a where query lists the normal conversation');
    assert.ok(!listedIds.some((id) => id.startsWith('_tmp:')), 'a where query does not list temporary conversations');

    const stranger = await raw(strangerId);
    const notMine = await stranger.request({ cmd: CommandType.conv, op: OpType.query, convMessage: { tempConvIds: [cid] } });
    assert.deepEqual(JSON.parse(notMine.convMessage!.results!.data!), [], 'a non-member does not find it');
    const refused = await stranger.request({ cmd: CommandType.logs, logsMessage: { cid, limit: 5 } });
    assert.equal(refused.errorMessage?.reason, 'CONVERSATION_LOG_REJECTED');
  });

  test('raw: once expired, sending and history get 4323 TEMPORARY_CONVERSATION_EXPIRED, queries leave it out, and the prune deletes it with its messages', async () => {
    const [tomId, jerryId] = env.names('tmpx-tom', 'tmpx-jerry');
    const tom = await raw(tomId);
    const cid = (await start(tom, [jerryId], { tempConv: true, tempConvTTL: 1 })).convMessage!.cid!;
    await send(tom, cid, 'quick');
    await wait(1_200);
    const sending = await tom.request({ cmd: CommandType.direct, directMessage: { cid, msg: 'too late' } });
    assert.deepEqual([sending.errorMessage?.code, sending.errorMessage?.reason], [4323, 'TEMPORARY_CONVERSATION_EXPIRED']);
    const history = await tom.request({ cmd: CommandType.logs, logsMessage: { cid, limit: 5 } });
    assert.deepEqual([history.errorMessage?.code, history.errorMessage?.reason], [4323, 'TEMPORARY_CONVERSATION_EXPIRED']);
    const adding = await tom.request({ cmd: CommandType.conv, op: OpType.add, convMessage: { cid, m: ['tmpx-harry'] } });
    assert.equal(adding.errorMessage?.code, 4323);
    const found = await tom.request({ cmd: CommandType.conv, op: OpType.query, convMessage: { tempConvIds: [cid] } });
    assert.deepEqual(JSON.parse(found.convMessage!.results!.data!), []);

    const store = env.server.server.store;
    assert.ok((await store.pruneExpiredConversations(Date.now(), 1000)) >= 1, 'the expired temporary conversation is pruned');
    assert.deepEqual(await store.queryMessages({ appId: TEST_APP.appId, cid, limit: 10, direction: 'old' }), [], 'its messages are gone');
    assert.equal(await store.isMember(TEST_APP.appId, cid, tomId), false, 'and its members');
    const afterPrune = await tom.request({ cmd: CommandType.direct, directMessage: { cid, msg: 'still too late' } });
    assert.equal(afterPrune.errorMessage?.code, 4323, 'the same error once pruned');
  });

  test('official 4.3.1: createTemporaryConversation, getConversation(_tmp:…), messages, serialization, expired', async () => {
    const [tomId, jerryId] = env.names('tmp-v4-tom', 'tmp-v4-jerry');
    const tom = await official(v4, tomId);
    const jerry = await official(v4, jerryId);
    const conversation = await tom.createTemporaryConversation({ members: [jerryId], ttl: 2 });
    assert.ok(conversation instanceof lc4.TemporaryConversation, 'conversation is a TemporaryConversation');
    assert.match(conversation.id, /^_tmp:/);
    assert.ok(conversation.expiredAt instanceof Date && conversation.expiredAt.getTime() > Date.now(), `expiredAt is a Date in the future: ${String(conversation.expiredAt)}`);
    assert.equal(conversation.expired, false);

    const received = within(new Promise<[Js, Js]>((resolve) => jerry.on('message', (message: Js, where: Js) => resolve([message, where]))), "jerry's message");
    await conversation.send(new lc4.TextMessage('temporary hello'));
    const [message, where] = await received;
    assert.equal(message.text, 'temporary hello');
    assert.ok(where instanceof lc4.TemporaryConversation, 'the receiver sees a TemporaryConversation');
    const jerrysView = await jerry.getConversation(conversation.id, true);
    assert.ok(jerrysView instanceof lc4.TemporaryConversation, 'jerrysView is a TemporaryConversation');
    assert.ok(jerrysView.expiredAt instanceof Date, 'jerrysView.expiredAt is a Date');
    assert.equal((await jerrysView.queryMessages({ limit: 5 })).length, 1);

    const json = conversation.toJSON();
    assert.equal(json.id, conversation.id);
    assert.equal(json.expired, false);
    const revived = await tom.parseConversation(conversation.toFullJSON());
    assert.ok(revived instanceof lc4.TemporaryConversation, 'revived is a TemporaryConversation');
    assert.equal(revived.expiredAt.getTime(), conversation.expiredAt.getTime());

    await wait(2_200);
    assert.equal(conversation.expired, true);
    await assert.rejects(conversation.send(new lc4.TextMessage('too late')), (error: Js) => error.code === 4323);
    // The server's own refusal, for a view that does not know it expired.
    jerrysView.expiredAt = new Date(Date.now() + 60_000);
    await assert.rejects(jerrysView.send(new lc4.TextMessage('too late')), (error: Js) => error.code === 4323);
    assert.equal(await jerry.getConversation(conversation.id, true), null);
  });

  test('our SDK: createTemporaryConversation, getConversation(_tmp:…), messages, expired and the 4323 refusal', async () => {
    const [tomId, jerryId] = env.names('tmp-sdk-tom', 'tmp-sdk-jerry');
    const tom = await env.login(tomId);
    const jerry = await env.login(jerryId);
    const conversation = await tom.createTemporaryConversation({ members: [jerryId], ttl: 2 });
    assert.match(conversation.id, /^_tmp:/);
    assert.equal(conversation.temporary, true);
    assert.ok(conversation.expiredAt instanceof Date, 'conversation.expiredAt is a Date');
    assert.equal(conversation.expired, false);
    await assert.rejects(tom.createTemporaryConversation({ members: [jerryId], ttl: -5 }), TypeError);

    const { TextMessage } = await import('../src/sdk/index.js');
    const received = within(new Promise<unknown>((resolve) => jerry.on('message', (message) => resolve(message))), "jerry's message");
    await conversation.send(new TextMessage('temporary hello'));
    assert.equal(((await received) as InstanceType<typeof TextMessage>).text, 'temporary hello');
    const jerrysView = (await jerry.getConversation(conversation.id, true))!;
    assert.ok(jerrysView.expiredAt instanceof Date, 'jerrysView.expiredAt is a Date');
    assert.deepEqual([...jerrysView.members].sort(), [jerryId, tomId].sort());
    assert.equal((await jerrysView.queryMessages({ limit: 5 })).length, 1);
    const [viaList] = await jerry.getConversations([conversation.id], true);
    assert.equal(viaList, jerrysView);

    await wait(2_200);
    assert.equal(conversation.expired, true);
    await assert.rejects(conversation.send(new TextMessage('too late')), (error: Js) => error.code === 4323 && error.name === 'TEMPORARY_CONVERSATION_EXPIRED');
    assert.equal(await jerry.getConversation(conversation.id, true), null);
  });
});

describe('guide leftovers in our SDK', () => {
  test('new LcFile.withURL(name, url), as the guide writes it, and LcFile.withURL(name, url) give the same file; an ImageMessage of it reaches 4.x', async () => {
    const { LcFile, ImageMessage, TypedMessagesPlugin } = await import('../src/sdk/typed-messages/index.js');
    const url = 'http://pic2.zhimg.com/6c10e6053c739ed0ce676a0aff15cf1c.gif';
    const withNew = new LcFile.withURL('萌妹子', url);
    const plain = LcFile.withURL('萌妹子', url);
    for (const file of [withNew, plain]) {
      assert.ok(file instanceof LcFile, 'file is an LcFile');
      assert.equal(file.name(), '萌妹子');
      assert.equal(file.url(), url);
    }
    assert.throws(() => new LcFile.withURL('x', 'not a url'), TypeError);

    const [tomId, jerryId] = env.names('file-tom', 'file-jerry');
    const jerry = await official(v4, jerryId);
    const tom = await env.device({ plugins: [TypedMessagesPlugin] }).createIMClient(tomId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const received = within(new Promise<Js>((resolve) => jerry.on('message', resolve)), "jerry's message");
    await conversation.send(new ImageMessage(withNew));
    // 4.x without its typed-messages plugin keeps the payload as the content.
    const payload = (await received).content;
    assert.equal(payload._lctype, -2);
    assert.equal(payload._lcfile.url, url);
  });

  test('ES5-style message classes: inherit(TypedMessage) is refused at definition time with a clear error; an ES5 constructor that builds with Reflect.construct works', async () => {
    const { TypedMessage, messageType, messageField, TextMessage } = await import('../src/sdk/index.js');
    // What the npm package `inherit` (the guide's sample) makes of a base with no __constructor.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const inherit = (base: any): any => {
      const result = function (this: unknown, ...args: unknown[]) {
        return base.apply(this, args);
      };
      Object.assign(result, base);
      result.prototype = Object.create(base.prototype);
      result.prototype.constructor = result;
      return result;
    };
    const OperationMessage = inherit(TypedMessage);
    assert.throws(() => messageType(1)(OperationMessage), (error: Error) => error instanceof TypeError && /ES5-style/.test(error.message) && /extends TypedMessage/.test(error.message));
    assert.throws(() => messageField('op')(OperationMessage), /ES5-style/);
    // The hand-written ES5 way, TypedMessage.call(this), likewise.
    function CallMessage(this: unknown) {
      (TypedMessage as unknown as (this: unknown) => void).call(this);
    }
    CallMessage.prototype = Object.create(TypedMessage.prototype);
    assert.throws(() => messageType(2)(CallMessage as never), /ES5-style/);

    // Transpiled classes that construct the base properly (Babel's output) work.
    function BuiltMessage(this: unknown): unknown {
      return Reflect.construct(TypedMessage, [], new.target ?? BuiltMessage);
    }
    BuiltMessage.prototype = Object.create(TypedMessage.prototype, { constructor: { value: BuiltMessage, writable: true, configurable: true } });
    Object.setPrototypeOf(BuiltMessage, TypedMessage);
    messageType(3)(BuiltMessage as never);
    messageField('op')(BuiltMessage as never);
    assert.ok(TextMessage, 'TextMessage is exported');

    const [tomId, jerryId] = env.names('es5-tom', 'es5-jerry');
    const device = env.device();
    device.register(BuiltMessage as never);
    const tom = await env.login(tomId);
    const jerry = await device.createIMClient(jerryId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const received = within(new Promise<unknown>((resolve) => jerry.on('message', (message) => resolve(message))), "jerry's message");
    const op = new (BuiltMessage as unknown as new () => InstanceType<typeof TypedMessage> & { op?: string })();
    op.op = 'typing';
    await conversation.send(op);
    const got = (await received) as { op?: string; type?: number };
    assert.ok(got instanceof (BuiltMessage as unknown as new () => object), 'the message is an instance of the registered ES5-style class');
    assert.equal(got.op, 'typing');
    assert.equal(got.type, 3);
  });

  test('the server option takes a list of URLs and fails over in order; all unreachable rejects; an empty or non-string list is refused', async () => {
    const { Realtime } = await import('../src/sdk/index.js');
    const dead = 'ws://127.0.0.1:1';
    const realtime = new Realtime({ appId: env.server.appId, server: [dead, env.server.wsUrl] });
    env.realtimes.push(realtime);
    const [aliceId, bobId] = env.names('fo-alice', 'fo-bob');
    const alice = await realtime.createIMClient(aliceId);
    assert.equal(alice.id, aliceId);
    assert.deepEqual(realtime.options.server, [dead, env.server.wsUrl]);
    const conversation = await alice.createConversation({ members: [bobId] });
    const { TextMessage } = await import('../src/sdk/index.js');
    await conversation.send(new TextMessage('through the second server'));

    const allDead = new Realtime({ appId: env.server.appId, server: [dead, 'ws://127.0.0.1:2'] });
    env.realtimes.push(allDead);
    await assert.rejects(allDead.createIMClient(env.names('fo-nobody')[0]), /cannot connect to ws:\/\/127\.0\.0\.1:2/);
    assert.throws(() => new Realtime({ appId: 'x', server: [] }), TypeError);
    assert.throws(() => new Realtime({ appId: 'x', server: [env.server.wsUrl, 42 as never] }), TypeError);
  });
});

test('temporary conversations: an expired one is left out of the unread counts at login, before it is pruned', async () => {
  const [tomId, jerryId] = env.names('tmpu-tom', 'tmpu-jerry');
  const tom = await raw(tomId);
  const expiring = (await start(tom, [jerryId], { tempConv: true, tempConvTTL: 1 })).convMessage!.cid!;
  const lasting = (await start(tom, [jerryId], { tempConv: true, tempConvTTL: 600 })).convMessage!.cid!;
  await send(tom, expiring, 'soon gone');
  await send(tom, lasting, 'still here');
  await new Promise((resolve) => setTimeout(resolve, 1_200));
  const jerry = await RawClient.connect(env.server.wsUrl);
  raws.push(jerry);
  const unread = jerry.take(isCmd(CommandType.unread));
  await jerry.login(TEST_APP.appId, jerryId);
  assert.deepEqual((await unread).unreadMessage!.convs!.map((tuple) => tuple.cid), [lasting]);
});
