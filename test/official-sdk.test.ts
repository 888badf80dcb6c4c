/**
 * Acceptance 2: the guide's 单聊, 群聊 and 聊天记录 flows with the official
 * SDKs from npm (3.5.7 and 4.3.1), in binary and noBinary mode, against a
 * real server on loopback.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { collect, nextEvent, v3, v4, type OfficialClient, type OfficialConversation, type OfficialMessage, type OfficialRealtime, type OfficialSdk } from './helpers/official-sdk.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { within } from './helpers/wait.js';
import { Realtime, TextMessage, type Message } from '../src/sdk/index.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

const opened: OfficialRealtime[] = [];
after(() => {
  for (const realtime of opened) (realtime as unknown as { _close(): void })._close();
});

async function login(sdk: OfficialSdk, id: string, noBinary: boolean): Promise<OfficialClient> {
  // One Realtime (one socket) per user, like separate devices.
  const realtime = sdk.realtime({ appId: server.appId, appKey: server.appKey, wsUrl: server.wsUrl, noBinary });
  opened.push(realtime);
  return realtime.createIMClient(id);
}

for (const sdk of [v3, v4]) {
  for (const noBinary of [false, true]) {
    const mode = noBinary ? 'noBinary' : 'binary';
    // Client ids are per variant so the variants do not see each other's conversations.
    const name = (who: string) => `${who}-${sdk.version}-${mode}`;

    describe(`official SDK ${sdk.version}, ${mode}`, () => {
      test('单聊: Tom sends to Jerry, who gets it on the client and on the conversation', async () => {
        const jerry = await login(sdk, name('Jerry'), noBinary);
        const tom = await login(sdk, name('Tom'), noBinary);
        const onClient = nextEvent<[OfficialMessage, OfficialConversation]>(jerry, 'message');

        const conversation = await tom.createConversation({ members: [name('Jerry')], name: 'Tom & Jerry' });
        assert.match(conversation.id, /^[0-9a-f]{24}$/);
        assert.deepEqual([...conversation.members].sort(), [name('Jerry'), name('Tom')].sort());
        const sent = await conversation.send(new sdk.TextMessage('耗子,起床!'));
        assert.ok(sent.id, 'the ack carries the message id');
        assert.ok(sent.timestamp instanceof Date && sent.timestamp.getTime() > Date.now() - 60_000, `the server's timestamp, within the last minute: ${String(sent.timestamp)}`);

        const [message, jerryConversation] = await onClient;
        assert.equal(message.text, '耗子,起床!');
        assert.equal(message.from, name('Tom'));
        assert.equal(message.id, sent.id);
        assert.equal(message.timestamp.getTime(), sent.timestamp.getTime());
        assert.equal(jerryConversation.id, conversation.id);
        assert.equal(jerryConversation.name, 'Tom & Jerry');

        const onConversation = nextEvent<[OfficialMessage]>(jerryConversation, 'message');
        await conversation.send(new sdk.TextMessage('第二条'));
        const [second] = await onConversation;
        assert.equal(second.text, '第二条');

        const history = await conversation.queryMessages({ limit: 10 });
        assert.deepEqual(history.map((m) => m.text), ['耗子,起床!', '第二条']);
        assert.equal(await conversation.count(), 2);
        assert.deepEqual(await tom.ping([name('Jerry'), 'nobody-online']), [name('Jerry')]);
        await Promise.all([tom.close(), jerry.close()]);
      });

      test('群聊: every member receives, and a reply reaches the others', async () => {
        const friends = ['Jerry', 'Bob', 'Harry', 'William'].map(name);
        const [tom, ...members] = await Promise.all([name('Tom'), ...friends].map((id) => login(sdk, id, noBinary)));
        const bob = members[1]!;
        const william = members[3]!;
        const received = members.map((member) => nextEvent<[OfficialMessage, OfficialConversation]>(member, 'message'));
        // Bob answers in his message handler, as in the guide.
        bob.on('message', ((message: OfficialMessage, conversation: OfficialConversation) => {
          if (message.from === name('Tom')) void conversation.send(new sdk.TextMessage('Tom,我在 Jerry 家'));
        }) as (...args: never[]) => void);
        const tomGetsReply = nextEvent<[OfficialMessage]>(tom, 'message');
        const williamMessages = collect<OfficialMessage>(william, 'message', 2);

        const conversation = await tom.createConversation({ members: friends, name: 'Tom & Jerry & friends' });
        await conversation.send(new sdk.TextMessage('你们在哪儿?'));
        for (const [message] of await Promise.all(received)) {
          assert.equal(message.text, '你们在哪儿?');
          assert.equal(message.cid, conversation.id);
        }
        const [reply] = await tomGetsReply;
        assert.equal(reply.from, name('Bob'));
        assert.deepEqual((await williamMessages).map((m) => m.text), ['你们在哪儿?', 'Tom,我在 Jerry 家']);
        await Promise.all([tom, ...members].map((client) => client.close()));
      });

      test('聊天记录: newest page first, then an iterator walks back page by page', async () => {
        const tom = await login(sdk, name('Tom'), noBinary);
        const conversation = await tom.createConversation({ members: [name('Jerry')], name: 'history' });
        const sent: OfficialMessage[] = [];
        for (let n = 1; n <= 21; n++) sent.push(await conversation.send(new sdk.TextMessage(`m${n}`)));

        const newest = await conversation.queryMessages({ limit: 10 });
        assert.deepEqual(newest.map((m) => m.id), sent.slice(11).map((m) => m.id));

        const iterator = conversation.createMessagesIterator({ limit: 10 });
        const pages: string[][] = [];
        for (;;) {
          const page = await iterator.next();
          if (page.value.length) pages.push(page.value.map((m) => m.text!));
          if (page.done) break;
        }
        const texts = sent.map((m) => m.text!);
        assert.deepEqual(pages, [texts.slice(11), texts.slice(1, 11), texts.slice(0, 1)]);
        await tom.close();
      });
    });
  }
}

test('the two official SDKs, binary and base64, talk to each other', async () => {
  const alice = await login(v3, 'mixed-alice', false);
  const bob = await login(v4, 'mixed-bob', true);
  const bobGets = nextEvent<[OfficialMessage]>(bob, 'message');
  const conversation = await alice.createConversation({ members: ['mixed-bob'] });
  await conversation.send(new v3.TextMessage('from 3.5.7 in binary'));
  const [message] = await bobGets;
  assert.equal(message.text, 'from 3.5.7 in binary');

  const aliceGets = nextEvent<[OfficialMessage]>(alice, 'message');
  const bobConversation = await bob.getConversation(conversation.id);
  await bobConversation.send(new v4.TextMessage('from 4.3.1 in base64'));
  assert.equal((await aliceGets)[0].text, 'from 4.3.1 in base64');
  await Promise.all([alice.close(), bob.close()]);
});

for (const sdk of [v3, v4]) {
  test(`our SDK and the official ${sdk.version} chat in one conversation, both ways`, async () => {
    const ours = new Realtime({ appId: server.appId, appKey: server.appKey, server: server.wsUrl });
    try {
      const tom = await ours.createIMClient(`ours-tom-${sdk.version}`);
      const jerry = await login(sdk, `official-jerry-${sdk.version}`, false);
      const jerryGets = nextEvent<[OfficialMessage, OfficialConversation]>(jerry, 'message');
      const conversation = await tom.createConversation({ members: [`official-jerry-${sdk.version}`], name: 'mixed' });
      const sent = await conversation.send(new TextMessage('from lc-chat'));
      const [received, theirConversation] = await jerryGets;
      assert.equal(received.text, 'from lc-chat');
      assert.equal(received.id, sent.id);
      assert.equal(theirConversation.name, 'mixed');

      const tomGets = within(new Promise<Message>((resolve) => tom.on('message', (message) => resolve(message))), "tom's reply");
      await theirConversation.send(new sdk.TextMessage(`from ${sdk.version}`));
      const reply = await tomGets;
      assert.ok(reply instanceof TextMessage, 'reply is a TextMessage');
      assert.equal(reply.text, `from ${sdk.version}`);
      assert.equal(reply.from, `official-jerry-${sdk.version}`);
      await jerry.close();
    } finally {
      await ours.close();
    }
  });
}
