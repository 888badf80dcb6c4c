/**
 * Issue 3, acceptance 1, with the official SDKs from npm (3.5.7 and 4.3.1)
 * against a real server: members and their events, attribute updates with
 * dotted keys, every query operator, chat-room count and priority,
 * transient messages, receipts, unread counts and markAsRead across two
 * devices, offline-push mode, history paging, recall and edit.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { nextEvent, v3, v4, type OfficialRealtime } from './helpers/official-sdk.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const require = createRequire(import.meta.url);

// The official SDKs ship no types; these tests drive them as plain JavaScript.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Js = any;

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
const realtimes: OfficialRealtime[] = [];
after(async () => {
  for (const realtime of realtimes) (realtime as Js)._close();
  await server.stop();
});

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sorted = (ids: readonly string[]) => [...ids].sort();

/** Resolves once `predicate` holds, polling; rejects after `ms`. */
async function until(predicate: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await delay(10);
  }
}

for (const sdk of [v3, v4]) {
  const lc: Js = require(sdk.version === '3.5.7' ? 'lc3' : 'lc4');
  const isV4 = sdk.version === '4.3.1';
  let run = 0;
  /** Ids unique to this SDK and test, so nothing is shared by accident. */
  const names = (...who: string[]) => {
    run += 1;
    return who.map((name) => `${name}-${sdk.version}-${run}`);
  };
  /** One Realtime (one socket) per device. */
  const login = (id: string, options: { pushOfflineMessages?: boolean } = {}): Promise<Js> => {
    const realtime = sdk.realtime({ appId: server.appId, appKey: server.appKey, wsUrl: server.wsUrl, ...options });
    realtimes.push(realtime);
    return realtime.createIMClient(id);
  };
  const text = (value: string): Js => new lc.TextMessage(value);

  describe(`official SDK ${sdk.version}: conversations`, () => {
    test('members: join, add, quit, remove and the events of the guide’s tables', async () => {
      const [jerryId, bobId, tomId, maryId, strangerId] = names('Jerry', 'Bob', 'Tom', 'Mary', 'Stranger');
      const [jerry, bob, tom, mary, stranger] = await Promise.all([jerryId, bobId, tomId, maryId, strangerId].map((id) => login(id!)));
      const conversation = await jerry.createConversation({ members: [bobId], name: 'members' });
      const bobConversation = await bob.getConversation(conversation.id);

      const jerrySeesTom = nextEvent<[Js, Js]>(jerry, 'membersjoined');
      const tomInvited = nextEvent<[Js, Js]>(tom, 'invited');
      const tomConversation = await tom.getConversation(conversation.id);
      // Before joining, Tom gets the public view: no member list (security model).
      assert.deepEqual(tomConversation.members, []);
      assert.equal(await tomConversation.join(), tomConversation);
      assert.deepEqual(tomConversation.members, [tomId], 'the SDK adds the joiner itself');
      // As a member, a fetch brings the whole list.
      await tomConversation.fetch();
      assert.deepEqual(sorted(tomConversation.members), sorted([jerryId!, bobId!, tomId!]));
      assert.deepEqual((await jerrySeesTom)[0], { invitedBy: tomId, members: [tomId] });
      assert.equal((await tomInvited)[0].invitedBy, tomId);
      await until(() => conversation.members.includes(tomId));

      // Jerry adds Mary: she is invited; everyone hears membersjoined, on the client and on the conversation.
      const maryInvited = nextEvent<[Js, Js]>(mary, 'invited');
      const bobSees = nextEvent<[Js]>(bobConversation, 'membersjoined');
      const added = await conversation.add([maryId]);
      if (isV4) assert.deepEqual([added.successfulClientIds, added.failures], [[maryId], []]);
      else assert.equal(added, conversation);
      assert.ok(conversation.members.includes(maryId));
      const [invitation, maryConversation] = await maryInvited;
      assert.deepEqual(invitation, { invitedBy: jerryId });
      assert.equal(maryConversation.id, conversation.id);
      assert.deepEqual((await bobSees)[0], { invitedBy: jerryId, members: [maryId] });

      // Strangers may join but not invite: v4 reads per-member results, v3 gets an error.
      const strangerConversation = await stranger.getConversation(conversation.id);
      if (isV4) {
        const partly = await strangerConversation.add([strangerId, 'outsider']);
        assert.deepEqual(partly.successfulClientIds, [strangerId]);
        assert.equal(partly.failures[0].code, 4309);
        assert.deepEqual(partly.failures[0].clientIds, ['outsider']);
      } else {
        await assert.rejects(strangerConversation.add(['outsider']), (error: Js) => error.code === 4309);
        await strangerConversation.join();
      }
      assert.ok(strangerConversation.members.includes(strangerId));

      // Jerry removes Mary: she is kicked, the others hear membersleft.
      const maryKicked = nextEvent<[Js, Js]>(mary, 'kicked');
      const bobSeesLeft = nextEvent<[Js, Js]>(bob, 'membersleft');
      await conversation.remove(maryId);
      assert.equal(conversation.members.includes(maryId), false);
      assert.deepEqual((await maryKicked)[0], { kickedBy: jerryId });
      assert.deepEqual((await bobSeesLeft)[0], { kickedBy: jerryId, members: [maryId] });

      const jerrySeesQuit = nextEvent<[Js, Js]>(jerry, 'membersleft');
      assert.equal(await tomConversation.quit(), tomConversation);
      assert.deepEqual((await jerrySeesQuit)[0], { kickedBy: tomId, members: [tomId] });
      assert.equal(await conversation.count(), 3);
      const fresh = (await (await login(bobId!)).getQuery().equalTo('objectId', conversation.id).find())[0];
      assert.deepEqual(sorted(fresh.members), sorted([jerryId!, bobId!, strangerId!]));
      assert.equal(fresh.creator, jerryId);
    });

    test('attributes: name, dotted keys as paths, the update push, mute', async () => {
      const [tomId, jerryId] = names('Tom', 'Jerry');
      const tom = await login(tomId!);
      const jerry = await login(jerryId!);
      const conversation = await tom.createConversation({ members: [jerryId], name: '猫和老鼠', type: 'private', attr: { color: 'grey', size: 1 } });
      const jerryConversation = await jerry.getConversation(conversation.id);
      const pushed = isV4 ? nextEvent<[Js, Js]>(jerry, 'conversationinfoupdated') : undefined;

      conversation.name = '聪明的喵星人';
      conversation.set('attr.color', 'black');
      conversation.set('topic', 'cats');
      const before = conversation.updatedAt;
      assert.equal(await conversation.save(), conversation);
      assert.ok(new Date(conversation.updatedAt) > new Date(before), 'updatedAt from the reply');

      await jerryConversation.fetch();
      assert.equal(jerryConversation.name, '聪明的喵星人');
      assert.deepEqual(jerryConversation.get('attr'), { color: 'black', size: 1 }, '"attr.color" set a path');
      assert.equal(jerryConversation.get('topic'), 'cats');
      assert.equal(jerryConversation.get('type'), 'private');
      if (pushed) {
        const [payload, about] = await pushed;
        assert.equal(payload.updatedBy, tomId);
        assert.equal(about.id, conversation.id);
        assert.equal(payload.attributes['attr.color'], 'black');
      }

      await jerryConversation.mute();
      assert.equal(jerryConversation.muted, true);
      const [muted] = await jerry.getQuery().equalTo('objectId', conversation.id).find();
      assert.deepEqual(muted.mutedMembers, [jerryId]);
      await jerryConversation.unmute();
      await conversation.fetch();
      assert.deepEqual(conversation.mutedMembers, []);
    });

    test('queries: every ConversationQuery operator, sorting, paging, compact and last messages', async () => {
      const [queryId, xId, yId] = names('Q', 'X', 'Y');
      const q = await login(queryId!);
      const suite = `suite-${queryId}`;
      const startedAt = new Date(Date.now() - 1000);
      const c1 = await q.createConversation({ members: [xId], name: 'LeanCloud 粉丝群', suite, topic: 'movie', type: 'private', age: 10, keywords: '教育 培训', language: '中文', tags: ['a', 'b'] });
      const c2 = await q.createConversation({ members: [xId, yId], name: 'Rocket (v2.0)*', suite, topic: 'tech', type: 'public', age: 20, tags: ['b'] });
      const c3 = await q.createConversation({ name: 'Live 直播', transient: true, suite, topic: 'movie', age: 30 });
      await c1.send(text('the last word'));
      const label = new Map([[c1.id, 'c1'], [c2.id, 'c2'], [c3.id, 'c3']]);
      const find = async (build: (query: Js) => Js, ordered = false) => {
        const found = (await build(q.getQuery().equalTo('suite', suite)).find()).map((c: Js) => label.get(c.id));
        return ordered ? found : found.sort();
      };

      assert.deepEqual(await find((query) => query.equalTo('topic', 'movie')), ['c1', 'c3']);
      assert.deepEqual(await find((query) => query.notEqualTo('type', 'private')), ['c2', 'c3']);
      assert.deepEqual(await find((query) => query.lessThan('age', 20)), ['c1']);
      assert.deepEqual(await find((query) => query.lessThanOrEqualTo('age', 20)), ['c1', 'c2']);
      assert.deepEqual(await find((query) => query.greaterThan('age', 10)), ['c2', 'c3']);
      assert.deepEqual(await find((query) => query.greaterThanOrEqualTo('age', 30)), ['c3']);
      assert.deepEqual(await find((query) => query.exists('type')), ['c1', 'c2']);
      assert.deepEqual(await find((query) => query.doesNotExist('type')), ['c3']);
      assert.deepEqual(await find((query) => query.containedIn('topic', ['tech', 'other'])), ['c2']);
      assert.deepEqual(await find((query) => query.notContainsIn('topic', ['tech'])), ['c1', 'c3']);
      assert.deepEqual(await find((query) => query.containsAll('tags', ['a', 'b'])), ['c1']);
      assert.deepEqual(await find((query) => query.containsAll('m', [xId, yId])), ['c2']);
      assert.deepEqual(await find((query) => query.containsMembers([xId])), ['c1', 'c2']);
      assert.deepEqual(await find((query) => query.withMembers([xId], true)), ['c1']);
      assert.deepEqual(await find((query) => query.sizeEqualTo('tags', 1)), ['c2']);
      assert.deepEqual(await find((query) => query.matches('name', /rocket/i)), ['c2']);
      assert.deepEqual(await find((query) => query.matches('language', /[\u4e00-\u9fa5]/)), ['c1']);
      assert.deepEqual(await find((query) => query.contains('keywords', '教育')), ['c1']);
      assert.deepEqual(await find((query) => query.contains('name', '(v2.0)*')), ['c2'], 'contains is literal (\\Q…\\E)');
      assert.deepEqual(await find((query) => query.startsWith('name', 'Live')), ['c3']);
      assert.deepEqual(await find((query) => query.endsWith('name', '粉丝群')), ['c1']);
      assert.deepEqual(await find((query) => query.contains('keywords', '教育').lessThan('age', 18)), ['c1'], 'chained');
      assert.deepEqual(await find((query) => query.contains('keywords', '教育').greaterThan('age', 18)), []);
      assert.deepEqual(await find((query) => query.equalTo('tr', true)), ['c3']);
      assert.deepEqual(await find((query) => query.greaterThan('createdAt', startedAt)), ['c1', 'c2', 'c3'], 'dates');
      assert.deepEqual(await find((query) => query.greaterThan('lm', new Date(0))), ['c1']);

      assert.deepEqual(await find((query) => query.ascending('age'), true), ['c1', 'c2', 'c3']);
      assert.deepEqual(await find((query) => query.descending('age'), true), ['c3', 'c2', 'c1']);
      assert.deepEqual(await find((query) => query.addAscending('topic').addDescending('age'), true), ['c3', 'c1', 'c2']);
      assert.deepEqual(await find((query) => query.ascending('age').skip(1).limit(1), true), ['c2']);
      assert.deepEqual(await find((query) => query.ascending('age').skip(3), true), []);

      const [compact] = await q.getQuery().equalTo('objectId', c2.id).compact(true).find();
      assert.deepEqual(compact.members, []);
      const other = await login(xId!);
      const [withLast] = await other.getQuery().equalTo('objectId', c1.id).withLastMessagesRefreshed(true).find();
      assert.equal(withLast.lastMessage?.text, 'the last word');

      const many = `many-${queryId}`;
      for (let n = 0; n < 12; n++) await q.createConversation({ members: [xId], many });
      assert.equal((await q.getQuery().equalTo('many', many).find()).length, 10, 'limit defaults to 10');
      assert.equal((await q.getQuery().equalTo('many', many).limit(20).find()).length, 12);
    });

    test('chat rooms: online count, priority, one room per login; transient messages', async () => {
      const [hostId, aliceId, bobId] = names('Host', 'Alice', 'Bob');
      const host = await login(hostId!);
      const room = isV4 ? await host.createChatRoom({ name: '直播间' }) : await host.createConversation({ name: '直播间', transient: true });
      if (isV4) assert.ok(room instanceof lc.ChatRoom);
      else assert.equal(room.transient, true);
      const viewers = await Promise.all([aliceId, bobId].map((id) => login(id!)));
      const viewerRooms: Js[] = [];
      for (const viewer of viewers) {
        const viewerRoom = await viewer.getConversation(room.id);
        await viewerRoom.join();
        viewerRooms.push(viewerRoom);
      }
      assert.equal(await room.count(), 3, 'count() is the online count');
      const hostEvents: string[] = [];
      for (const event of ['membersjoined', 'membersleft']) host.on(event, () => hostEvents.push(event));

      const got = viewers.map((viewer) => {
        const texts: string[] = [];
        viewer.on('message', (message: Js) => texts.push(message.text));
        return texts;
      });
      const { HIGH, NORMAL, LOW } = lc.MessagePriority;
      const high = await room.send(text('现在比分是 0:0'), { priority: HIGH });
      assert.ok(high.id);
      await room.send(text('普通'), { priority: NORMAL });
      await room.send(text('弹幕'), { priority: LOW });
      await until(() => got.every((texts) => texts.length === 3));
      for (const texts of got) assert.deepEqual(texts, ['现在比分是 0:0', '普通', '弹幕']);
      assert.deepEqual(hostEvents, [], 'no member events in chat rooms');

      // One room per login: Bob joins another and leaves this one.
      const other = isV4 ? await host.createChatRoom({ name: 'other' }) : await host.createConversation({ name: 'other', transient: true });
      await (await viewers[1].getConversation(other.id)).join();
      assert.equal(await room.count(), 2);
      assert.equal(await other.count(), 2);

      // Transient messages: delivered to who is online, never stored.
      const [tomId, jerryId] = names('Tom', 'Jerry');
      const tom = await login(tomId!);
      const jerry = await login(jerryId!);
      const conversation = await tom.createConversation({ members: [jerryId] });
      const received = nextEvent<[Js]>(jerry, 'message');
      const typing = text('typing…');
      if (!isV4) typing.setTransient(true);
      await conversation.send(typing, isV4 ? { transient: true } : {});
      const [message] = await received;
      assert.equal(message.text, 'typing…');
      // v3 marks it on the received message; v4 does not copy the flag.
      if (!isV4) assert.equal(message.transient, true);
      assert.deepEqual(await conversation.queryMessages(), [], 'not in the history');
    });

    test('receipts: delivered (receipt event / DELIVERED) and read (lastReadAt), fetchReceiptTimestamps', async () => {
      const [tomId, jerryId] = names('Tom', 'Jerry');
      const tom = await login(tomId!);
      const jerry = await login(jerryId!);
      const conversation = await tom.createConversation({ members: [jerryId] });
      const delivered = nextEvent<[]>(conversation, 'lastdeliveredatupdate');
      const receipt = isV4 ? undefined : nextEvent<[Js]>(conversation, 'receipt');
      const jerryGot = nextEvent<[Js, Js]>(jerry, 'message');
      const message = await conversation.send(text('very important message'), { receipt: true });
      await delivered;
      if (receipt) assert.equal((await receipt)[0].message, message, 'the same message instance');
      assert.equal(message.status, lc.MessageStatus.DELIVERED);
      assert.ok(conversation.lastDeliveredAt instanceof Date);

      const read = nextEvent<[]>(conversation, 'lastreadatupdate');
      const [, jerryConversation] = await jerryGot;
      await (isV4 ? jerryConversation.read() : jerryConversation.markAsRead());
      await read;
      assert.equal(conversation.lastReadAt.getTime(), message.timestamp.getTime());

      const later = await (await login(tomId!)).getConversation(conversation.id);
      await later.fetchReceiptTimestamps();
      assert.equal(later.lastReadAt.getTime(), message.timestamp.getTime());
      assert.ok(later.lastDeliveredAt.getTime() >= message.timestamp.getTime());
    });

    test('unread counts after login, and markAsRead clears them on the same user’s other device', async () => {
      const [tomId, harryId] = names('Tom', 'Harry');
      const tom = await login(tomId!);
      const conversation = await tom.createConversation({ members: [harryId] });
      await conversation.send(text('one'));
      const last = await conversation.send(text('two'));

      const harryLogins = [];
      for (let device = 0; device < 2; device++) {
        const realtime = sdk.realtime({ appId: server.appId, appKey: server.appKey, wsUrl: server.wsUrl });
        realtimes.push(realtime);
        const unread: Js[] = [];
        const legacy: Js[] = [];
        // The events fire right after login: listen on the Realtime's client as it is created.
        const client: Js = await (realtime as Js).createIMClient(harryId).then((harry: Js) => {
          harry.on('unreadmessagescountupdate', (conversations: Js[]) => unread.push(...conversations.map((c) => [c.id, c.unreadMessagesCount])));
          harry.on('unreadmessages', (payload: Js, about: Js) => legacy.push([about.id, payload.count, payload.lastMessageId]));
          return harry;
        });
        await until(() => unread.length > 0).catch(() => {});
        harryLogins.push({ client, unread, legacy });
      }
      for (const { unread, legacy, client } of harryLogins) {
        await until(() => unread.some(([id, count]) => id === conversation.id && count === 2));
        if (!isV4) assert.deepEqual(legacy.find(([id]) => id === conversation.id), [conversation.id, 2, last.id]);
        const cached = await client.getConversation(conversation.id);
        assert.equal(cached.unreadMessagesCount, 2);
        assert.equal(cached.lastMessage.id, last.id);
      }

      const [phone, laptop] = harryLogins;
      const phoneConversation = await phone!.client.getConversation(conversation.id);
      if (isV4) await phoneConversation.read();
      else await phoneConversation.markAsRead();
      assert.equal(phoneConversation.unreadMessagesCount, 0);
      await until(() => laptop!.unread.some(([id, count]) => id === conversation.id && count === 0));
      assert.equal((await laptop!.client.getConversation(conversation.id)).unreadMessagesCount, 0);
    });

    test('offline-push mode: the messages themselves arrive at login', async () => {
      const [tomId, harryId] = names('Tom', 'Harry');
      const tom = await login(tomId!);
      const conversation = await tom.createConversation({ members: [harryId] });
      const sent = [];
      for (const value of ['一', '二', '三']) sent.push(await conversation.send(text(value)));
      const realtime = sdk.realtime({ appId: server.appId, appKey: server.appKey, wsUrl: server.wsUrl, pushOfflineMessages: true });
      realtimes.push(realtime);
      const got: Js[] = [];
      // Messages may be dispatched before createIMClient resolves; the Realtime forwards them to the client, so attach early.
      const harry: Js = await realtime.createIMClient(harryId!);
      harry.on('message', (message: Js) => got.push(message));
      await until(() => got.length === 3);
      assert.deepEqual(got.map((message) => message.text), ['一', '二', '三']);
      assert.deepEqual(got.map((message) => message.id), sent.map((message) => message.id));
      assert.equal(got[0].from, tomId);
    });

    test('history: limits and bounds, newest page first, then paging back', async () => {
      const [tomId, jerryId] = names('Tom', 'Jerry');
      const tom = await login(tomId!);
      const conversation = await tom.createConversation({ members: [jerryId] });
      const sent: Js[] = [];
      for (let n = 0; n < 25; n++) sent.push(await conversation.send(text(`m${n}`)));
      const ids = (messages: Js[]) => messages.map((message) => message.id);
      assert.deepEqual(ids(await conversation.queryMessages()), ids(sent.slice(5)), 'default limit 20');
      assert.deepEqual(ids(await conversation.queryMessages({ limit: 10 })), ids(sent.slice(15)));
      const before = await conversation.queryMessages({ limit: 5, beforeTime: sent[10].timestamp, beforeMessageId: sent[10].id });
      assert.deepEqual(ids(before), ids(sent.slice(5, 10)));
      const between = await conversation.queryMessages({ limit: 100, beforeTime: sent[10].timestamp, beforeMessageId: sent[10].id, afterTime: sent[6].timestamp, afterMessageId: sent[6].id });
      assert.deepEqual(ids(between), ids(sent.slice(7, 10)));

      const iterator = conversation.createMessagesIterator({ limit: 10 });
      const pages: Js[][] = [];
      for (;;) {
        const page = await iterator.next();
        pages.push(ids(page.value));
        if (page.done) break;
      }
      assert.deepEqual(pages, [ids(sent.slice(15)), ids(sent.slice(5, 15)), ids(sent.slice(0, 5))]);
    });

    test('recall and edit: messageupdate and messagerecall, history shows the result, others’ messages refused', async () => {
      const [tomId, jerryId] = names('Tom', 'Jerry');
      const tom = await login(tomId!);
      const jerry = await login(jerryId!);
      const conversation = await tom.createConversation({ members: [jerryId] });
      const jerryConversation = await jerry.getConversation(conversation.id);
      const typo = await conversation.send(text('tpyo'));
      const regret = await conversation.send(text('regrettable'));

      const updated = nextEvent<[Js, Js]>(jerry, 'messageupdate');
      const updatedOnConversation = nextEvent<[Js]>(jerryConversation, 'messageupdate');
      const edited = await conversation.update(typo, text('typo'));
      assert.equal(edited.text, 'typo');
      const [update] = await updated;
      assert.deepEqual([update.id, update.text, update.from], [typo.id, 'typo', tomId]);
      assert.ok(update.updatedAt, 'patchTimestamp arrived');
      assert.equal((await updatedOnConversation)[0].id, typo.id);

      const recalled = nextEvent<[Js, Js]>(jerry, 'messagerecall');
      await conversation.recall(regret);
      const [recall] = await recalled;
      assert.equal(recall.id, regret.id);
      assert.ok(recall instanceof lc.RecalledMessage);

      const history = await jerryConversation.queryMessages();
      assert.equal(history[0].text, 'typo');
      assert.ok(history[1] instanceof lc.RecalledMessage);

      // The SDKs refuse others' messages locally; a bare {id, timestamp} reaches the server, which refuses too.
      await assert.rejects(jerryConversation.recall({ id: typo.id, timestamp: typo.timestamp }), (error: Js) => error.code === 4403);
    });
  });
}
