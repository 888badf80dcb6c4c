/**
 * Issue 12's bad-input tests for member roles and muted members, driven
 * over the raw protocol and plain HTTP by a hostile but logged-in client:
 * huge and unknown roles, thousands of ids, malformed ids and cursors,
 * other apps' conversations, chat rooms and system conversations, the caps
 * (managers per conversation, muted per conversation), and the member-info
 * REST read with bad parameters, wrong keys and tokens, revoked tokens and
 * outsiders. Each answer is the protocol's code and name, and the server
 * keeps serving.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandType, OpType, type Command, type DecodedCommand } from '../src/protocol/codec.js';
import { MAX_MANAGERS } from '../src/server/handlers/roles.js';
import { MAX_MUTED } from '../src/server/handlers/mute-members.js';
import type { RawClient } from './helpers/raw-client.js';
import { rawEnvironment } from './helpers/raw-env.js';
import { TEST_APP } from './helpers/server.js';

const OTHER_APP = { appId: 'other-app-id', appKey: 'other-app-key', masterKey: 'other-master-key' };
const env = rawEnvironment({ apps: [TEST_APP, OTHER_APP] });
/** v4.3.1 as it logs in: configBitmap 59 asks for per-member results. */
const V4 = { ua: 'js/4.3.1', configBitmap: 59 };

let run = 0;
const ids = (...names: string[]) => {
  run += 1;
  return names.map((name) => `${name}-b${run}`);
};
const conv = (op: OpType, convMessage: Record<string, unknown>): Command => ({ cmd: CommandType.conv, op, convMessage });
const role = (cid: string, pid: string, value: unknown) => conv(OpType.member_info_update, { cid, targetClientId: pid, info: { pid, role: value } });
const errorOf = (reply: DecodedCommand) => [reply.errorMessage?.code, reply.errorMessage?.reason];

async function create(owner: RawClient, members: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const reply = await owner.request(conv(OpType.start, { m: members, ...extra }));
  assert.equal(reply.op, OpType.started, reply.errorMessage?.detail ?? '');
  return reply.convMessage!.cid!;
}

async function stillServes(client: RawClient): Promise<void> {
  assert.equal((await client.request({ cmd: CommandType.echo })).cmd, CommandType.echo);
}

test('member_info_update: unknown, huge and missing roles, Owner, bad and mismatched ids, other apps’, rooms and system conversations', async () => {
  const [ownerId, bobId] = ids('Owner', 'Bob');
  const owner = await env.login(ownerId!, V4);
  const cid = await create(owner, [bobId!]);

  for (const value of ['owner', 'manager', 'Admin', '', ' Manager', 'Manager\u0000', 'x'.repeat(4000)]) {
    const reply = await owner.request(role(cid, bobId!, value));
    assert.deepEqual(errorOf(reply), [4321, 'UNKNOWN_CONVERSATION_ROLE'], JSON.stringify(value.slice(0, 20)));
    assert.ok((reply.errorMessage?.detail ?? '').length < 200, 'the detail does not echo a huge role');
  }
  assert.deepEqual(errorOf(await owner.request(conv(OpType.member_info_update, { cid, targetClientId: bobId }))), [4321, 'UNKNOWN_CONVERSATION_ROLE']);
  assert.deepEqual(errorOf(await owner.request(role(cid, bobId!, 'Owner'))), [5130, 'OWNER_PROMOTION_NOT_ALLOWED']);
  assert.deepEqual(errorOf(await owner.request(role(cid, 'x'.repeat(65), 'Manager'))), [4301, 'CONVERSATION_API_FAILED']);
  assert.deepEqual(errorOf(await owner.request(conv(OpType.member_info_update, { cid, info: { role: 'Manager' } }))), [4301, 'CONVERSATION_API_FAILED']);
  const mismatch = conv(OpType.member_info_update, { cid, targetClientId: bobId, info: { pid: ownerId, role: 'Manager' } });
  assert.deepEqual(errorOf(await owner.request(mismatch)), [4301, 'CONVERSATION_API_FAILED']);
  assert.deepEqual(errorOf(await owner.request(role('', bobId!, 'Manager'))), [4303, 'CONVERSATION_NOT_FOUND']);
  assert.deepEqual(errorOf(await owner.request(role('f'.repeat(5000), bobId!, 'Manager'))), [4303, 'CONVERSATION_NOT_FOUND']);

  // Another app's owner cannot reach this conversation, even knowing its id.
  const foreign = await env.connect();
  await foreign.login(OTHER_APP.appId, ownerId!, V4);
  assert.deepEqual(errorOf(await foreign.request(role(cid, bobId!, 'Manager'))), [4303, 'CONVERSATION_NOT_FOUND']);
  assert.deepEqual(errorOf(await foreign.request(conv(OpType.add_shutup, { cid, m: [bobId] }))), [4303, 'CONVERSATION_NOT_FOUND']);
  assert.deepEqual(errorOf(await foreign.request(conv(OpType.query_shutup, { cid }))), [4303, 'CONVERSATION_NOT_FOUND']);

  const room = await create(owner, [], { transient: true });
  assert.deepEqual(errorOf(await owner.request(role(room, bobId!, 'Manager'))), [4314, 'NORMAL_CONVERSATION_REQUIRED']);
  assert.deepEqual(errorOf(await owner.request(conv(OpType.add_shutup, { cid: room, m: [bobId] }))), [4314, 'NORMAL_CONVERSATION_REQUIRED']);
  const system = (await env.server.server.store.createConversation({
    appId: TEST_APP.appId, creator: ownerId!, members: [], name: 'sys', transient: false, system: true, unique: false, attributes: {},
  })).conversation.id;
  assert.deepEqual(errorOf(await owner.request(role(system, bobId!, 'Manager'))), [4307, 'CONVERSATION_READ_ONLY']);

  // An outsider changes nothing.
  const outsider = await env.login(ids('Outsider')[0]!, V4);
  assert.deepEqual(errorOf(await outsider.request(role(cid, bobId!, 'Manager'))), [4320, 'CONVERSATION_OPERATION_UNAUTHORIZED']);
  assert.deepEqual(await env.server.server.store.memberRoles(TEST_APP.appId, cid, { managersOnly: true, limit: 10 }), []);
  await stillServes(owner);
});

test(`at most ${MAX_MANAGERS} managers per conversation (4322)`, async () => {
  const [ownerId] = ids('Owner');
  const owner = await env.login(ownerId!, V4);
  const crowd = Array.from({ length: MAX_MANAGERS + 1 }, (_, n) => `mgr-${run}-${n}`);
  const cid = await create(owner, crowd);
  for (const id of crowd.slice(0, MAX_MANAGERS)) assert.equal((await owner.request(role(cid, id, 'Manager'))).op, OpType.member_info_updated);
  assert.deepEqual(errorOf(await owner.request(role(cid, crowd.at(-1)!, 'Manager'))), [4322, 'CONVERSATION_MEMBER_IN_ROLE_FULL']);
  assert.equal((await owner.request(role(cid, crowd[0]!, 'Member'))).op, OpType.member_info_updated, 'demoting frees a place');
  assert.equal((await owner.request(role(cid, crowd.at(-1)!, 'Manager'))).op, OpType.member_info_updated);
  owner.drain();
});

test('add_shutup/remove_shutup: thousands of ids, bad ids, outsiders; query_shutup: hostile limits and cursors', async () => {
  const [ownerId, bobId, memberId] = ids('Owner', 'Bob', 'Member');
  const owner = await env.login(ownerId!, V4);
  const member = await env.login(memberId!, V4);
  const cid = await create(owner, [bobId!, memberId!]);

  const thousands = Array.from({ length: 5000 }, (_, n) => `id-${n}`);
  assert.deepEqual(errorOf(await owner.request(conv(OpType.add_shutup, { cid, m: thousands }))), [4301, 'CONVERSATION_API_FAILED']);
  assert.deepEqual(errorOf(await owner.request(conv(OpType.remove_shutup, { cid, m: thousands }))), [4301, 'CONVERSATION_API_FAILED']);
  for (const m of [[], [''], ['x'.repeat(65)], ['bad\u0001id']]) {
    assert.deepEqual(errorOf(await owner.request(conv(OpType.add_shutup, { cid, m }))), [4301, 'CONVERSATION_API_FAILED'], JSON.stringify(m).slice(0, 40));
  }
  assert.deepEqual(errorOf(await owner.request(conv(OpType.add_shutup, { m: [bobId] }))), [4303, 'CONVERSATION_NOT_FOUND']);
  assert.deepEqual(errorOf(await member.request(conv(OpType.add_shutup, { cid, m: [bobId] }))), [4320, 'CONVERSATION_OPERATION_UNAUTHORIZED']);
  const outsider = await env.login(ids('Outsider')[0]!, V4);
  assert.deepEqual(errorOf(await outsider.request(conv(OpType.add_shutup, { cid, m: [bobId] }))), [4320, 'CONVERSATION_OPERATION_UNAUTHORIZED']);
  assert.deepEqual(errorOf(await outsider.request(conv(OpType.query_shutup, { cid }))), [4320, 'CONVERSATION_OPERATION_UNAUTHORIZED']);

  // Duplicates count once; the outsiders named are refused one by one.
  const muted = await owner.request(conv(OpType.add_shutup, { cid, m: [bobId, bobId, 'stranger'] }));
  assert.deepEqual(muted.convMessage?.allowedPids, [bobId]);
  assert.deepEqual(muted.convMessage?.failedPids?.map((f) => [f.code, f.pids]), [[4317, ['stranger']]]);
  assert.equal((await owner.request(conv(OpType.add_shutup, { cid, m: [bobId] }))).convMessage?.allowedPids?.length, 1, 'muting again is no change');

  for (const limit of [-5, 0, 2 ** 31 - 1]) {
    const page = await member.request(conv(OpType.query_shutup, { cid, limit }));
    assert.deepEqual(page.convMessage?.m, [bobId], `limit ${limit}`);
  }
  assert.deepEqual(errorOf(await member.request(conv(OpType.query_shutup, { cid, next: 'n'.repeat(5000) }))), [4301, 'CONVERSATION_API_FAILED']);
  assert.deepEqual((await member.request(conv(OpType.query_shutup, { cid, next: bobId }))).convMessage?.m ?? [], []);

  // A muted client cannot send, transiently or as a will, either.
  const bob = await env.login(bobId!, V4);
  const text = JSON.stringify({ _lctype: -1, _lctext: 'hi' });
  for (const extra of [{}, { transient: true }, { will: true }]) {
    const reply = await bob.request({ cmd: CommandType.direct, directMessage: { cid, msg: text, ...extra } });
    assert.deepEqual(errorOf(reply), [4563, 'SILIENCED'], JSON.stringify(extra));
  }
  await stillServes(owner);
});

test(`at most ${MAX_MUTED} muted per conversation (4561), the mutes of members who left included`, async () => {
  const [ownerId] = ids('Owner');
  const owner = await env.login(ownerId!, V4);
  const cid = await create(owner, []);
  // Members come and go (at most 500 at a time); their mutes stay.
  const batch = 499;
  let muted = 0;
  for (let round = 0; muted < MAX_MUTED; round += 1) {
    const size = Math.min(batch, MAX_MUTED - muted);
    const people = Array.from({ length: size }, (_, n) => `mute-${run}-${round}-${n}`);
    assert.equal((await owner.request(conv(OpType.add, { cid, m: people }))).op, OpType.added);
    const reply = await owner.request(conv(OpType.add_shutup, { cid, m: people }));
    assert.equal(reply.convMessage?.allowedPids?.length, size, reply.errorMessage?.detail ?? '');
    assert.equal((await owner.request(conv(OpType.remove, { cid, m: people }))).op, OpType.removed);
    muted += size;
    owner.drain();
  }
  const last = `mute-${run}-last`;
  await owner.request(conv(OpType.add, { cid, m: [last] }));
  assert.deepEqual(errorOf(await owner.request(conv(OpType.add_shutup, { cid, m: [last] }))), [4561, 'SILIENCED_MEMBER_LIST_FULL']);
  assert.equal((await owner.request(conv(OpType.remove_shutup, { cid, m: ['mute-' + run + '-0-0'] }))).convMessage?.allowedPids?.length, 1);
  assert.deepEqual((await owner.request(conv(OpType.add_shutup, { cid, m: [last] }))).convMessage?.allowedPids, [last], 'unmuting frees a place');
  owner.drain();
});

test('GET /1.1/classes/_ConversationMemberInfo: bad parameters, wrong keys and tokens, revoked tokens, other apps, outsiders', async () => {
  const [ownerId, bobId, outsiderId] = ids('Owner', 'Bob', 'Outsider');
  const owner = await env.connect();
  const token = (await owner.login(TEST_APP.appId, ownerId!, V4)).sessionMessage!.st!;
  const cid = await create(owner, [bobId!]);
  await owner.request(role(cid, bobId!, 'Manager'));
  const outsider = await env.connect();
  const outsiderToken = (await outsider.login(TEST_APP.appId, outsiderId!, V4)).sessionMessage!.st!;
  const foreign = await env.connect();
  const foreignToken = (await foreign.login(OTHER_APP.appId, ownerId!, V4)).sessionMessage!.st!;

  const get = async (query: Record<string, string> | string, headers: Record<string, string> = {}) => {
    const search = typeof query === 'string' ? query : new URLSearchParams(query).toString();
    const response = await fetch(`${env.server.httpUrl}/1.1/classes/_ConversationMemberInfo?${search}`, {
      headers: { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': TEST_APP.appKey, 'X-LC-IM-Session-Token': token, ...headers },
    });
    return { status: response.status, body: (await response.json()) as { code?: number; results?: { clientId: string; role: string }[] } };
  };
  const where = (value: unknown) => JSON.stringify(value);

  const ok = await get({ where: where({ cid }), client_id: ownerId! });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body.results?.map((r) => [r.clientId, r.role]).sort(), [[bobId, 'Manager'], [ownerId, 'Owner']].sort());
  assert.deepEqual((await get({ where: where({ cid, clientId: bobId }), client_id: ownerId! })).body.results?.map((r) => r.role), ['Manager']);
  assert.deepEqual((await get({ where: where({ cid, clientId: 'nobody' }), client_id: ownerId! })).body.results, []);

  const bads: Record<string, string>[] = [
    {},
    { where: where({ cid }) },
    { where: 'not json', client_id: ownerId! },
    { where: where([cid]), client_id: ownerId! },
    { where: where({ cid: { $regex: '.' } }), client_id: ownerId! },
    { where: where({ cid, m: { $all: [ownerId] } }), client_id: ownerId! },
    { where: where({ cid, clientId: 'x'.repeat(65) }), client_id: ownerId! },
    { where: where({ cid: 'c'.repeat(3000) }), client_id: ownerId! },
    { where: where({ cid }), client_id: ownerId!, limit: '1000000' },
  ];
  for (const bad of bads) {
    assert.equal((await get(bad)).status, 400, JSON.stringify(bad).slice(0, 80));
  }
  assert.equal((await get(`where=${encodeURIComponent(where({ cid }))}&where=${encodeURIComponent(where({ cid }))}&client_id=${ownerId}`)).status, 400);

  const query = { where: where({ cid }), client_id: ownerId! };
  assert.equal((await get(query, { 'X-LC-Key': 'wrong' })).status, 401);
  assert.equal((await get(query, { 'X-LC-Key': OTHER_APP.appKey })).status, 401);
  assert.deepEqual((await get(query, { 'X-LC-IM-Session-Token': 'forged' })).body.code, 4112);
  assert.deepEqual((await get(query, { 'X-LC-IM-Session-Token': outsiderToken })).body.code, 4112, 'a token of another client');
  // Another app's token and key for the same client id and this cid: nothing.
  const crossApp = await get(query, { 'X-LC-Id': OTHER_APP.appId, 'X-LC-Key': OTHER_APP.appKey, 'X-LC-IM-Session-Token': foreignToken });
  assert.deepEqual([crossApp.status, crossApp.body.code], [403, 4317]);
  // An outsider with its own valid token: the same answer as for an unknown conversation.
  const outsiders = await get({ where: where({ cid }), client_id: outsiderId! }, { 'X-LC-IM-Session-Token': outsiderToken });
  const unknown = await get({ where: where({ cid: 'f'.repeat(24) }), client_id: outsiderId! }, { 'X-LC-IM-Session-Token': outsiderToken });
  assert.deepEqual([outsiders.status, outsiders.body.code], [403, 4317]);
  assert.deepEqual([unknown.status, unknown.body.code], [outsiders.status, outsiders.body.code]);

  // A logout revokes the token for this read too.
  assert.equal((await owner.request({ cmd: CommandType.session, op: OpType.close })).op, OpType.closed);
  assert.equal((await get(query)).body.code, 4112);
});
