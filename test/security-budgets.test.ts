/**
 * Issue 16, items 3 and 7: what others can make the server send a client
 * (login pushes, history pages) never cuts that client off, and slow
 * clients together cannot hold more than the server-wide send budget.
 * Each attack runs with a bystander pair chatting beside it.
 */
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CommandType, OpType, type DecodedCommand } from '../src/protocol/codec.js';
import { describeBystander, startBystander } from './helpers/bystander.js';
import { v3, v4, type OfficialConversation, type OfficialRealtime, type OfficialSdk } from './helpers/official-sdk.js';
import { rawEnvironment } from './helpers/raw-env.js';
import { RawClient } from './helpers/raw-client.js';
import { TEST_APP, startTestServer, type TestServer } from './helpers/server.js';
import { Realtime, TextMessage, type Conversation } from '../src/sdk/index.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A text message of about 62 KB, just under the 64 KB frame limit, labelled to be recognised. */
function bigText(label: string): string {
  return JSON.stringify({ _lctype: -1, _lctext: `${label}|${'x'.repeat(62 * 1024 - label.length)}` });
}
const labelOf = (data: string | null | undefined) => (JSON.parse(data ?? '{}') as { _lctext?: string })._lctext?.split('|')[0];

async function start(client: RawClient, members: string[]): Promise<string> {
  const reply = await client.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: members } });
  assert.ok(reply.convMessage?.cid, `conv start refused: ${reply.errorMessage?.reason}`);
  return reply.convMessage.cid;
}

async function send(client: RawClient, cid: string, msg: string): Promise<DecodedCommand> {
  const ack = await client.request({ cmd: CommandType.direct, directMessage: { cid, msg } }, 30_000);
  assert.equal(ack.cmd, CommandType.ack, `send refused: ${ack.errorMessage?.reason}`);
  return ack;
}

// The time bound of one conversation query (maxQueryMs, 50 ms by default)
// is wall time, and is tested in security-query.test.ts. Here what others
// filled is what is tested: queries over 140 conversations with their 62 KB
// last messages (the raw query below; the official SDKs' own, after their
// unread counts). On a loaded machine such a query takes more than 50 ms of
// wall time and was refused (CONVERSATION_QUERY_FAILED "the query runs
// longer than 50 ms"), so it may take as long as the test waits for a reply.
const env = rawEnvironment({ maxQueryMs: 30_000 });
const opened: OfficialRealtime[] = [];
const ours: Realtime[] = [];
after(async () => {
  for (const realtime of opened) (realtime as unknown as { _close(): void })._close();
  await Promise.allSettled(ours.map((realtime) => realtime.close()));
});
function ourRealtime(): Realtime {
  const realtime = new Realtime({ appId: TEST_APP.appId, appKey: TEST_APP.appKey, server: env.server.wsUrl });
  ours.push(realtime);
  return realtime;
}

describe('item 3: a login push others filled is paged, never cut off', () => {
  const CONVERSATIONS = 140;
  const victims = { '3.5.7': 'lockout-victim-v3', '4.3.1': 'lockout-victim-v4', offline: 'lockout-victim-offline', ours: 'lockout-victim-ours', query: 'lockout-victim-query' };
  const cids: string[] = [];
  before(async () => {
    // Anyone may add anyone: 140 conversations, one 62 KB message each (8.7 MB in all). The
    // per-client create quota (60 a minute) only makes the attacker use three client ids.
    const attackers = await Promise.all([0, 1, 2].map((n) => env.login(`lockout-attacker-${n}`)));
    for (let n = 0; n < CONVERSATIONS; n++) {
      const attacker = attackers[n % attackers.length]!;
      const cid = await start(attacker, Object.values(victims));
      await send(attacker, cid, bigText(`lockout ${n}`));
      cids.push(cid);
    }
  });

  for (const sdk of [v3, v4] as OfficialSdk[]) {
    test(`official SDK ${sdk.version}: the victim logs in, stays connected, sees every unread count and reads its history`, async (t) => {
      const by = await startBystander(env.server.wsUrl, `unread-${sdk.version}`);
      const realtime = sdk.realtime({ appId: TEST_APP.appId, appKey: TEST_APP.appKey, wsUrl: env.server.wsUrl });
      opened.push(realtime);
      let disconnected = 0;
      realtime.on('disconnect', () => (disconnected += 1));
      const client = await realtime.createIMClient(victims[sdk.version]);
      const unread = new Map<string, OfficialConversation & { unreadMessagesCount: number; lastMessage?: { text?: string; id: string } }>();
      client.on('unreadmessagescountupdate', ((conversations: (OfficialConversation & { unreadMessagesCount: number })[]) => {
        for (const conversation of conversations) unread.set(conversation.id, conversation);
      }) as never);
      const deadline = Date.now() + 30_000;
      while (unread.size < CONVERSATIONS && Date.now() < deadline && disconnected === 0) await delay(50);

      assert.equal(disconnected, 0, 'the victim was never cut off');
      assert.equal(unread.size, CONVERSATIONS, 'an unread count for every conversation');
      for (const conversation of unread.values()) {
        assert.equal(conversation.unreadMessagesCount, 1);
        // Too large to preview: no lastMessage from the unread list, never a broken one.
        const last = conversation.lastMessage;
        if (last) assert.match(last.text ?? '', /^lockout \d+\|x+$/, 'a lastMessage, if any, is the real one');
      }
      const conversation = await client.getConversation(cids[7]!);
      const [message] = await conversation.queryMessages({ limit: 1 });
      assert.equal(message!.text!.split('|')[0], 'lockout 7', 'history has the real message');
      const own = await client.createConversation({ members: [`friend-of-${victims[sdk.version]}`] });
      const echo = await own.send(new sdk.TextMessage('still here'));
      assert.ok(echo.id);
      assert.equal(disconnected, 0);
      const report = await by.stop();
      t.diagnostic(describeBystander(`unread-${sdk.version}`, report));
    });
  }

  test('our SDK: the victim logs in, stays connected, sees every unread count and reads its history', async (t) => {
    const by = await startBystander(env.server.wsUrl, 'unread-ours');
    const realtime = ourRealtime();
    let disconnected = 0;
    realtime.on('disconnect', () => (disconnected += 1));
    const client = await realtime.createIMClient(victims.ours);
    const unread = new Map<string, Conversation>();
    client.on('unreadmessagescountupdate', (conversations) => {
      for (const conversation of conversations) unread.set(conversation.id, conversation);
    });
    const deadline = Date.now() + 30_000;
    while (unread.size < CONVERSATIONS && Date.now() < deadline && disconnected === 0) await delay(50);
    assert.equal(disconnected, 0, 'the victim was never cut off');
    assert.equal(unread.size, CONVERSATIONS, 'an unread count for every conversation');
    for (const conversation of unread.values()) {
      assert.equal(conversation.unreadMessagesCount, 1);
      const last = conversation.lastMessage;
      if (last) assert.match((last as TextMessage).text ?? '', /^lockout \d+\|x+$/, 'a lastMessage, if any, is the real one');
    }
    const conversation = (await client.getConversation(cids[7]!))!;
    const [message] = await conversation.queryMessages({ limit: 1 });
    assert.equal(((message as TextMessage).text ?? '').split('|')[0], 'lockout 7', 'history has the real message');
    const own = await client.createConversation({ members: ['friend-of-ours'] });
    assert.ok((await own.send(new TextMessage('still here'))).id);
    assert.equal(disconnected, 0);
    t.diagnostic(describeBystander('unread-ours', await by.stop()));
  });

  test('raw protocol: a conversation query with last messages, larger than the socket budget, is answered and the socket stays open', async (t) => {
    const by = await startBystander(env.server.wsUrl, 'query');
    const victim = await env.login(victims.query);
    const reply = await victim.request(
      {
        cmd: CommandType.conv,
        op: OpType.query,
        convMessage: { where: { data: JSON.stringify({ m: victims.query }) }, limit: 1000, flag: 2 },
      },
      30_000,
    );
    assert.equal(reply.cmd, CommandType.conv, `query refused: ${reply.errorMessage?.reason}: ${reply.errorMessage?.detail}`);
    const results = JSON.parse(reply.convMessage?.results?.data ?? '[]') as { objectId: string }[];
    assert.equal(results.length, CONVERSATIONS, 'every conversation of the victim, with its 62 KB last message');
    assert.equal((await victim.request({ cmd: CommandType.echo })).cmd, CommandType.echo, 'the socket is still open');
    t.diagnostic(describeBystander('query', await by.stop()));
  });

  test('subprotocol .1: the offline messages come in pages, every one of them, and the socket stays open', async (t) => {
    const by = await startBystander(env.server.wsUrl, 'offline');
    const victim = await env.connect('lc.protobuf2.1');
    const got = new Set<string>();
    victim.onPush = (command) => {
      if (command.cmd !== CommandType.direct || !command.directMessage?.offline) return false;
      got.add(labelOf(command.directMessage.msg)!);
      return true;
    };
    await victim.login(TEST_APP.appId, victims.offline);
    const deadline = Date.now() + 30_000;
    while (got.size < CONVERSATIONS && Date.now() < deadline) await delay(50);
    assert.equal(got.size, CONVERSATIONS, 'every offline message arrived');
    const echo = await victim.request({ cmd: CommandType.echo });
    assert.equal(echo.cmd, CommandType.echo, 'the socket is still open');
    t.diagnostic(describeBystander('offline', await by.stop()));
  });
});

describe('item 3: a history page is capped in bytes and the history can still be walked', () => {
  const MESSAGES = 200; // 12.4 MB, more than a socket's 8 MiB budget
  const victimId = 'logs-victim';
  let cid = '';
  const sentIds: string[] = [];
  before(async () => {
    const attacker = await env.login('logs-attacker');
    cid = await start(attacker, [victimId, 'logs-v3', 'logs-v4', 'logs-ours']);
    for (let n = 0; n < MESSAGES; n++) sentIds.push((await send(attacker, cid, bigText(`log ${n}`))).ackMessage!.uid!);
  });

  test('raw protocol: l:1000 returns fewer messages than asked, the socket stays open, paging by the oldest returned walks everything', async (t) => {
    const by = await startBystander(env.server.wsUrl, 'logs');
    const victim = await env.login(victimId);
    const walked: string[] = [];
    let before: { t: number; mid: string } | undefined;
    let pages = 0;
    for (;;) {
      const reply = await victim.request({ cmd: CommandType.logs, logsMessage: { cid, l: 1000, ...(before ?? {}) } }, 30_000);
      assert.equal(reply.cmd, CommandType.logs, `logs refused: ${reply.errorMessage?.reason}`);
      const logs = reply.logsMessage?.logs ?? [];
      if (logs.length === 0) break;
      pages += 1;
      if (pages === 1) assert.ok(logs.length < MESSAGES, `a short first page (${logs.length})`);
      walked.unshift(...logs.map((item) => item.msgId!));
      before = { t: Number(logs[0]!.timestamp), mid: logs[0]!.msgId! };
    }
    assert.ok(pages >= 2);
    assert.deepEqual(walked, sentIds, 'every message once, in order');
    t.diagnostic(describeBystander('logs', await by.stop()));
  });

  for (const sdk of [v3, v4] as OfficialSdk[]) {
    test(`official SDK ${sdk.version}: the messages iterator (limit 100, LeanCloud's largest page) walks the whole history`, async (t) => {
      const by = await startBystander(env.server.wsUrl, `iterator-${sdk.version}`);
      const realtime = sdk.realtime({ appId: TEST_APP.appId, appKey: TEST_APP.appKey, wsUrl: env.server.wsUrl });
      opened.push(realtime);
      let disconnected = 0;
      realtime.on('disconnect', () => (disconnected += 1));
      const client = await realtime.createIMClient(sdk.version === '3.5.7' ? 'logs-v3' : 'logs-v4');
      const conversation = await client.getConversation(cid);
      const iterator = conversation.createMessagesIterator({ limit: 100 });
      const walked: string[] = [];
      for (;;) {
        const { value, done } = await iterator.next();
        walked.unshift(...value.map((message) => message.id));
        if (done) break;
      }
      assert.deepEqual(walked, sentIds);
      assert.equal(disconnected, 0);
      t.diagnostic(describeBystander(`iterator-${sdk.version}`, await by.stop()));
    });
  }

  test('our SDK: the messages iterator with limit 1000 walks the whole history, though the server sends shorter pages', async () => {
    const realtime = ourRealtime();
    const client = await realtime.createIMClient('logs-ours');
    const conversation = (await client.getConversation(cid))!;
    const walked: string[] = [];
    let pages = 0;
    for await (const page of conversation.createMessagesIterator({ limit: 1000 })) {
      pages += 1;
      walked.unshift(...page.map((message) => message.id!));
    }
    assert.ok(pages >= 2, `the 12 MB history came in ${pages} pages`);
    assert.deepEqual(walked, sentIds);
  });

  test('our SDK: the messages iterator (limit 100) walks the whole history', async (t) => {
    const by = await startBystander(env.server.wsUrl, 'iterator-ours');
    const realtime = ourRealtime();
    let disconnected = 0;
    realtime.on('disconnect', () => (disconnected += 1));
    const client = await realtime.createIMClient('logs-ours');
    const conversation = (await client.getConversation(cid))!;
    const walked: string[] = [];
    for await (const page of conversation.createMessagesIterator({ limit: 100 })) walked.unshift(...page.map((message) => message.id!));
    assert.deepEqual(walked, sentIds);
    assert.equal(disconnected, 0);
    t.diagnostic(describeBystander('iterator-ours', await by.stop()));
  });
});

describe('item 3: 200 patches of 62 KB missed while away come in pages at login', () => {
  test('raw protocol: the victim logs in with lastPatchTime, gets every patch and stays connected', async (t) => {
    const PATCHES = 200;
    const attacker = await env.login('patch-attacker');
    const victimId = 'patch-victim';
    const cid = await start(attacker, [victimId]);
    const since = Date.now() - 1;
    const acks: DecodedCommand[] = [];
    for (let n = 0; n < PATCHES; n++) acks.push(await send(attacker, cid, JSON.stringify({ _lctype: -1, _lctext: `short ${n}` })));
    for (const [n, ack] of acks.entries()) {
      const reply = await attacker.request({
        cmd: CommandType.patch,
        op: OpType.modify,
        patchMessage: { patches: [{ cid, mid: ack.ackMessage!.uid!, timestamp: ack.ackMessage!.t!, data: bigText(`patched ${n}`) }] },
      });
      assert.equal(reply.cmd, CommandType.patch, `patch refused: ${reply.errorMessage?.reason}`);
    }

    const by = await startBystander(env.server.wsUrl, 'patches');
    const victim = await env.connect();
    const patched = new Set<string>();
    let frames = 0;
    victim.onPush = (command) => {
      if (command.cmd !== CommandType.patch) return false;
      frames += 1;
      for (const item of command.patchMessage?.patches ?? []) patched.add(labelOf(item.data)!);
      return true;
    };
    await victim.login(TEST_APP.appId, victimId, { lastPatchTime: since });
    const deadline = Date.now() + 30_000;
    while (patched.size < PATCHES && Date.now() < deadline) await delay(50);
    assert.equal(patched.size, PATCHES, 'every patch arrived');
    assert.ok(frames >= 2, `in pages (${frames} frames)`);
    assert.equal((await victim.request({ cmd: CommandType.echo })).cmd, CommandType.echo, 'the socket is still open');
    t.diagnostic(describeBystander('patches', await by.stop()));
  });
});

describe('item 7: the server-wide send budget', () => {
  const TOTAL = 16 * 1024 * 1024;
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ maxTotalBufferedBytes: TOTAL, maxPendingReplies: 8 });
  });
  after(() => server.stop());

  test('50 never-reading members: the server never holds more than the budget, cuts them off and keeps nothing of them', async (t) => {
    const SLOW = 50;
    const sender = await RawClient.connect(server.wsUrl);
    await sender.login(TEST_APP.appId, 'flooder');
    const slowIds = Array.from({ length: SLOW }, (_, n) => `never-reads-${n}`);
    const slow: RawClient[] = [];
    for (const id of slowIds) {
      const client = await RawClient.connect(server.wsUrl);
      await client.login(TEST_APP.appId, id);
      slow.push(client);
    }
    const cid = await start(sender, slowIds);
    // Their processes stop reading their sockets: the kernel's buffers fill, then ours would.
    for (const client of slow) (client.ws as unknown as { _socket: Socket })._socket.pause();
    const by = await startBystander(server.wsUrl, 'budget');
    const base = server.server.stats();

    let maxPending = 0;
    const sampler = setInterval(() => (maxPending = Math.max(maxPending, server.server.stats().pendingBytes)), 2);
    let sent = 0;
    const deadline = Date.now() + 60_000;
    try {
      while (server.server.stats().sessions > base.sessions - SLOW && Date.now() < deadline) {
        await Promise.all(Array.from({ length: 4 }, () => send(sender, cid, bigText(`flood ${sent++}`))));
        maxPending = Math.max(maxPending, server.server.stats().pendingBytes);
      }
    } finally {
      clearInterval(sampler);
    }
    const report = await by.stop();
    t.diagnostic(`flood: ${sent} messages of 62 KB to ${SLOW} members; most pending at once ${maxPending} bytes of a ${TOTAL} budget`);
    t.diagnostic(describeBystander('budget', report));

    assert.ok(maxPending <= TOTAL, `at most ${TOTAL} bytes held for all sockets, saw ${maxPending}`);
    const stats = server.server.stats();
    assert.ok(stats.slowConsumersCut >= SLOW, `every never-reading member was cut off (${stats.slowConsumersCut})`);
    // The bystanders left too: only the flooder is still logged in.
    let settled = server.server.stats();
    for (const until = Date.now() + 5000; Date.now() < until && (settled.sessions !== 1 || settled.pendingBytes !== 0); await delay(20)) settled = server.server.stats();
    assert.equal(settled.sessions, 1, 'the sessions of the cut-off members are gone');
    assert.equal(settled.connections, 1);
    assert.equal(settled.pendingBytes, 0, 'nothing is held for anyone');
    assert.equal((await sender.request({ cmd: CommandType.echo })).cmd, CommandType.echo, 'the flooder is still served');
    for (const client of slow) client.ws.terminate();
    sender.close();
  });

  test('a client asking for large pages without reading is cut off once too many wait (they cost no send budget meanwhile)', async (t) => {
    const asker = await RawClient.connect(server.wsUrl);
    await asker.login(TEST_APP.appId, 'asks-without-reading');
    const cid = await start(asker, ['asked-about']);
    for (let n = 0; n < 20; n++) await send(asker, cid, bigText(`page ${n}`));
    const by = await startBystander(server.wsUrl, 'pending-replies');
    const { slowConsumersCut, sessions } = server.server.stats();
    (asker.ws as unknown as { _socket: Socket })._socket.pause();
    // 1.2 MB pages, asked for and never read.
    for (let n = 0; n < 200; n++) asker.send({ cmd: CommandType.logs, i: 1000 + n, logsMessage: { cid, l: 20 } });
    const deadline = Date.now() + 20_000;
    while (server.server.stats().slowConsumersCut === slowConsumersCut && Date.now() < deadline) await delay(20);
    assert.equal(server.server.stats().slowConsumersCut, slowConsumersCut + 1, 'the asker was cut off');
    while (server.server.stats().sessions !== sessions - 1 && Date.now() < deadline) await delay(20);
    assert.equal(server.server.stats().sessions, sessions - 1, 'and its session is gone');
    t.diagnostic(describeBystander('pending-replies', await by.stop()));
    asker.ws.terminate();
  });
});
