/**
 * Issue 15: the server-side REST API (master key only) against a real
 * server on loopback, with raw protocol clients receiving what it pushes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandType, OpType, type DecodedCommand } from '../src/protocol/codec.js';
import { errorCode } from '../src/protocol/errors.js';
import { rawEnvironment } from './helpers/raw-env.js';
import { TEST_APP } from './helpers/server.js';

const OTHER_APP = { appId: 'other-app-id', appKey: 'other-app-key', masterKey: 'other-master-key' };
const env = rawEnvironment({ apps: [TEST_APP, OTHER_APP], maxPayload: 8 * 1024, maxReplyBytes: 8 * 1024 + 1024, maxAttributeBytes: 4096 });
const MASTER = { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': `${TEST_APP.masterKey},master` };

interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON answers, asserted field by field
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = MASTER): Promise<Answer> {
  const response = await fetch(`${env.server.httpUrl}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

const text = (value: string) => JSON.stringify({ _lctype: -1, _lctext: value });
const isPush = (cmd: CommandType, op?: OpType) => (command: DecodedCommand) => command.cmd === cmd && (op === undefined || command.op === op);

test('only the master key of the app named in X-LC-Id is accepted', async () => {
  const create = { m: ['auth-a'] };
  const refusals: Record<string, string>[] = [
    {},
    { 'X-LC-Id': TEST_APP.appId },
    { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': TEST_APP.appKey },
    { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': `${TEST_APP.appKey},master` },
    { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': TEST_APP.masterKey },
    { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': `${TEST_APP.masterKey}x,master` },
    { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': `${OTHER_APP.masterKey},master` },
    { 'X-LC-Id': 'no-such-app', 'X-LC-Key': `${TEST_APP.masterKey},master` },
  ];
  for (const headers of refusals) {
    const answer = await call('POST', '/1.2/rtm/conversations', create, headers);
    assert.equal(answer.status, 401, JSON.stringify(headers));
    assert.equal(answer.body.code, 401);
  }
});

test('create, read and update a conversation; the members get the pushes a client would cause', async () => {
  const bob = await env.login('rest-bob');
  const created = await call('POST', '/1.2/rtm/conversations', { name: 'Support', m: ['rest-bob', 'rest-carol'], c: 'rest-agent', topic: 'billing' });
  assert.equal(created.status, 200);
  const cid = created.body.objectId as string;
  assert.match(cid, /^[0-9a-f]{24}$/);
  assert.deepEqual(created.body.m, ['rest-agent', 'rest-bob', 'rest-carol']);
  assert.equal(created.body.c, 'rest-agent');
  assert.equal(created.body.topic, 'billing');
  const joined = await bob.take(isPush(CommandType.conv, OpType.joined));
  assert.equal(joined.convMessage?.cid, cid);
  assert.equal(joined.convMessage?.initBy, 'rest-agent');

  const read = await call('GET', `/1.2/rtm/conversations/${cid}`);
  assert.equal(read.status, 200);
  assert.equal(read.body.name, 'Support');

  const updated = await call('PUT', `/1.2/rtm/conversations/${cid}`, { name: 'Billing', 'attr.level': 2 });
  assert.equal(updated.status, 200);
  assert.equal(updated.body.objectId, cid);
  const pushed = await bob.take(isPush(CommandType.conv, OpType.updated));
  assert.deepEqual(JSON.parse(pushed.convMessage!.attr!.data!), { name: 'Billing', 'attr.level': 2 });
  assert.equal((await call('GET', `/1.2/rtm/conversations/${cid}`)).body.attr.level, 2);
  bob.close();
});

test('bad input is 400 with {code, error}; unknown and other apps\' conversations are 404', async () => {
  const bad: [string, string, unknown][] = [
    ['POST', '/1.2/rtm/conversations', { m: 'rest-bob' }],
    ['POST', '/1.2/rtm/conversations', { m: [''] }],
    ['POST', '/1.2/rtm/conversations', { m: ['x'.repeat(65)] }],
    ['POST', '/1.2/rtm/conversations', { m: Array.from({ length: 501 }, (_, n) => `member-${n}`) }],
    ['POST', '/1.2/rtm/conversations', { m: ['a'], objectId: 'mine' }],
    ['POST', '/1.2/rtm/conversations', { m: ['a'], name: 7 }],
    ['POST', '/1.2/rtm/conversations', { m: ['a'], big: 'x'.repeat(6000) }],
    ['POST', '/1.2/rtm/conversations', '{not json'],
    ['POST', '/1.2/rtm/conversations', '[1,2]'],
    ['POST', '/1.2/rtm/chatrooms', { m: ['a'] }],
  ];
  for (const [method, path, body] of bad) {
    const answer = await call(method, path, body);
    assert.equal(answer.status, 400, `${method} ${path} ${JSON.stringify(body).slice(0, 80)}`);
    assert.equal(typeof answer.body.code, 'number');
    assert.equal(typeof answer.body.error, 'string');
  }
  const tooLarge = await call('POST', '/1.2/rtm/conversations', { m: ['a'], pad: 'x'.repeat(20_000) });
  assert.equal(tooLarge.status, 413);

  assert.equal((await call('GET', '/1.2/rtm/conversations/0123456789abcdef01234567')).status, 404);
  assert.equal((await call('GET', '/1.2/rtm/conversations/..%2F..%2Fetc')).status, 404);
  const theirs = await call('POST', '/1.2/rtm/conversations', { m: ['other-x'] }, { 'X-LC-Id': OTHER_APP.appId, 'X-LC-Key': `${OTHER_APP.masterKey},master` });
  assert.equal(theirs.status, 200);
  const cid = theirs.body.objectId as string;
  for (const [method, path, body] of [
    ['GET', `/1.2/rtm/conversations/${cid}`, undefined],
    ['PUT', `/1.2/rtm/conversations/${cid}`, { name: 'mine now' }],
    ['POST', `/1.2/rtm/conversations/${cid}/members`, { client_ids: ['intruder'] }],
    ['POST', `/1.2/rtm/conversations/${cid}/messages`, { from_client: 'intruder', message: text('hi') }],
    ['GET', `/1.2/rtm/conversations/${cid}/messages`, undefined],
  ] as const) {
    assert.equal((await call(method, path, body)).status, 404, `${method} ${path} with another app's id`);
  }
  // A chat room's id on the conversations path is not a conversation.
  const room = await call('POST', '/1.2/rtm/chatrooms', { name: 'lobby' });
  assert.equal((await call('GET', `/1.2/rtm/conversations/${room.body.objectId}`)).status, 404);
  assert.equal((await call('DELETE', '/1.2/rtm/conversations')).status, 405);
});

test('members: add and remove push joined/left; blocked and malformed ids are refused', async () => {
  const dave = await env.login('rest-dave');
  const { body } = await call('POST', '/1.2/rtm/conversations', { m: ['rest-erin'], c: 'rest-owner' });
  const cid = body.objectId as string;
  const added = await call('POST', `/1.2/rtm/conversations/${cid}/members`, { client_ids: ['rest-dave'] });
  assert.equal(added.status, 200);
  assert.deepEqual(added.body.m, ['rest-dave', 'rest-erin', 'rest-owner']);
  assert.equal((await dave.take(isPush(CommandType.conv, OpType.joined))).convMessage?.cid, cid);
  const removed = await call('DELETE', `/1.2/rtm/conversations/${cid}/members`, { client_ids: ['rest-dave'] });
  assert.deepEqual(removed.body.m, ['rest-erin', 'rest-owner']);
  assert.equal((await dave.take(isPush(CommandType.conv, OpType.left))).convMessage?.cid, cid);

  for (const client_ids of [[], 'rest-dave', [''], ['a\u0000b'], Array.from({ length: 101 }, (_, n) => `m${n}`)]) {
    assert.equal((await call('POST', `/1.2/rtm/conversations/${cid}/members`, { client_ids })).status, 400, JSON.stringify(client_ids).slice(0, 40));
  }
  await env.server.server.store.blockMembers(TEST_APP.appId, cid, ['rest-banned'], 'rest-owner', 100, { removed: () => [], listed: () => [] });
  const blocked = await call('POST', `/1.2/rtm/conversations/${cid}/members`, { client_ids: ['rest-banned'] });
  assert.equal(blocked.status, 400);
  assert.equal(blocked.body.code, 4315);
  assert.equal((await call('POST', '/1.2/rtm/conversations/0123456789abcdef01234567/members', { client_ids: ['x'] })).status, 404);
  dave.close();
});

test('sending as a client reaches the online members like a WebSocket send, and is in history', async () => {
  const frank = await env.login('rest-frank');
  const grace = await env.login('rest-grace');
  const { body } = await call('POST', '/1.2/rtm/conversations', { m: ['rest-frank', 'rest-grace'] });
  const cid = body.objectId as string;
  await frank.take(isPush(CommandType.conv, OpType.joined));
  await grace.take(isPush(CommandType.conv, OpType.joined));

  const sent = await call('POST', `/1.2/rtm/conversations/${cid}/messages`, { from_client: 'rest-frank', message: text('first'), mention_client_ids: ['rest-grace'] });
  assert.equal(sent.status, 200);
  const pushed = await grace.take(isPush(CommandType.direct));
  assert.deepEqual([pushed.directMessage?.id, pushed.directMessage?.fromPeerId, pushed.directMessage?.msg], [sent.body['msg-id'], 'rest-frank', text('first')]);
  assert.equal(Number(pushed.directMessage?.timestamp), sent.body.timestamp);
  assert.deepEqual(pushed.directMessage?.mentionPids, ['rest-grace']);
  // Synced to the sender's own sessions by default…
  assert.equal((await frank.take(isPush(CommandType.direct))).directMessage?.id, sent.body['msg-id']);
  // …and not with no_sync.
  const quiet = await call('POST', `/1.2/rtm/conversations/${cid}/messages`, { from_client: 'rest-frank', message: text('second'), no_sync: true });
  assert.equal((await grace.take(isPush(CommandType.direct))).directMessage?.id, quiet.body['msg-id']);
  await assert.rejects(frank.take(isPush(CommandType.direct), 300), /nothing matching/);

  const newestFirst = await call('GET', `/1.2/rtm/conversations/${cid}/messages?limit=10`);
  assert.equal(newestFirst.status, 200);
  assert.deepEqual(newestFirst.body.map((m: { 'msg-id': string }) => m['msg-id']), [quiet.body['msg-id'], sent.body['msg-id']]);
  assert.deepEqual([newestFirst.body[1].from, newestFirst.body[1].data, newestFirst.body[1]['conv-id'], newestFirst.body[1]['is-conv']], ['rest-frank', text('first'), cid, true]);
  const oldestFirst = await call('GET', `/1.2/rtm/conversations/${cid}/messages?reversed=true&limit=1`);
  assert.deepEqual(oldestFirst.body.map((m: { 'msg-id': string }) => m['msg-id']), [sent.body['msg-id']]);
  const before = await call('GET', `/1.2/rtm/conversations/${cid}/messages?timestamp=${quiet.body.timestamp}&msgid=${quiet.body['msg-id']}`);
  assert.deepEqual(before.body.map((m: { 'msg-id': string }) => m['msg-id']), [sent.body['msg-id']]);

  for (const query of ['limit=0', 'limit=1001', 'limit=x', 'reversed=maybe', 'msgid=a%20b', 'timestamp=-1']) {
    assert.equal((await call('GET', `/1.2/rtm/conversations/${cid}/messages?${query}`)).status, 400, query);
  }
  for (const bad of [
    { message: text('no sender') },
    { from_client: '', message: text('x') },
    { from_client: 'rest-frank' },
    { from_client: 'rest-frank', message: '' },
    { from_client: 'rest-frank', message: 42 },
    { from_client: 'rest-frank', message: 'x'.repeat(8 * 1024) },
    { from_client: 'rest-frank', message: text('x'), priority: 'urgent' },
    { from_client: 'rest-frank', message: text('x'), transient: 'yes' },
    { from_client: 'rest-frank', message: text('x'), push_data: 'p'.repeat(5000) },
    { from_client: 'rest-frank', message: text('x'), mention_client_ids: 'rest-grace' },
  ]) {
    const answer = await call('POST', `/1.2/rtm/conversations/${cid}/messages`, bad);
    assert.equal(answer.status, 400, JSON.stringify(bad).slice(0, 80));
    assert.equal(typeof answer.body.error, 'string');
  }
  frank.close();
  grace.close();
});

test('edit and recall as the sender push patch/modify; as anyone else 403', async () => {
  const heidi = await env.login('rest-heidi');
  const { body } = await call('POST', '/1.2/rtm/conversations', { m: ['rest-heidi', 'rest-ivan'] });
  const cid = body.objectId as string;
  await heidi.take(isPush(CommandType.conv, OpType.joined));
  const sent = await call('POST', `/1.2/rtm/conversations/${cid}/messages`, { from_client: 'rest-ivan', message: text('typo') });
  await heidi.take(isPush(CommandType.direct));
  const mid = sent.body['msg-id'] as string;

  const edited = await call('PUT', `/1.2/rtm/conversations/${cid}/messages/${mid}`, { from_client: 'rest-ivan', message: text('fixed'), timestamp: sent.body.timestamp });
  assert.equal(edited.status, 200);
  const edit = await heidi.take(isPush(CommandType.patch, OpType.modify));
  assert.deepEqual([edit.patchMessage?.patches?.[0]?.mid, edit.patchMessage?.patches?.[0]?.data], [mid, text('fixed')]);
  const recalled = await call('PUT', `/1.2/rtm/conversations/${cid}/messages/${mid}/recall`, { from_client: 'rest-ivan', timestamp: sent.body.timestamp });
  assert.equal(recalled.status, 200);
  assert.equal((await heidi.take(isPush(CommandType.patch, OpType.modify))).patchMessage?.patches?.[0]?.recall, true);

  const forged = await call('PUT', `/1.2/rtm/conversations/${cid}/messages/${mid}`, { from_client: 'rest-heidi', message: text('mine') });
  assert.equal(forged.status, 403);
  assert.equal((await call('PUT', `/1.2/rtm/conversations/${cid}/messages/no-such-message`, { from_client: 'rest-ivan', message: text('x') })).status, 404);
  heidi.close();
});

test('a chat room message reaches its viewers; a broadcast reaches every subscriber of a system conversation', async () => {
  const room = await call('POST', '/1.2/rtm/chatrooms', { name: 'Live' });
  assert.equal(room.status, 200);
  assert.equal(room.body.tr, true);
  const viewer = await env.login('rest-viewer');
  await viewer.request({ cmd: CommandType.conv, op: OpType.add, convMessage: { cid: room.body.objectId, m: ['rest-viewer'] } });
  const said = await call('POST', `/1.2/rtm/chatrooms/${room.body.objectId}/messages`, { from_client: 'host', message: text('welcome'), priority: 'high' });
  assert.equal(said.status, 200);
  assert.equal((await viewer.take(isPush(CommandType.direct))).directMessage?.id, said.body['msg-id']);

  const news = await call('POST', '/1.2/rtm/service-conversations', { name: 'News' });
  assert.equal(news.body.sys, true);
  const sid = news.body.objectId as string;
  const reader = await env.login('rest-reader');
  assert.equal((await call('POST', `/1.2/rtm/service-conversations/${sid}/subscribers`, { client_id: 'rest-reader' })).status, 200);
  await reader.take(isPush(CommandType.conv, OpType.joined));
  assert.equal((await call('POST', `/1.2/rtm/service-conversations/${sid}/subscribers`, { client_id: 7 })).status, 400);
  assert.equal((await call('POST', `/1.2/rtm/conversations/${sid}/subscribers`, { client_id: 'rest-reader' })).status, 404);
  const cast = await call('POST', `/1.2/rtm/service-conversations/${sid}/broadcasts`, { from_client: 'newsroom', message: text('extra'), push: { alert: 'Extra!' } });
  assert.equal(cast.status, 200);
  assert.equal((await reader.take(isPush(CommandType.direct))).directMessage?.id, cast.body['msg-id']);
  const global = await call('POST', '/1.2/rtm/broadcasts', { from_client: 'newsroom', conv_id: sid, message: text('again') });
  assert.equal((await reader.take(isPush(CommandType.direct))).directMessage?.id, global.body['msg-id']);

  assert.equal((await call('POST', `/1.2/rtm/service-conversations/${sid}/messages`, { from_client: 'newsroom', message: text('x') })).status, 400);
  assert.equal((await call('POST', '/1.2/rtm/broadcasts', { from_client: 'newsroom', conv_id: room.body.objectId, message: text('x') })).status, 404);
  assert.equal((await call('POST', '/1.2/rtm/broadcasts', { from_client: 'newsroom', message: text('x') })).status, 400);
  assert.equal((await call('DELETE', `/1.2/rtm/service-conversations/${sid}/subscribers/rest-reader`)).status, 200);
  await reader.take(isPush(CommandType.conv, OpType.left));
  viewer.close();
  reader.close();
});

test('check-online lists who is connected; kick closes the client\'s sessions with 4115', async () => {
  const judy = await env.login('rest-judy');
  const online = await call('POST', '/1.2/rtm/clients/check-online', { client_ids: ['rest-judy', 'rest-nobody'] });
  assert.deepEqual(online.body, { results: ['rest-judy'] });
  for (const client_ids of [[], Array.from({ length: 21 }, (_, n) => `c${n}`), [5], 'rest-judy']) {
    assert.equal((await call('POST', '/1.2/rtm/clients/check-online', { client_ids })).status, 400);
  }
  assert.equal((await call('POST', '/1.2/rtm/clients/rest-judy/kick', { reason: 'x'.repeat(21) })).status, 400);
  const kicked = await call('POST', '/1.2/rtm/clients/rest-judy/kick', { reason: 'spam' });
  assert.equal(kicked.status, 200);
  const closed = await judy.take(isPush(CommandType.session, OpType.closed));
  assert.deepEqual([closed.sessionMessage?.code, closed.sessionMessage?.detail], [4115, 'spam']);
  assert.deepEqual((await call('POST', '/1.2/rtm/clients/check-online', { client_ids: ['rest-judy'] })).body, { results: [] });
  // The session is gone: its commands are refused.
  const after = await judy.request({ cmd: CommandType.conv, op: OpType.query, convMessage: {} });
  assert.equal(after.errorMessage?.reason, 'SESSION_REQUIRED');
  judy.close();
});

test('query conversations of one kind by a LeanCloud where, bounded like conv/query', async () => {
  const tag = `q-${Date.now()}`;
  const one = await call('POST', '/1.2/rtm/conversations', { name: 'first', m: ['q-a'], tag });
  const two = await call('POST', '/1.2/rtm/conversations', { name: 'second', m: ['q-b'], tag });
  await call('POST', '/1.2/rtm/chatrooms', { name: 'room', tag });
  const found = await call('GET', `/1.2/rtm/conversations?where=${encodeURIComponent(JSON.stringify({ tag }))}&order=-name`);
  assert.equal(found.status, 200);
  assert.deepEqual(found.body.results.map((c: { objectId: string }) => c.objectId), [two.body.objectId, one.body.objectId]);
  assert.deepEqual(found.body.results[0].m, ['q-b'], 'the master key sees members');
  const rooms = await call('GET', `/1.2/rtm/chatrooms?where=${encodeURIComponent(JSON.stringify({ tag }))}`);
  assert.deepEqual(rooms.body.results.map((c: { name: string }) => c.name), ['room']);
  const page = await call('GET', `/1.2/rtm/conversations?where=${encodeURIComponent(JSON.stringify({ tag }))}&order=name&limit=1&skip=1`);
  assert.deepEqual(page.body.results.map((c: { name: string }) => c.name), ['second']);
  for (const query of ['where=%7Bnot', 'where=%5B%5D', 'limit=1001', 'limit=-1', 'skip=x', `where=${encodeURIComponent(JSON.stringify({ name: { $bogus: 1 } }))}`]) {
    assert.equal((await call('GET', `/1.2/rtm/conversations?${query}`)).status, 400, query);
  }
  const theirs = await call('GET', `/1.2/rtm/conversations?where=${encodeURIComponent(JSON.stringify({ tag }))}`, undefined, { 'X-LC-Id': OTHER_APP.appId, 'X-LC-Key': `${OTHER_APP.masterKey},master` });
  assert.deepEqual(theirs.body.results, [], 'another app finds none of them');
});

test('a history page holds at most maxReplyBytes: fewer messages than asked, the newest first', async () => {
  const { body } = await call('POST', '/1.2/rtm/conversations', { m: ['big-a'] });
  const cid = body.objectId as string;
  const ids: string[] = [];
  for (let n = 0; n < 3; n++) {
    const sent = await call('POST', `/1.2/rtm/conversations/${cid}/messages`, { from_client: 'big-a', message: text(`${n}`.repeat(6000)) });
    assert.equal(sent.status, 200);
    ids.push(sent.body['msg-id']);
  }
  const page = await call('GET', `/1.2/rtm/conversations/${cid}/messages?limit=10`);
  assert.deepEqual(page.body.map((m: { 'msg-id': string }) => m['msg-id']), [ids[2]], 'two 6 KB messages do not fit 9 KiB');
  const next = await call('GET', `/1.2/rtm/conversations/${cid}/messages?limit=10&timestamp=${page.body[0].timestamp}&msgid=${ids[2]}`);
  assert.deepEqual(next.body.map((m: { 'msg-id': string }) => m['msg-id']), [ids[1]], 'the next page starts where it stopped');
});

test('DELETE a conversation: it and its messages are gone, members are sent nothing, later commands get CONVERSATION_NOT_FOUND', async () => {
  const kate = await env.login('del-kate');
  const { body } = await call('POST', '/1.2/rtm/conversations', { m: ['del-kate', 'del-liam'], c: 'del-agent' });
  const cid = body.objectId as string;
  await kate.take(isPush(CommandType.conv, OpType.joined));
  await call('POST', `/1.2/rtm/conversations/${cid}/messages`, { from_client: 'del-agent', message: text('one') });
  await kate.take(isPush(CommandType.direct));
  const room = (await call('POST', '/1.2/rtm/chatrooms', { name: 'del-room' })).body.objectId as string;
  const service = (await call('POST', '/1.2/rtm/service-conversations', { name: 'del-news' })).body.objectId as string;

  // The wrong kind's path, a malformed escape and an id of the wrong shape delete nothing.
  assert.equal((await call('DELETE', `/1.2/rtm/chatrooms/${cid}`)).status, 404);
  assert.equal((await call('DELETE', `/1.2/rtm/service-conversations/${cid}`)).status, 404);
  assert.equal((await call('DELETE', '/1.2/rtm/conversations/%ZZ')).status, 400);
  const odd = await call('DELETE', '/1.2/rtm/conversations/a%20b');
  assert.deepEqual([odd.status, odd.body.code], [404, 4401]);
  assert.equal((await call('GET', `/1.2/rtm/conversations/${cid}`)).status, 200);

  const deleted = await call('DELETE', `/1.2/rtm/conversations/${cid}`);
  assert.deepEqual([deleted.status, deleted.body], [200, {}]);
  for (const [method, path] of [['GET', ''], ['GET', '/messages'], ['DELETE', ''], ['PUT', '']] as const) {
    const answer = await call(method, `/1.2/rtm/conversations/${cid}${path}`, method === 'PUT' ? { name: 'x' } : undefined);
    assert.deepEqual([answer.status, answer.body.code], [404, 4401], `${method} ${path}`);
  }
  const listed = await call('GET', `/1.2/rtm/conversations?where=${encodeURIComponent(JSON.stringify({ objectId: cid }))}`);
  assert.deepEqual(listed.body.results, []);

  // A member's commands on it now find nothing; nothing about the deletion was pushed before these replies.
  // A message to it is refused as to any conversation the sender is not in (4401, as before it existed).
  const direct = await kate.request({ cmd: CommandType.direct, peerId: 'del-kate', directMessage: { cid, msg: text('anyone?') } });
  assert.deepEqual([direct.cmd, direct.errorMessage?.code], [CommandType.error, errorCode('INVALID_MESSAGING_TARGET')]);
  const join = await kate.request({ cmd: CommandType.conv, op: OpType.add, peerId: 'del-kate', convMessage: { cid, m: ['del-kate'] } });
  assert.deepEqual([join.cmd, join.errorMessage?.code], [CommandType.error, errorCode('CONVERSATION_NOT_FOUND')]);
  assert.deepEqual(kate.drain().filter((command) => command.convMessage?.cid === cid || command.directMessage?.cid === cid), []);
  const history = await kate.request({ cmd: CommandType.logs, peerId: 'del-kate', logsMessage: { cid, limit: 10 } });
  assert.deepEqual(history.logsMessage?.logs ?? [], []);

  // Chat rooms and system conversations are deleted on their own paths.
  assert.deepEqual((await call('DELETE', `/1.2/rtm/chatrooms/${room}`)).body, {});
  assert.equal((await call('GET', `/1.2/rtm/chatrooms/${room}`)).status, 404);
  assert.deepEqual((await call('DELETE', `/1.2/rtm/service-conversations/${service}`)).body, {});
  assert.equal((await call('GET', `/1.2/rtm/service-conversations/${service}`)).status, 404);
  kate.close();
});

test('every endpoint refuses the app key and another app\'s master key, and acts on nothing', async () => {
  const { body } = await call('POST', '/1.2/rtm/conversations', { m: ['every-a'] });
  const cid = body.objectId as string;
  const sid = (await call('POST', '/1.2/rtm/service-conversations', { name: 'every' })).body.objectId as string;
  const sent = await call('POST', `/1.2/rtm/conversations/${cid}/messages`, { from_client: 'every-a', message: text('keep') });
  const mid = sent.body['msg-id'] as string;
  const victim = await env.login('every-a');
  const endpoints: [string, string, unknown][] = [
    ['POST', '/1.2/rtm/conversations', { m: ['x'] }],
    ['GET', '/1.2/rtm/conversations', undefined],
    ['GET', `/1.2/rtm/conversations/${cid}`, undefined],
    ['PUT', `/1.2/rtm/conversations/${cid}`, { name: 'taken' }],
    ['DELETE', `/1.2/rtm/conversations/${cid}`, undefined],
    ['POST', `/1.2/rtm/conversations/${cid}/members`, { client_ids: ['x'] }],
    ['DELETE', `/1.2/rtm/conversations/${cid}/members`, { client_ids: ['every-a'] }],
    ['POST', `/1.2/rtm/conversations/${cid}/messages`, { from_client: 'x', message: text('x') }],
    ['GET', `/1.2/rtm/conversations/${cid}/messages`, undefined],
    ['PUT', `/1.2/rtm/conversations/${cid}/messages/${mid}`, { from_client: 'every-a', message: text('x') }],
    ['PUT', `/1.2/rtm/conversations/${cid}/messages/${mid}/recall`, { from_client: 'every-a' }],
    ['POST', `/1.2/rtm/service-conversations/${sid}/subscribers`, { client_id: 'x' }],
    ['POST', `/1.2/rtm/service-conversations/${sid}/broadcasts`, { from_client: 'x', message: text('x') }],
    ['POST', '/1.2/rtm/broadcasts', { from_client: 'x', conv_id: sid, message: text('x') }],
    ['POST', '/1.2/rtm/clients/check-online', { client_ids: ['every-a'] }],
    ['POST', '/1.2/rtm/clients/every-a/kick', {}],
  ];
  const appKey = { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': TEST_APP.appKey };
  const otherMaster = { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': `${OTHER_APP.masterKey},master` };
  for (const headers of [appKey, otherMaster]) {
    for (const [method, path, payload] of endpoints) {
      const answer = await call(method, path, payload, headers);
      assert.equal(answer.status, 401, `${method} ${path} with ${headers['X-LC-Key']}`);
    }
  }
  // Another app's master key under its own id: this app's ids are unknown to it, and its clients are not this app's.
  const theirs = { 'X-LC-Id': OTHER_APP.appId, 'X-LC-Key': `${OTHER_APP.masterKey},master` };
  assert.equal((await call('PUT', `/1.2/rtm/conversations/${cid}/messages/${mid}/recall`, { from_client: 'every-a' }, theirs)).status, 404);
  assert.equal((await call('DELETE', `/1.2/rtm/conversations/${cid}`, undefined, theirs)).status, 404);
  assert.deepEqual((await call('POST', '/1.2/rtm/clients/check-online', { client_ids: ['every-a'] }, theirs)).body, { results: [] });
  await call('POST', '/1.2/rtm/clients/every-a/kick', {}, theirs);
  // Nothing happened: the conversation, its message and the session are as they were.
  const after = await call('GET', `/1.2/rtm/conversations/${cid}`);
  assert.deepEqual([after.body.name ?? null, after.body.m], [null, ['every-a']]);
  const history = await call('GET', `/1.2/rtm/conversations/${cid}/messages`);
  assert.deepEqual(history.body.map((m: { data: string }) => m.data), [text('keep')]);
  assert.deepEqual((await call('POST', '/1.2/rtm/clients/check-online', { client_ids: ['every-a'] })).body, { results: ['every-a'] });
  victim.close();
});
