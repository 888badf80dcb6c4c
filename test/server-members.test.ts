/**
 * conv/add and conv/remove at the protocol level: the events of the
 * guide's tables, who may add or remove whom, the 500-member cap, v4's
 * per-member results, history across leaving and rejoining, unique
 * conversations whose members change, system conversations.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandType, OpType, type Command, type DecodedCommand, type ISessionCommand } from '../src/protocol/codec.js';
import { RawClient } from './helpers/raw-client.js';
import { rawEnvironment } from './helpers/raw-env.js';
import { TEST_APP } from './helpers/server.js';


let run = 0;
const ids = (...names: string[]) => {
  run += 1;
  return names.map((name) => `${name}-m${run}`);
};
const env = rawEnvironment();
const login = (id: string, sessionMessage: ISessionCommand = {}) => env.login(id, sessionMessage);
/** v4.3.1 as it logs in: configBitmap 59 asks for per-member results. */
const V4 = { ua: 'js/4.3.1', configBitmap: 59 };

const conv = (op: OpType, convMessage: Record<string, unknown>): Command => ({ cmd: CommandType.conv, op, convMessage });
/** A conv push of this op for this conversation, about these members if given. */
const isConv = (op: OpType, cid: string, m?: string[]) => (c: DecodedCommand) =>
  c.cmd === CommandType.conv && c.op === op && c.convMessage?.cid === cid && (m === undefined || c.convMessage?.m?.join() === m.join());

async function create(owner: RawClient, members: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const reply = await owner.request(conv(OpType.start, { m: members, ...extra }));
  assert.equal(reply.op, OpType.started, reply.errorMessage?.detail ?? '');
  return reply.convMessage!.cid!;
}

async function members(client: RawClient, cid: string): Promise<{ m: string[]; c: string; updatedAt: string }> {
  const reply = await client.request(conv(OpType.query, { where: { data: JSON.stringify({ objectId: cid }) } }));
  return (JSON.parse(reply.convMessage!.results!.data) as { m: string[]; c: string; updatedAt: string }[])[0]!;
}

test('join, add, quit and remove push the events of the guide’s tables to each party', async () => {
  const [jerryId, bobId, harryId, williamId, tomId, maryId] = ids('Jerry', 'Bob', 'Harry', 'William', 'Tom', 'Mary');
  const [jerry, bob, harry, william, tom, mary] = await Promise.all([jerryId, bobId, harryId, williamId, tomId, maryId].map((id) => login(id!)));
  const cid = await create(jerry!, [bobId!, harryId!, williamId!]);
  for (const member of [bob!, harry!, william!]) await member.take(isConv(OpType.joined, cid));
  const before = await members(jerry!, cid);

  // 自身主动加入: Tom joins.
  const joined = await tom!.request(conv(OpType.add, { cid, m: [tomId] }));
  assert.equal(joined.op, OpType.added);
  assert.deepEqual(joined.convMessage?.allowedPids, [tomId]);
  assert.deepEqual(joined.convMessage?.failedPids ?? [], []);
  assert.equal((await tom!.take(isConv(OpType.joined, cid))).convMessage?.initBy, tomId, 'the joiner gets joined (invited)');
  const tomSees = await tom!.take(isConv(OpType.members_joined, cid));
  assert.deepEqual(tomSees.convMessage?.m, [tomId]);
  const jerrySees = await jerry!.take(isConv(OpType.members_joined, cid));
  assert.deepEqual([jerrySees.convMessage?.m, jerrySees.convMessage?.initBy], [[tomId], tomId]);
  const afterJoin = await members(jerry!, cid);
  assert.ok(afterJoin.m.includes(tomId!));
  assert.ok(afterJoin.updatedAt > before.updatedAt, 'updatedAt moves with the members');

  // 添加其他成员: Jerry adds Mary. 邀请者 membersjoined; 被邀请者 invited + membersjoined; 其他人 membersjoined.
  const added = await jerry!.request(conv(OpType.add, { cid, m: [maryId] }));
  assert.deepEqual(added.convMessage?.allowedPids, [maryId]);
  const invitation = await mary!.take((c) => c.cmd === CommandType.conv && c.convMessage?.cid === cid);
  assert.equal(invitation.op, OpType.joined, 'the invitee hears joined first');
  assert.equal(invitation.convMessage?.initBy, jerryId);
  for (const member of [mary!, jerry!, bob!, harry!, william!, tom!]) {
    const event = await member.take(isConv(OpType.members_joined, cid, [maryId!]));
    assert.equal(event.convMessage?.initBy, jerryId);
  }

  // 自身退出对话: Tom quits.
  const quit = await tom!.request(conv(OpType.remove, { cid, m: [tomId] }));
  assert.equal(quit.op, OpType.removed);
  assert.equal((await tom!.take(isConv(OpType.left, cid))).convMessage?.initBy, tomId);
  for (const member of [jerry!, bob!, harry!, william!, mary!]) {
    const event = await member.take(isConv(OpType.members_left, cid, [tomId!]));
    assert.equal(event.convMessage?.initBy, tomId);
  }

  // 移除其他成员: William removes Harry. 操作者 membersleft; 被移除者 kicked; 其他人 membersleft.
  // Only the owner and managers remove others (issue 12's roles): Jerry, the owner, makes William a manager first.
  const asMember = await william!.request(conv(OpType.remove, { cid, m: [harryId] }));
  assert.equal(asMember.errorMessage?.reason, 'CONVERSATION_OPERATION_UNAUTHORIZED', 'a plain member removes nobody');
  const promoted = await jerry!.request(conv(OpType.member_info_update, { cid, targetClientId: williamId, info: { pid: williamId, role: 'Manager' } }));
  assert.equal(promoted.op, OpType.member_info_updated, promoted.errorMessage?.detail ?? '');
  await william!.request(conv(OpType.remove, { cid, m: [harryId] }));
  assert.equal((await harry!.take(isConv(OpType.left, cid))).convMessage?.initBy, williamId);
  await assert.rejects(harry!.take(isConv(OpType.members_left, cid), 200), /nothing/, 'the removed member gets kicked only');
  for (const member of [william!, jerry!, bob!, mary!]) {
    const event = await member.take(isConv(OpType.members_left, cid, [harryId!]));
    assert.equal(event.convMessage?.initBy, williamId);
  }
  const count = await jerry!.request(conv(OpType.count, { cid }));
  assert.equal(count.convMessage?.count, 4);

  // The creator is the owner, who cannot quit (issue 12: LeanCloud's 4324); the others can.
  const ownerQuits = await jerry!.request(conv(OpType.remove, { cid, m: [jerryId] }));
  assert.equal(ownerQuits.errorMessage?.reason, 'CONVERSATION_NEED_OWNER');
  await bob!.request(conv(OpType.remove, { cid, m: [bobId] }));
  const final = await members(mary!, cid);
  assert.deepEqual(final.m, [jerryId, maryId, williamId].sort());
  assert.equal(final.c, jerryId);
});

test('all or nothing without per-member results: 4309 for strangers, 4320 for removing the creator, 4304 past 500', async () => {
  const [ownerId, memberId, strangerId, otherId] = ids('Owner', 'Member', 'Stranger', 'Other');
  const [owner, member, stranger] = await Promise.all([ownerId, memberId, strangerId].map((id) => login(id!)));
  const cid = await create(owner!, [memberId!]);

  const invite = await stranger!.request(conv(OpType.add, { cid, m: [strangerId, otherId] }));
  assert.equal(invite.errorMessage?.code, 4309);
  assert.equal(invite.errorMessage?.reason, 'CONVERSATION_UPDATE_REJECTED');
  assert.match(invite.errorMessage?.detail ?? '', new RegExp(otherId!));
  const kick = await stranger!.request(conv(OpType.remove, { cid, m: [memberId] }));
  assert.equal(kick.errorMessage?.code, 4309);
  assert.deepEqual((await members(owner!, cid)).m, [memberId, ownerId].sort(), 'a refused request changes nothing');

  const creator = await member!.request(conv(OpType.remove, { cid, m: [ownerId] }));
  assert.equal(creator.errorMessage?.code, 4320);
  assert.equal(creator.errorMessage?.reason, 'CONVERSATION_OPERATION_UNAUTHORIZED');

  for (const [op, m] of [[OpType.add, []], [OpType.add, ['']], [OpType.remove, ['x'.repeat(65)]]] as const) {
    const bad = await owner!.request(conv(op, { cid, m }));
    assert.equal(bad.errorMessage?.code, 4301, JSON.stringify(m));
  }
  const missing = await owner!.request(conv(OpType.add, { cid: 'ffffffffffffffffffffffff', m: [otherId] }));
  assert.equal(missing.errorMessage?.code, 4303);

  const crowd = Array.from({ length: 498 }, (_, n) => `crowd-${run}-${n}`);
  const big = await create(owner!, crowd);
  const tooMany = await owner!.request(conv(OpType.add, { cid: big, m: ['extra-1', 'extra-2'] }));
  assert.equal(tooMany.errorMessage?.code, 4304);
  assert.equal(tooMany.errorMessage?.reason, 'CONVERSATION_FULL');
  const full = await owner!.request(conv(OpType.add, { cid: big, m: ['extra-1'] }));
  assert.deepEqual(full.convMessage?.allowedPids, ['extra-1']);
  assert.equal((await owner!.request(conv(OpType.count, { cid: big }))).convMessage?.count, 500);
  const again = await owner!.request(conv(OpType.add, { cid: big, m: ['extra-1'] }));
  assert.equal(again.op, OpType.added, 'adding a member again is no change, even when full');
});

test('v4 gets allowedPids and failedPids per member', async () => {
  const [ownerId, memberId, strangerId, otherId] = ids('Owner', 'Member', 'Stranger', 'Other');
  const owner = await login(ownerId!, V4);
  const member = await login(memberId!, { ua: 'js/4.3.1' });
  const stranger = await login(strangerId!, { configBitmap: 1 << 5 });
  const cid = await create(owner, [memberId!]);

  const partly = await stranger.request(conv(OpType.add, { cid, m: [strangerId, otherId] }));
  assert.equal(partly.op, OpType.added);
  assert.deepEqual(partly.convMessage?.allowedPids, [strangerId], 'joining needs no membership');
  const [failure] = partly.convMessage!.failedPids!;
  assert.deepEqual([failure!.code, failure!.reason, failure!.pids], [4309, 'CONVERSATION_UPDATE_REJECTED', [otherId]]);
  assert.deepEqual((await members(owner, cid)).m, [memberId, ownerId, strangerId].sort());

  // A plain member removes nobody; a manager removes members, never the owner (issue 12's roles).
  const asMember = await member.request(conv(OpType.remove, { cid, m: [ownerId, strangerId] }));
  assert.deepEqual(asMember.convMessage?.allowedPids, []);
  assert.deepEqual(asMember.convMessage?.failedPids?.map((f) => [f.code, [...f.pids!].sort()]), [[4320, [ownerId, strangerId].sort()]]);
  await owner.request(conv(OpType.member_info_update, { cid, targetClientId: memberId, info: { pid: memberId, role: 'Manager' } }));
  const removal = await member.request(conv(OpType.remove, { cid, m: [ownerId, strangerId] }));
  assert.deepEqual(removal.convMessage?.allowedPids, [strangerId]);
  assert.deepEqual(removal.convMessage?.failedPids?.map((f) => [f.code, f.pids]), [[4320, [ownerId]]]);
  assert.deepEqual((await members(owner, cid)).m, [memberId, ownerId].sort());
});

test('a member who left and came back reads what was said meanwhile; unread starts at the rejoin', async () => {
  const [tomId, jerryId] = ids('Tom', 'Jerry');
  const tom = await login(tomId!);
  const jerry = await login(jerryId!);
  const cid = await create(tom, [jerryId!]);
  await jerry.request(conv(OpType.remove, { cid, m: [jerryId] }));
  const sent: string[] = [];
  for (const text of ['while', 'you', 'were', 'away']) {
    const ack = await tom.request({ cmd: CommandType.direct, directMessage: { cid, msg: JSON.stringify({ _lctype: -1, _lctext: text }) } });
    sent.push(ack.ackMessage!.uid!);
  }
  const refused = await jerry.request({ cmd: CommandType.logs, logsMessage: { cid } });
  assert.equal(refused.errorMessage?.reason, 'CONVERSATION_LOG_REJECTED', 'not while away');
  await jerry.request(conv(OpType.add, { cid, m: [jerryId] }));
  const logs = await jerry.request({ cmd: CommandType.logs, logsMessage: { cid } });
  assert.deepEqual(logs.logsMessage?.logs?.map((log) => log.msgId), sent);

  const later = await env.connect();
  await later.login(TEST_APP.appId, jerryId!);
  await assert.rejects(later.take((c) => c.cmd === CommandType.unread, 300), /nothing/, 'what came before the rejoin is history, not unread');
});

test('a unique conversation answers for its current member set', async () => {
  const [aId, bId, cId] = ids('A', 'B', 'C');
  const a = await login(aId!);
  const original = await create(a, [bId!], { unique: true });
  await a.request(conv(OpType.add, { cid: original, m: [cId] }));
  const pair = await create(a, [bId!], { unique: true });
  assert.notEqual(pair, original, 'the old member set now makes a new conversation');
  assert.equal(await create(a, [bId!, cId!], { unique: true }), original, 'the new member set finds the original');

  // Back to [A, B], which `pair` holds already: `pair` keeps answering for it.
  await a.request(conv(OpType.remove, { cid: original, m: [cId] }));
  assert.equal(await create(a, [bId!], { unique: true }), pair);
  assert.notEqual(await create(a, [bId!, cId!], { unique: true }), original);
});

test('system conversations: clients subscribe and leave, but invite, kick and update nothing', async () => {
  const [userId, otherId] = ids('User', 'Other');
  const user = await login(userId!);
  const { conversation } = await env.server.server.store.createConversation({
    appId: TEST_APP.appId, creator: 'system', members: [], name: 'news', transient: false, system: true, unique: false, attributes: {},
  });
  const cid = conversation.id;
  assert.deepEqual((await user.request(conv(OpType.add, { cid, m: [userId] }))).convMessage?.allowedPids, [userId]);
  assert.equal((await user.request(conv(OpType.add, { cid, m: [otherId] }))).errorMessage?.code, 4307);
  const update = await user.request(conv(OpType.update, { cid, attr: { data: JSON.stringify({ name: 'mine' }) } }));
  assert.equal(update.errorMessage?.reason, 'CONVERSATION_READ_ONLY');
  assert.equal((await user.request(conv(OpType.remove, { cid, m: [userId] }))).op, OpType.removed);
});
