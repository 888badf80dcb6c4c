/**
 * Issue 4, membership events: what a client misses while offline (being
 * invited, kicked, others joining or leaving its conversations) is recorded
 * and, after an r:true re-open, pushed to it once, in order; v4 (which
 * fetches them over REST instead) is not pushed them, and gets them from
 * GET /1.1/rtm/notifications.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CommandType, OpType, has, type Command, type DecodedCommand, type ISessionCommand } from '../src/protocol/codec.js';
import { NoticeGate } from '../src/server/session/notice-gate.js';
import { openSqliteStore } from '../src/server/store/sqlite/sqlite-store.js';
import { rawEnvironment } from './helpers/raw-env.js';
import { RawClient } from './helpers/raw-client.js';
import { startTestServer, TEST_APP } from './helpers/server.js';

let run = 0;
const ids = (...names: string[]): string[] => {
  run += 1;
  return names.map((name) => `${name}-n${run}`);
};
const env = rawEnvironment();
/** v4.3.1 as it logs in: configBitmap 59 includes bit 4, reliable notifications. */
const V4 = { ua: 'js/4.3.1', configBitmap: 59 };
const V3 = { ua: 'js/3.5.7', configBitmap: 1 };

const conv = (op: OpType, convMessage: Record<string, unknown>): Command => ({ cmd: CommandType.conv, op, convMessage });
const isConvPush = (command: DecodedCommand): boolean => command.cmd === CommandType.conv;

async function create(owner: RawClient, members: string[]): Promise<string> {
  const reply = await owner.request(conv(OpType.start, { m: members }));
  assert.equal(reply.op, OpType.started, reply.errorMessage?.detail ?? '');
  return reply.convMessage!.cid!;
}

async function change(client: RawClient, op: OpType, cid: string, m: string[]): Promise<void> {
  const reply = await client.request(conv(op, { cid, m }));
  assert.notEqual(reply.cmd, CommandType.error, reply.errorMessage?.detail ?? '');
}

/** Logs in and returns the client with its session token. */
async function login(id: string, sessionMessage: ISessionCommand): Promise<{ client: RawClient; st: string }> {
  const client = await env.connect();
  const reply = await client.login(TEST_APP.appId, id, sessionMessage);
  return { client, st: reply.sessionMessage!.st! };
}

/** Closes the socket and waits until the server has logged `id` out. */
async function goOffline(client: RawClient, id: string, observer: RawClient): Promise<void> {
  client.close();
  await client.closed;
  const deadline = Date.now() + 5000;
  for (;;) {
    const reply = await observer.request({ cmd: CommandType.session, op: OpType.query, sessionMessage: { sessionPeerIds: [id] } });
    if ((reply.sessionMessage?.onlineSessionPeerIds ?? []).length === 0) return;
    if (Date.now() > deadline) throw new Error(`${id} still online`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every conv push that arrives within `ms`. */
async function convPushes(client: RawClient, ms = 400): Promise<DecodedCommand[]> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return client.drain().filter(isConvPush);
}

/** op, cid, initBy and m of conv pushes, comparable with deepEqual. */
const summary = (commands: DecodedCommand[]) =>
  commands.map((c) => ({ op: OpType[c.op!], cid: c.convMessage?.cid, initBy: c.convMessage?.initBy, m: c.convMessage?.m ?? [] }));

const serverTs = (command: DecodedCommand): number => Number(command.serverTs);

/**
 * Jerry is in B (to be kicked from) and C (Bob will join); Tom and Bob
 * stay online. Returns everyone with Jerry's first login.
 */
async function scene(jerrySession: ISessionCommand) {
  const [tomId, bobId, jerryId] = ids('Tom', 'Bob', 'Jerry') as [string, string, string];
  const tom = (await login(tomId, V3)).client;
  const bob = (await login(bobId, V3)).client;
  const jerry = await login(jerryId, jerrySession);
  const b = await create(tom, [jerryId]);
  const c = await create(tom, [jerryId]);
  // The events of B's and C's creation reach Jerry live: not to be replayed.
  assert.deepEqual(summary(await convPushes(jerry.client, 200)), [
    { op: 'joined', cid: b, initBy: tomId, m: [] },
    { op: 'joined', cid: c, initBy: tomId, m: [] },
  ]);
  return { tomId, bobId, jerryId, tom, bob, jerry, b, c };
}

/** While Jerry is offline: Tom invites him to a new conversation A and kicks him from B; Bob joins C. */
async function missedWhileOffline(s: Awaited<ReturnType<typeof scene>>) {
  const a = await create(s.tom, []);
  await change(s.tom, OpType.add, a, [s.jerryId]);
  await change(s.tom, OpType.remove, s.b, [s.jerryId]);
  await change(s.bob, OpType.add, s.c, [s.bobId]);
  const expected = [
    { op: 'joined', cid: a, initBy: s.tomId, m: [] },
    { op: 'members_joined', cid: a, initBy: s.tomId, m: [s.jerryId] },
    { op: 'left', cid: s.b, initBy: s.tomId, m: [] },
    { op: 'members_joined', cid: s.c, initBy: s.bobId, m: [s.bobId] },
  ];
  return { a, expected };
}

describe('membership events missed while offline', () => {
  test('v3-style client: the r:true re-open gets them once, in order; a fresh login and a second reconnect do not', async () => {
    const s = await scene(V3);
    await goOffline(s.jerry.client, s.jerryId, s.tom);
    const { a, expected } = await missedWhileOffline(s);

    // A fresh login (r:false) starts from now: nothing replayed.
    const fresh = await login(s.jerryId, V3);
    assert.deepEqual(summary(await convPushes(fresh.client)), [], 'a fresh login is not replayed anything');
    await goOffline(fresh.client, s.jerryId, s.tom);

    // The reconnect of the first login: exactly the four events, in order, once.
    const back = await login(s.jerryId, { ...V3, r: true, st: s.jerry.st });
    const replayed = await convPushes(back.client);
    assert.deepEqual(summary(replayed), expected);
    const times = replayed.map(serverTs);
    // The wall clock, so events of one millisecond share it; the replay's order is the log's (seq).
    assert.ok(times.every((ts, n) => n === 0 || ts >= times[n - 1]!), `serverTs never decreasing: ${times.join(', ')}`);
    assert.ok(replayed.every((c) => c.peerId === s.jerryId && !has(c, 'i')), 'pushes (no i), addressed to Jerry');

    // Live again: the next event arrives once.
    await change(s.tom, OpType.add, a, [s.bobId]);
    assert.deepEqual(summary(await convPushes(back.client)), [{ op: 'members_joined', cid: a, initBy: s.tomId, m: [s.bobId] }]);

    // Offline again, one more event; the second reconnect (with the token of
    // the second login) gets only that one, not the four again.
    await goOffline(back.client, s.jerryId, s.tom);
    await change(s.tom, OpType.remove, a, [s.bobId]);
    const again = await login(s.jerryId, { ...V3, r: true, st: back.st });
    assert.deepEqual(summary(await convPushes(again.client)), [{ op: 'members_left', cid: a, initBy: s.tomId, m: [s.bobId] }]);

    // …and a reconnect after nothing was missed gets nothing.
    await goOffline(again.client, s.jerryId, s.tom);
    const quiet = await login(s.jerryId, { ...V3, r: true, st: again.st });
    assert.deepEqual(summary(await convPushes(quiet.client)), []);
  });

  test('what was missed before a server restart is replayed after it: the log and the cursors are in the store', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-restart-'));
    const [tomId, jerryId] = ids('Tom', 'Jerry') as [string, string];
    const clients: RawClient[] = [];
    const connect = async (url: string, id: string, sessionMessage: ISessionCommand) => {
      const client = await RawClient.connect(url);
      clients.push(client);
      const reply = await client.login(TEST_APP.appId, id, sessionMessage);
      return { client, st: reply.sessionMessage!.st! };
    };
    try {
      let server = await startTestServer({ dataDir });
      const tom = await connect(server.wsUrl, tomId, V3);
      const jerry = await connect(server.wsUrl, jerryId, V3);
      await goOffline(jerry.client, jerryId, tom.client);
      const cid = await create(tom.client, [jerryId]);
      await server.stop();

      server = await startTestServer({ dataDir });
      try {
        const back = await connect(server.wsUrl, jerryId, { ...V3, r: true, st: jerry.st });
        assert.deepEqual(summary(await convPushes(back.client)), [{ op: 'joined', cid, initBy: tomId, m: [] }]);
      } finally {
        await server.stop();
      }
    } finally {
      for (const client of clients) client.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a device away longer than its token lives: the token gets 4112, and the re-open without it, naming the device, still gets what was missed', async () => {
    const server = await startTestServer({ sessionTokenTtlMs: 1000 });
    const [tomId, jerryId] = ids('Tom', 'Jerry') as [string, string];
    const clients: RawClient[] = [];
    const connect = async () => {
      const client = await RawClient.connect(server.wsUrl);
      clients.push(client);
      return client;
    };
    const open = (client: RawClient, sessionMessage: ISessionCommand) =>
      client.request({ cmd: CommandType.session, op: OpType.open, appId: TEST_APP.appId, peerId: jerryId, sessionMessage: { ...V3, ...sessionMessage } });
    try {
      const tom = await connect();
      await tom.login(TEST_APP.appId, tomId, V3);
      const jerry = await connect();
      const st = (await jerry.login(TEST_APP.appId, jerryId, { ...V3, deviceId: 'jerry-phone' })).sessionMessage!.st!;
      await goOffline(jerry, jerryId, tom);
      const cid = await create(tom, [jerryId]);
      // Expiry is counted in whole seconds.
      await new Promise((resolve) => setTimeout(resolve, 2100));

      // Another device of Jerry's re-opening without a token has nothing of the phone's to continue.
      const laptop = await connect();
      assert.equal((await open(laptop, { r: true, deviceId: 'jerry-laptop' })).op, OpType.opened);
      assert.deepEqual(summary(await convPushes(laptop)), []);
      await goOffline(laptop, jerryId, tom);

      // The phone, as 3.5.7 and our SDK come back: the expired token is refused, then a re-open with the device.
      const phone = await connect();
      const refused = await open(phone, { r: true, st });
      assert.equal(refused.cmd, CommandType.error);
      assert.equal(refused.errorMessage?.code, 4112);
      assert.equal((await open(phone, { r: true, deviceId: 'jerry-phone' })).op, OpType.opened);
      assert.deepEqual(summary(await convPushes(phone)), [{ op: 'joined', cid, initBy: tomId, m: [] }]);
    } finally {
      for (const client of clients) client.close();
      await server.stop();
    }
  });

  test('live pushes of membership events carry the serverTs they are recorded with', async () => {
    const [tomId, jerryId] = ids('Tom', 'Jerry') as [string, string];
    const tom = (await login(tomId, V3)).client;
    const jerry = await login(jerryId, V3);
    const before = Date.now();
    const cid = await create(tom, [jerryId]);
    const [live] = await convPushes(jerry.client, 200);
    assert.equal(live?.op, OpType.joined);
    assert.ok(serverTs(live!) >= before, 'set, and a time');
    const stored = await env.server.server.store.notificationsSince(TEST_APP.appId, jerryId, 0, 10);
    assert.deepEqual(stored.map((n) => [n.op, n.cid, n.serverTs]), [['joined', cid, serverTs(live!)]]);
  });

  test('v4 (reliable-notification bit) is not pushed them, and fetches them from GET /1.1/rtm/notifications', async () => {
    const s = await scene(V4);
    await goOffline(s.jerry.client, s.jerryId, s.tom);
    const startTs = Date.now() - 1;
    const { expected } = await missedWhileOffline(s);

    const back = await login(s.jerryId, { ...V4, r: true, st: s.jerry.st });
    assert.deepEqual(summary(await convPushes(back.client)), [], 'no pushes: v4 would raise each event twice');

    const all = await fetchNotifications({ client_id: s.jerryId, start_ts: String(startTs), notification_type: 'permanent' }, back.st);
    assert.equal(all.status, 200);
    const body = all.body as { notifications: Record<string, unknown>[]; hasMore: boolean };
    assert.equal(body.hasMore, false);
    assert.deepEqual(
      body.notifications.map(({ cmd, op, cid, initBy, m }) => ({ cmd, op, cid, initBy, m: m ?? [] })),
      expected.map((event) => ({ cmd: 'conv', ...event })),
    );
    for (const item of body.notifications) {
      assert.deepEqual(Object.keys(item).sort(), ['cid', 'cmd', 'initBy', 'op', 'serverTs', ...('m' in item ? ['m'] : [])].sort());
    }

    // Paging as v4 does: again from the last serverTs it got, while hasMore.
    const pages: unknown[][] = [];
    let from = startTs;
    for (;;) {
      const page = await fetchNotifications({ client_id: s.jerryId, start_ts: String(from), limit: '3' }, back.st);
      const { notifications, hasMore } = page.body as { notifications: { serverTs: number }[]; hasMore: boolean };
      pages.push(notifications);
      if (!hasMore) break;
      from = notifications.at(-1)!.serverTs;
    }
    // Events of one millisecond share a serverTs, so a page ends at a millisecond boundary: up to 3 here.
    assert.ok(pages.every((page) => page.length <= 3), `page sizes ${pages.map((page) => page.length).join(', ')}`);
    assert.deepEqual(pages.flat(), body.notifications, 'every event once, in order');

    // Nothing after the newest.
    const last = body.notifications.at(-1)!.serverTs as number;
    assert.deepEqual((await fetchNotifications({ client_id: s.jerryId, start_ts: String(last) }, back.st)).body, { notifications: [], hasMore: false });
  });

  test('GET /1.1/rtm/notifications refuses bad input with {code, error} and keeps serving', async () => {
    const [jerryId, tomId] = ids('Jerry', 'Tom') as [string, string];
    const { st } = await login(jerryId, V4);
    const tomToken = (await login(tomId, V4)).st;
    const good = { client_id: jerryId, start_ts: '0' };
    const cases: [string, Record<string, string>, Record<string, string> | undefined, number, number, RegExp][] = [
      ['no client_id', { start_ts: '0' }, undefined, 400, 400, /client_id is required/],
      ['client_id too long', { ...good, client_id: 'x'.repeat(65) }, undefined, 400, 400, /client_id must be/],
      ['no start_ts', { client_id: jerryId }, undefined, 400, 400, /start_ts is required/],
      ['start_ts not a number', { ...good, start_ts: 'yesterday' }, undefined, 400, 400, /start_ts must be an integer/],
      ['start_ts negative', { ...good, start_ts: '-1' }, undefined, 400, 400, /start_ts must be an integer/],
      ['start_ts fractional', { ...good, start_ts: '1.5' }, undefined, 400, 400, /start_ts must be an integer/],
      ['start_ts huge', { ...good, start_ts: '99999999999999999999' }, undefined, 400, 400, /start_ts must be an integer/],
      ['limit 0', { ...good, limit: '0' }, undefined, 400, 400, /limit must be an integer in 1\.\.500/],
      ['limit too big', { ...good, limit: '501' }, undefined, 400, 400, /limit must be an integer in 1\.\.500/],
      ['other notification_type', { ...good, notification_type: 'transient' }, undefined, 400, 400, /notification_type must be permanent/],
      ['unknown parameter', { ...good, where: '{}' }, undefined, 400, 400, /unknown parameter "where"/],
      ['no app', good, { 'X-LC-Id': 'nope' }, 401, 401, /X-LC-Id must name an app/],
      ['wrong app key', good, { 'X-LC-Key': 'wrong' }, 401, 401, /X-LC-Key must be the app key/],
      ['no session token', good, { 'X-LC-IM-Session-Token': '' }, 401, 4105, /X-LC-IM-Session-Token is required/],
      ['forged session token', good, { 'X-LC-IM-Session-Token': 'a.b.c.d' }, 401, 4112, /not a valid, unexpired token/],
      ['another client’s session token', good, { 'X-LC-IM-Session-Token': tomToken }, 401, 4112, /not a valid, unexpired token of/],
    ];
    for (const [what, query, headers, status, code, error] of cases) {
      const response = await fetchNotifications(query, st, headers);
      assert.equal(response.status, status, what);
      const body = response.body as { code: number; error: string };
      assert.equal(body.code, code, what);
      assert.match(body.error, error, what);
    }
    const repeated = await fetch(`${env.server.httpUrl}/1.1/rtm/notifications?client_id=${jerryId}&start_ts=0&start_ts=1`, { headers: authHeaders(st) });
    assert.equal(repeated.status, 400);
    assert.match(((await repeated.json()) as { error: string }).error, /start_ts must be given once/);

    const fine = await fetchNotifications(good, st);
    assert.equal(fine.status, 200, 'still serving');
    assert.deepEqual(fine.body, { notifications: [], hasMore: false });
  });
});

describe('a session’s notice gate', () => {
  const bytes = (n: number) => new Uint8Array([n]);

  test('live events arriving during a replay wait for it, and those it sent are not sent again', () => {
    const gate = NoticeGate.replaying(100);
    assert.equal(gate.replayFrom, 100);
    // Published while the replay runs: 105 was read by the replay, 120 and 130 were not.
    assert.equal(gate.admit(105, bytes(105)), false);
    assert.equal(gate.admit(120, bytes(120)), false);
    gate.replayed(103);
    gate.replayed(105);
    assert.equal(gate.replayFrom, 100, 'still where the replay started');
    assert.equal(gate.admit(130, bytes(130)), false);
    assert.deepEqual(gate.endReplay(), [bytes(120), bytes(130)], 'held ones after the replay, in order, without 105');
    assert.equal(gate.replayFrom, undefined);
    assert.equal(gate.admit(105, bytes(105)), false, 'a late duplicate of a replayed event');
    assert.equal(gate.admit(140, bytes(140)), true);
    assert.equal(gate.cursor, 140);
  });

  test('a live session sends everything and remembers how far it got', () => {
    const gate = NoticeGate.live(true);
    assert.equal(gate.replayFrom, undefined);
    gate.cover(50);
    assert.equal(gate.cursor, 50, 'what was recorded before the login is not for a later reconnect');
    assert.equal(gate.admit(40, bytes(40)), true, 'a late publish of an older event still goes out');
    assert.equal(gate.admit(60, bytes(60)), true);
    assert.equal(gate.cursor, 60);
    assert.equal(NoticeGate.live(false).keepsCursor, false);
  });
});

describe('the notification log in the store', () => {
  test('seq strictly increases, serverTs is the wall clock (shared within a millisecond); pruning drops old events and cursors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-chat-notifications-'));
    const store = openSqliteStore({ file: join(dir, 'chat.sqlite') });
    try {
      const stamps: { seq: number; serverTs: number }[] = [];
      for (let n = 0; n < 50; n += 1) {
        const before = Date.now();
        const { seq, serverTs } = await store.recordNotification('app', ['a', 'b', 'a'], { op: 'members_joined', cid: `c${n}`, initBy: 'x', members: ['y'] });
        assert.ok(serverTs >= before && serverTs <= Date.now(), 'the wall clock, not ahead of it');
        stamps.push({ seq, serverTs });
      }
      assert.ok(stamps.every((s, n) => n === 0 || (s.seq > stamps[n - 1]!.seq && s.serverTs >= stamps[n - 1]!.serverTs)), 'seq increasing, serverTs never decreasing');
      const seqs = stamps.map((s) => s.seq);
      assert.equal(await store.latestNotificationSeq(), seqs.at(-1));
      const forA = await store.notificationsSince('app', 'a', 0, 1000);
      assert.equal(forA.length, 50, 'a recipient named twice gets the event once');
      assert.deepEqual(forA[0], { ...stamps[0], op: 'members_joined', cid: 'c0', initBy: 'x', members: ['y'] });
      assert.deepEqual((await store.notificationsSince('app', 'b', seqs[47]!, 10)).map((n) => n.cid), ['c48', 'c49']);
      assert.deepEqual(await store.notificationsSince('other-app', 'a', 0, 10), []);
      await assert.rejects(store.notificationsSince('app', 'a', 0, 0), RangeError);

      await store.saveNotificationCursor('app', 'a', 'login-1', seqs[10]!);
      await store.saveNotificationCursor('app', 'a', 'login-1', seqs[5]!);
      assert.equal(await store.notificationCursor('app', 'a', 'login-1'), seqs[10], 'a cursor never moves back');
      assert.equal(await store.notificationCursor('app', 'a', 'login-2'), undefined);

      // Pruning is by age: everything recorded before the 26th event's millisecond.
      const cutoff = stamps[25]!.serverTs;
      const older = stamps.filter((s) => s.serverTs < cutoff).length;
      assert.equal(await store.pruneNotifications(cutoff), older);
      assert.equal((await store.notificationsSince('app', 'a', 0, 1000))[0]?.cid, `c${older}`);
      await store.pruneNotifications(Date.now() + 60_000);
      assert.equal(await store.notificationCursor('app', 'a', 'login-1'), undefined, 'cursors are pruned by when they were saved');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function authHeaders(st: string): Record<string, string> {
  return { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': TEST_APP.appKey, 'X-LC-IM-Session-Token': st };
}

async function fetchNotifications(query: Record<string, string>, st: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const url = `${env.server.httpUrl}/1.1/rtm/notifications?${new URLSearchParams(query)}`;
  const merged = Object.fromEntries(Object.entries({ ...authHeaders(st), ...headers }).filter(([, value]) => value !== ''));
  const response = await fetch(url, { headers: merged });
  return { status: response.status, body: await response.json() };
}
