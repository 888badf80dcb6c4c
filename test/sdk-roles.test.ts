/**
 * Issue 12, member roles and muted members, with our SDK against a real
 * server: `updateMemberRole`, `getAllMemberInfo`/`getMemberInfo` (REST),
 * `muteMembers`, `unmuteMembers`, `queryMutedMembers`, their events, and
 * the refusals (non-owners changing roles, self-promotion, Owner, unknown
 * roles, members muting, a muted member sending, the owner quitting).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConversationMemberRole, TextMessage, type Conversation, type IMClient } from '../src/sdk/index.js';
import { nextEvent, sdkEnvironment } from './helpers/sdk-env.js';

const env = sdkEnvironment();

async function open(client: IMClient, id: string): Promise<Conversation> {
  const conversation = await client.getConversation(id);
  assert.ok(conversation, `${client.id} finds ${id}`);
  return conversation;
}

const rejectsWith = (code: number, name: string) => (error: { code: number; name: string }) => {
  assert.deepEqual([error.code, error.name], [code, name]);
  return true;
};

describe('member roles (our SDK)', () => {
  test('the owner makes a manager; members see memberinfoupdated and read every role', async () => {
    const [ownerId, bobId, carolId] = env.names('Owner', 'Bob', 'Carol');
    const owner = await env.login(ownerId);
    const bob = await env.login(bobId);
    const carol = await env.login(carolId);
    const conversation = await owner.createConversation({ members: [bobId, carolId] });
    const carolsView = await open(carol, conversation.id);
    const bobsView = await open(bob, conversation.id);

    const before = await carolsView.getAllMemberInfo();
    assert.deepEqual(
      before.map((info) => [info.memberId, info.role, info.isOwner]).sort(),
      [[bobId, 'Member', false], [carolId, 'Member', false], [ownerId, 'Owner', true]].sort(),
    );

    const event = nextEvent(carolsView, 'memberinfoupdated');
    const onClient = nextEvent(bob, 'memberinfoupdated');
    assert.equal(await conversation.updateMemberRole(bobId, ConversationMemberRole.MANAGER), conversation);
    const [payload] = await event;
    assert.deepEqual([payload.member, payload.updatedBy, payload.memberInfo.role], [bobId, ownerId, 'Manager']);
    assert.equal((await onClient)[1].id, conversation.id);
    assert.equal((await carolsView.getMemberInfo(bobId)).role, 'Manager', 'the event updated the cached roles');
    assert.equal((await bobsView.getAllMemberInfo({ noCache: true })).find((info) => info.memberId === bobId)?.role, 'Manager');
    assert.deepEqual((await bobsView.getMemberInfo(bobId)).toJSON(), { conversationId: conversation.id, memberId: bobId, role: 'Manager', isOwner: false });
    await assert.rejects(carolsView.getMemberInfo('nobody'), /not a member/);
  });

  test('refused: managers and members changing roles, self-promotion, the owner’s own role, Owner, unknown roles, outsiders reading', async () => {
    const [ownerId, managerId, memberId, outsiderId] = env.names('Owner', 'Manager', 'Member', 'Outsider');
    const owner = await env.login(ownerId);
    const manager = await env.login(managerId);
    const member = await env.login(memberId);
    const outsider = await env.login(outsiderId);
    const conversation = await owner.createConversation({ members: [managerId, memberId] });
    await conversation.updateMemberRole(managerId, 'Manager');
    const managersView = await open(manager, conversation.id);
    const membersView = await open(member, conversation.id);

    await assert.rejects(managersView.updateMemberRole(memberId, 'Manager'), rejectsWith(4320, 'CONVERSATION_OPERATION_UNAUTHORIZED'));
    await assert.rejects(membersView.updateMemberRole(memberId, 'Manager'), rejectsWith(4320, 'CONVERSATION_OPERATION_UNAUTHORIZED'));
    await assert.rejects(conversation.updateMemberRole(ownerId, 'Member'), rejectsWith(4320, 'CONVERSATION_OPERATION_UNAUTHORIZED'));
    await assert.rejects(conversation.updateMemberRole(memberId, 'Owner'), rejectsWith(5130, 'OWNER_PROMOTION_NOT_ALLOWED'));
    await assert.rejects(conversation.updateMemberRole(memberId, 'Boss'), rejectsWith(4321, 'UNKNOWN_CONVERSATION_ROLE'));
    await assert.rejects(conversation.updateMemberRole(outsiderId, 'Manager'), rejectsWith(4317, 'CONVERSATION_MEMBERSHIP_REQUIRED'));
    await assert.rejects(conversation.quit(), rejectsWith(4324, 'CONVERSATION_NEED_OWNER'));

    const outsidersView = await open(outsider, conversation.id);
    outsidersView.members = [...conversation.members];
    await assert.rejects(outsidersView.getAllMemberInfo(), rejectsWith(4317, 'CONVERSATION_MEMBERSHIP_REQUIRED'));
    assert.deepEqual(
      (await membersView.getAllMemberInfo({ noCache: true })).map((info) => [info.memberId, info.role]).sort(),
      [[managerId, 'Manager'], [memberId, 'Member'], [ownerId, 'Owner']].sort(),
    );
  });
});

describe('muted members (our SDK)', () => {
  test('mute, the muted one’s refused send, events, paging and unmute', async () => {
    const [ownerId, carolId, daveId, eveId] = env.names('Owner', 'Carol', 'Dave', 'Eve');
    const owner = await env.login(ownerId);
    const carol = await env.login(carolId);
    const dave = await env.login(daveId);
    const conversation = await owner.createConversation({ members: [carolId, daveId, eveId] });
    const carolsView = await open(carol, conversation.id);
    const davesView = await open(dave, conversation.id);

    const muted = nextEvent(carolsView, 'muted');
    const aboutIt = nextEvent(dave, 'membersmuted');
    const result = await conversation.muteMembers([carolId, eveId, ownerId]);
    assert.deepEqual(result.successfulClientIds, [carolId, eveId]);
    assert.deepEqual(result.failures.map((failure) => [failure.code, failure.clientIds]), [[4320, [ownerId]]]);
    assert.deepEqual((await muted)[0], { mutedBy: ownerId });
    const [about, where] = await aboutIt;
    assert.deepEqual([[...about.members].sort(), about.mutedBy, where.id], [[carolId, eveId].sort(), ownerId, conversation.id]);

    await assert.rejects(carolsView.send(new TextMessage('let me speak')), rejectsWith(4563, 'SILIENCED'));
    await davesView.send(new TextMessage('I still can'));
    await assert.rejects(davesView.muteMembers(carolId), rejectsWith(4320, 'CONVERSATION_OPERATION_UNAUTHORIZED'));

    const first = await davesView.queryMutedMembers({ limit: 1 });
    assert.equal(first.results.length, 1);
    assert.ok(first.next);
    const second = await davesView.queryMutedMembers({ limit: 1, next: first.next });
    assert.deepEqual([...first.results, ...second.results].sort(), [carolId, eveId].sort());
    assert.equal(second.next, undefined);

    const unmuted = nextEvent(carolsView, 'unmuted');
    const aboutUnmute = nextEvent(davesView, 'membersunmuted');
    assert.deepEqual((await conversation.unmuteMembers(carolId)).successfulClientIds, [carolId]);
    assert.deepEqual((await unmuted)[0], { unmutedBy: ownerId });
    assert.deepEqual((await aboutUnmute)[0], { members: [carolId], unmutedBy: ownerId });
    await carolsView.send(new TextMessage('thanks'));
    assert.deepEqual((await davesView.queryMutedMembers()).results, [eveId]);
  });
});

describe('blocking (our SDK)', () => {
  test('the owner blocks: the blocked one is kicked and cannot join back (4315); a member cannot block (4320); queryBlockedMembers pages; unblocking lets it join', async () => {
    const [ownerId, bobId, carolId] = env.names('Owner', 'Bob', 'Carol');
    const owner = await env.login(ownerId);
    const bob = await env.login(bobId);
    const carol = await env.login(carolId);
    const conversation = await owner.createConversation({ members: [bobId, carolId] });
    const bobsView = await open(bob, conversation.id);
    const carolsView = await open(carol, conversation.id);

    await assert.rejects(carolsView.blockMembers(bobId), rejectsWith(4320, 'CONVERSATION_OPERATION_UNAUTHORIZED'));
    const blocked = nextEvent(bobsView, 'blocked');
    const result = await conversation.blockMembers([bobId, 'never-a-member']);
    assert.deepEqual([...result.successfulClientIds].sort(), [bobId, 'never-a-member'].sort());
    assert.equal((await blocked)[0].blockedBy, ownerId);
    assert.deepEqual((await conversation.fetch()).members.sort(), [carolId, ownerId].sort(), 'blocking kicked bob');

    const first = await carolsView.queryBlockedMembers({ limit: 1 });
    const second = await carolsView.queryBlockedMembers({ limit: 1, next: first.next! });
    assert.deepEqual([...first.results, ...second.results].sort(), [bobId, 'never-a-member'].sort());
    assert.equal(second.next, undefined);

    await assert.rejects(bobsView.join(), rejectsWith(4315, 'CONVERSATION_BLACKLISTED'));
    assert.deepEqual((await conversation.unblockMembers(bobId)).successfulClientIds, [bobId]);
    await bobsView.join();
    assert.ok((await conversation.fetch()).members.includes(bobId));
  });
});
