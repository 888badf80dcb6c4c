/**
 * 对话的成员管理 with our SDK against a real server: join, add, quit and
 * remove resolve with the updated conversation, every party gets the
 * events of the guide's tables on the client and on the conversation,
 * count(), the 500-member limit, partial-success replies, and the FAQ's
 * "a member who left and rejoined reads the history in between".
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CommandType, OpType } from '../src/protocol/index.js';
import { Conversation, MembershipError, ProtocolError, TextMessage, type IMClient } from '../src/sdk/index.js';
import { membershipResult } from '../src/sdk/conversation-members.js';
import { decoded, eventWhere, nextEvent, record, recordingWebSocket, sdkEnvironment, until } from './helpers/sdk-env.js';

const env = sdkEnvironment();

/** The conversation as `client` sees it after `getConversation`. */
async function open(client: IMClient, id: string): Promise<Conversation> {
  const conversation = await client.getConversation(id);
  assert.ok(conversation, `${client.id} finds ${id}`);
  return conversation;
}

describe('成员管理 (members)', () => {
  test('join, add, quit, remove: results and the events of the guide’s tables', async () => {
    const [jerryId, bobId, harryId, williamId, tomId, maryId] = env.names('Jerry', 'Bob', 'Harry', 'William', 'Tom', 'Mary');
    const jerry = await env.login(jerryId);
    const bob = await env.login(bobId);
    const harry = await env.login(harryId);
    const william = await env.login(williamId);
    const tom = await env.login(tomId);
    const mary = await env.login(maryId);
    const conversation = await jerry.createConversation({ members: [bobId, harryId, williamId] });
    const id = conversation.id;
    const bobConversation = await open(bob, id);

    // Pushes of one step may still be in flight when the next starts: each
    // wait picks the event of its own step.
    const about = (member: string) => (payload: { members: string[] }) => payload.members.includes(member);

    // 自身主动加入: Tom joins.
    const jerrySeesTom = eventWhere(jerry, 'membersjoined', about(tomId));
    const tomConversation = await open(tom, id);
    const tomInvited = nextEvent(tom, 'invited');
    // Before joining, Tom gets the public view: no member list (security model).
    assert.equal(tomConversation.members.length, 0);
    assert.equal(await tomConversation.join(), tomConversation, 'join resolves with the conversation');
    // Joined, the SDK fetched the whole list.
    assert.deepEqual([...tomConversation.members].sort(), [jerryId, bobId, harryId, williamId, tomId].sort());
    assert.deepEqual((await jerrySeesTom)[0], { members: [tomId], invitedBy: tomId });
    assert.equal((await jerrySeesTom)[1], conversation, 'the event carries the cached instance');
    assert.deepEqual((await tomInvited)[0], { invitedBy: tomId });
    assert.ok(conversation.members.includes(tomId), 'the push updated Jerry’s copy');

    // 添加其他成员: Jerry adds Mary. 邀请者 membersjoined; 被邀请者 invited + membersjoined; 其他人 membersjoined.
    const inviter = eventWhere(jerry, 'membersjoined', about(maryId));
    const inviterOnConversation = eventWhere(conversation, 'membersjoined', about(maryId));
    const invitee = nextEvent(mary, 'invited');
    const inviteeJoined = eventWhere(mary, 'membersjoined', about(maryId));
    const other = eventWhere(bob, 'membersjoined', about(maryId));
    const otherOnConversation = eventWhere(bobConversation, 'membersjoined', about(maryId));
    assert.equal(await conversation.add([maryId]), conversation);
    assert.ok(conversation.members.includes(maryId));
    const joined = { members: [maryId], invitedBy: jerryId };
    assert.deepEqual((await inviter)[0], joined);
    assert.deepEqual((await inviterOnConversation)[0], joined);
    const [invitation, maryConversation] = await invitee;
    assert.deepEqual(invitation, { invitedBy: jerryId });
    assert.equal(maryConversation.id, id);
    assert.ok(maryConversation.members.includes(maryId), 'the invitee’s copy lists the invitee');
    assert.deepEqual((await inviteeJoined)[0], joined);
    assert.deepEqual((await other)[0], joined);
    assert.deepEqual((await otherOnConversation)[0], joined);
    assert.ok(bobConversation.members.includes(maryId));
    assert.equal(await conversation.count(), 6);

    // 自身退出对话: Tom quits.
    const jerrySeesQuit = eventWhere(jerry, 'membersleft', about(tomId));
    assert.equal(await tomConversation.quit(), tomConversation);
    assert.equal(tomConversation.members.includes(tomId), false);
    assert.deepEqual((await jerrySeesQuit)[0], { members: [tomId], kickedBy: tomId });
    assert.equal(conversation.members.includes(tomId), false);

    // 移除其他成员: William removes Harry. 操作者 membersleft; 被移除者 kicked; 其他人 membersleft.
    // Only the owner and managers remove others (issue 12's roles): Jerry, the owner, makes William a manager first.
    const williamConversation = await open(william, id);
    await assert.rejects(williamConversation.remove(harryId), (error: ProtocolError) => error.name === 'CONVERSATION_OPERATION_UNAUTHORIZED');
    await conversation.updateMemberRole(williamId, 'Manager');
    const operator = eventWhere(william, 'membersleft', about(harryId));
    const removed = nextEvent(harry, 'kicked');
    const removedOnConversation = nextEvent(await open(harry, id), 'kicked');
    const others = eventWhere(bob, 'membersleft', about(harryId));
    assert.equal(await williamConversation.remove(harryId), williamConversation, 'a single id is accepted');
    assert.deepEqual([...williamConversation.members].sort(), [jerryId, bobId, williamId, maryId].sort());
    const left = { members: [harryId], kickedBy: williamId };
    assert.deepEqual((await operator)[0], left);
    assert.deepEqual((await removed)[0], { kickedBy: williamId });
    assert.deepEqual((await removedOnConversation)[0], { kickedBy: williamId });
    assert.equal((await removed)[1].members.includes(harryId), false, 'the kicked member’s copy no longer lists them');
    assert.deepEqual((await others)[0], left);
    assert.equal(await conversation.count(), 4);

    // Everyone’s view agrees with the server’s.
    const fresh = (await (await env.login(jerryId)).getConversation(id))!;
    assert.deepEqual([...fresh.members].sort(), [jerryId, bobId, williamId, maryId].sort());
    assert.equal(fresh.creator, jerryId, 'the creator stays creator');
  });

  test('add and remove send sorted, deduplicated ids and sign them as add/remove', async () => {
    const [aliceId, bobId, carolId, daveId] = env.names('Alice', 'Bob', 'Carol', 'Dave');
    const recorder = recordingWebSocket();
    const signed: unknown[][] = [];
    const alice = await env.device({ WebSocket: recorder.WebSocket }).createIMClient(aliceId, {
      conversationSignatureFactory: (cid, clientId, ids, action) => {
        signed.push([cid, clientId, ids, action]);
        return { signature: 'not-checked', timestamp: Date.now(), nonce: 'n0nce' };
      },
    });
    const conversation = await alice.createConversation({ members: [bobId] });
    await conversation.add([daveId, carolId, daveId]).catch(() => {});
    await conversation.remove([daveId]).catch(() => {});
    assert.deepEqual(signed.slice(1), [
      [conversation.id, aliceId, [carolId, daveId], 'add'],
      [conversation.id, aliceId, [daveId], 'remove'],
    ]);
    const add = recorder.sent.find((c) => c.cmd === CommandType.conv && c.op === OpType.add)!;
    assert.deepEqual(add.convMessage?.m, [carolId, daveId]);
    assert.equal(add.convMessage?.cid, conversation.id);
    assert.equal(add.convMessage?.s, 'not-checked');
    assert.equal(add.convMessage?.n, 'n0nce');
    assert.ok(recorder.sent.some((c) => c.cmd === CommandType.conv && c.op === OpType.remove));
    assert.throws(() => conversation.addMembers([]), TypeError);
    assert.throws(() => conversation.addMembers(['']), TypeError);
  });

  test('at most 500 members: adding to a full conversation fails with 4304 CONVERSATION_FULL', async () => {
    const [ownerId] = env.names('Owner');
    const owner = await env.login(ownerId);
    const others = Array.from({ length: 499 }, (_, n) => `${ownerId}-m${n}`);
    const conversation = await owner.createConversation({ members: others });
    assert.equal(await conversation.count(), 500);
    await assert.rejects(conversation.add([`${ownerId}-extra`]), (error: unknown) => {
      assert.ok(error instanceof ProtocolError);
      assert.equal(error.code, 4304);
      return true;
    });
    assert.equal(conversation.members.includes(`${ownerId}-extra`), false);
    assert.equal(await conversation.count(), 500);
  });

  test('a member who left and rejoined reads the history of the time between (常见问题)', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const jerry = await env.login(jerryId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const jerryConversation = await open(jerry, conversation.id);
    await jerryConversation.quit();
    const missed = await conversation.send(new TextMessage('while Jerry was away'));
    await jerryConversation.join();
    const history = await jerryConversation.queryMessages({ limit: 10 });
    assert.deepEqual(history.map((message) => message.id), [missed.id]);
  });

  test('someone outside the conversation cannot add or remove members', async () => {
    const [ownerId, memberId, outsiderId, friendId] = env.names('Owner', 'Member', 'Outsider', 'Friend');
    const owner = await env.login(ownerId);
    const outsider = await env.login(outsiderId);
    const conversation = await owner.createConversation({ members: [memberId] });
    const seen = await open(outsider, conversation.id);
    // Refusals a server may choose (protocol.md §7): not allowed, not a member, unauthorized.
    const refused = (error: unknown) => {
      assert.ok(error instanceof ProtocolError);
      assert.ok([4308, 4309, 4317, 4320].includes(error.code), `refused with ${error.code} ${error.name}`);
      return true;
    };
    await assert.rejects(seen.add([friendId]), refused);
    await assert.rejects(seen.remove([memberId]), refused);
    await conversation.fetch();
    assert.deepEqual([...conversation.members].sort(), [ownerId, memberId].sort());
  });

  test('partial success: allowedPids/failedPids become successfulClientIds and MembershipErrors', () => {
    // The reply shapes of protocol.md §4.2, decoded.
    assert.deepEqual(membershipResult(['a', 'b'], {}), { successfulClientIds: ['a', 'b'], failures: [] }, 'a v3-style empty reply means all');
    const result = membershipResult(['a', 'b', 'c'], {
      allowedPids: ['a'],
      failedPids: [{ code: 4304, reason: 'CONVERSATION_FULL', pids: ['b', 'c'] }],
    });
    assert.deepEqual(result.successfulClientIds, ['a']);
    const [failure] = result.failures;
    assert.ok(failure instanceof MembershipError && failure instanceof ProtocolError);
    assert.equal(failure.code, 4304);
    assert.equal(failure.name, 'CONVERSATION_FULL');
    assert.deepEqual(failure.clientIds, ['b', 'c']);
    assert.deepEqual(membershipResult(['a'], { failedPids: [{ code: 4320, reason: 'X', pids: ['a'] }] }).successfulClientIds, []);
  });

  test('members pushes update a cached conversation in arrival order', async () => {
    const [aliceId, bobId, carolId] = env.names('Alice', 'Bob', 'Carol');
    const alice = await env.login(aliceId);
    const conversation = await alice.createConversation({ members: [bobId] });
    const joined = record(conversation, 'membersjoined');
    const left = record(alice, 'membersleft');
    // Pushes as the server sends them (protocol.md §4.2).
    alice._handlePush(decoded({ cmd: CommandType.conv, op: OpType.members_joined, convMessage: { cid: conversation.id, m: [carolId], initBy: bobId } }));
    alice._handlePush(decoded({ cmd: CommandType.conv, op: OpType.members_left, convMessage: { cid: conversation.id, m: [carolId, bobId], initBy: bobId } }));
    await until(() => left.length === 1);
    assert.deepEqual(joined, [[{ members: [carolId], invitedBy: bobId }]]);
    assert.deepEqual(left.map(([payload]) => payload), [{ members: [carolId, bobId], kickedBy: bobId }]);
    assert.deepEqual(conversation.members, [aliceId]);
  });
});
