/**
 * Issue 12, member roles and muted members, with the official SDKs from
 * npm: 4.3.1's `updateMemberRole`, `getAllMemberInfo`/`getMemberInfo` (GET
 * https://<server>/1.1/classes/_ConversationMemberInfo, reached over plain
 * HTTP by rewriting the scheme on the axios instance lc4 requires, as in
 * official-notifications.test.ts), `muteMembers`, `unmuteMembers`,
 * `queryMutedMembers` and their events; the refusals (non-owners changing
 * roles, self-promotion, unknown roles, members kicking, muting or blocking,
 * the owner quitting, a muted member sending); and 3.5.7, which has none of
 * these calls, meeting the same rules through what it has.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { nextEvent, redirectV4Rest, v3, type OfficialRealtime } from './helpers/official-sdk.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const require = createRequire(import.meta.url);
// The official SDKs ship no types; these tests drive them as plain JavaScript.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Js = any;

let server: TestServer;
const realtimes: OfficialRealtime[] = [];
let rest: ReturnType<typeof redirectV4Rest> | undefined;
const lc4: Js = require('lc4');

before(async () => {
  server = await startTestServer();
  rest = redirectV4Rest(server.httpUrl);
});
after(async () => {
  rest?.stop();
  for (const realtime of realtimes) (realtime as Js)._close();
  await server.stop();
});

let run = 0;
function names<const T extends string[]>(...who: T): { [K in keyof T]: string } {
  run += 1;
  return who.map((name) => `${name}-r${run}`) as { [K in keyof T]: string };
}

/** 4.3.1 with `server`, so its REST calls reach this server. */
function login4(id: string): Promise<Js> {
  const realtime: Js = new lc4.Realtime({ appId: server.appId, appKey: server.appKey, RTMServers: server.wsUrl + '/', server: new URL(server.httpUrl).host });
  realtimes.push(realtime);
  return realtime.createIMClient(id);
}

function login3(id: string): Promise<Js> {
  const realtime: Js = v3.realtime({ appId: server.appId, appKey: server.appKey, wsUrl: server.wsUrl });
  realtimes.push(realtime);
  return realtime.createIMClient(id);
}

const rejectsWith = (code: number, name: string) => (error: Js) => {
  assert.equal(error.code, code, `${error.code} ${error.name}: ${error.message}`);
  assert.equal(error.name, name);
  return true;
};

describe('official SDK 4.3.1: member roles', () => {
  test('the owner promotes a member to Manager: every member gets memberinfoupdated, and getAllMemberInfo/getMemberInfo read the roles over REST', async () => {
    const [ownerId, bobId, carolId] = names('owner', 'bob', 'carol');
    const owner = await login4(ownerId);
    const bob = await login4(bobId);
    const carol = await login4(carolId);
    const conversation = await owner.createConversation({ members: [bobId, carolId], name: 'roles' });
    const bobsView = await bob.getConversation(conversation.id);
    const carolsView = await carol.getConversation(conversation.id);

    const before = await carolsView.getAllMemberInfo();
    assert.deepEqual(
      before.map((info: Js) => [info.memberId, info.role, info.isOwner]).sort(),
      [[bobId, 'Member', false], [carolId, 'Member', false], [ownerId, 'Owner', true]].sort(),
    );
    assert.ok(rest!.calls.some((url) => url.includes('/1.1/classes/_ConversationMemberInfo')));

    const seenByCarol = nextEvent<[Js]>(carolsView, 'memberinfoupdated');
    const seenByBob = nextEvent<[Js]>(bob, 'memberinfoupdated');
    await conversation.updateMemberRole(bobId, lc4.ConversationMemberRole.MANAGER);
    const [payload] = await seenByCarol;
    assert.equal(payload.member, bobId);
    assert.equal(payload.updatedBy, ownerId);
    assert.equal(payload.memberInfo.role, 'Manager');
    assert.equal((await seenByBob)[0].memberInfo.role, 'Manager');

    const fresh = await carolsView.getAllMemberInfo({ noCache: true });
    assert.equal(fresh.find((info: Js) => info.memberId === bobId).role, 'Manager');
    assert.equal(fresh.find((info: Js) => info.memberId === carolId).role, 'Member');
    const bobsInfo = await bobsView.getMemberInfo(bobId);
    assert.equal(bobsInfo.role, 'Manager');

    await conversation.updateMemberRole(bobId, lc4.ConversationMemberRole.MEMBER);
    assert.equal((await carolsView.getAllMemberInfo({ noCache: true })).find((info: Js) => info.memberId === bobId).role, 'Member');
  });

  test('refused: a manager promoting, a member promoting itself, the owner changing its own role, an unknown role, Owner itself', async () => {
    const [ownerId, managerId, memberId] = names('owner', 'manager', 'member');
    const owner = await login4(ownerId);
    const manager = await login4(managerId);
    const member = await login4(memberId);
    const conversation = await owner.createConversation({ members: [managerId, memberId] });
    await conversation.updateMemberRole(managerId, 'Manager');
    const managersView = await manager.getConversation(conversation.id);
    const membersView = await member.getConversation(conversation.id);

    await assert.rejects(managersView.updateMemberRole(memberId, 'Manager'), rejectsWith(4320, 'CONVERSATION_OPERATION_UNAUTHORIZED'));
    await assert.rejects(membersView.updateMemberRole(memberId, 'Manager'), rejectsWith(4320, 'CONVERSATION_OPERATION_UNAUTHORIZED'));
    await assert.rejects(conversation.updateMemberRole(ownerId, 'Member'), rejectsWith(4320, 'CONVERSATION_OPERATION_UNAUTHORIZED'));
    await assert.rejects(conversation.updateMemberRole(memberId, 'Admin'), rejectsWith(4321, 'UNKNOWN_CONVERSATION_ROLE'));
    await assert.rejects(conversation.updateMemberRole(memberId, 'Owner'), rejectsWith(5130, 'OWNER_PROMOTION_NOT_ALLOWED'));
    await assert.rejects(conversation.updateMemberRole(names('outsider')[0], 'Manager'), rejectsWith(4317, 'CONVERSATION_MEMBERSHIP_REQUIRED'));
    const roles = await membersView.getAllMemberInfo({ noCache: true });
    assert.deepEqual(
      roles.map((info: Js) => [info.memberId, info.role]).sort(),
      [[managerId, 'Manager'], [memberId, 'Member'], [ownerId, 'Owner']].sort(),
    );
  });

  test('only members read the member info: an outsider’s REST read is refused', async () => {
    const [ownerId, outsiderId] = names('owner', 'outsider');
    const owner = await login4(ownerId);
    const outsider = await login4(outsiderId);
    const conversation = await owner.createConversation({ members: [names('friend')[0]] });
    const outsidersView = await outsider.getConversation(conversation.id);
    await assert.rejects(outsidersView.getAllMemberInfo({ noCache: true }), (error: Js) => error.code === 4317);
  });

  /** An owner's conversation of two managers and two plain members (a, b), each 4.x client logged in. */
  async function withTwoManagers() {
    const [ownerId, managerId, otherManagerId, aId, bId] = names('owner', 'manager', 'manager2', 'a', 'b');
    const owner = await login4(ownerId);
    const manager = await login4(managerId);
    const a = await login4(aId);
    const conversation = await owner.createConversation({ members: [managerId, otherManagerId, aId, bId] });
    await conversation.updateMemberRole(managerId, 'Manager');
    await conversation.updateMemberRole(otherManagerId, 'Manager');
    return { ownerId, managerId, otherManagerId, aId, bId, manager, a, conversation };
  }

  test('removing: members may not kick, managers kick members but not managers or the owner, the owner cannot quit; partial results name both sides', async () => {
    const { ownerId, managerId, otherManagerId, aId, bId, manager, a, conversation } = await withTwoManagers();
    const managersView = await manager.getConversation(conversation.id);
    const asView = await a.getConversation(conversation.id);

    const byMember = await asView.remove([bId]);
    assert.deepEqual(byMember.successfulClientIds, []);
    assert.equal(byMember.failures[0].code, 4320);
    assert.deepEqual(byMember.failures[0].clientIds, [bId]);

    const byManager = await managersView.remove([bId, otherManagerId, ownerId]);
    assert.deepEqual(byManager.successfulClientIds, [bId]);
    assert.equal(byManager.failures.length, 1);
    assert.equal(byManager.failures[0].name, 'CONVERSATION_OPERATION_UNAUTHORIZED');
    assert.deepEqual([...byManager.failures[0].clientIds].sort(), [otherManagerId, ownerId].sort());

    await assert.rejects(conversation.quit(), rejectsWith(4324, 'CONVERSATION_NEED_OWNER'));
    const byOwner = await conversation.remove([otherManagerId, ownerId]);
    assert.deepEqual(byOwner.successfulClientIds, [otherManagerId]);
    assert.equal(byOwner.failures[0].code, 4324);
    assert.deepEqual(byOwner.failures[0].clientIds, [ownerId]);

    // A member may still add others and quit.
    const [cId] = names('c');
    assert.deepEqual((await asView.add([cId])).successfulClientIds, [cId]);
    await asView.quit();
    await conversation.fetch();
    assert.deepEqual([...conversation.members].sort(), [cId, managerId, ownerId].sort());
  });

  test('blocking: only the owner and managers; a manager cannot block another manager', async () => {
    const { ownerId, managerId, otherManagerId, aId, bId, manager, a, conversation } = await withTwoManagers();
    const asView = await a.getConversation(conversation.id);
    await assert.rejects(asView.blockMembers([bId]), rejectsWith(4320, 'CONVERSATION_OPERATION_UNAUTHORIZED'));
    const managersView = await manager.getConversation(conversation.id);
    const result = await managersView.blockMembers([bId, otherManagerId]);
    assert.deepEqual(result.successfulClientIds, [bId]);
    assert.deepEqual(result.failures[0].clientIds, [otherManagerId]);
    await assert.rejects(asView.unblockMembers([bId]), rejectsWith(4320, 'CONVERSATION_OPERATION_UNAUTHORIZED'));
    assert.deepEqual((await asView.queryBlockedMembers()).results, [bId]);
  });
});

describe('official SDK 4.3.1: muted members', () => {
  test('the owner mutes a member: muted/membersmuted fire, its sends get 4563, queryMutedMembers pages the list; unmuting lets it talk again', async () => {
    const [ownerId, carolId, daveId, eveId] = names('owner', 'carol', 'dave', 'eve');
    const owner = await login4(ownerId);
    const carol = await login4(carolId);
    const dave = await login4(daveId);
    const conversation = await owner.createConversation({ members: [carolId, daveId, eveId] });
    const carolsView = await carol.getConversation(conversation.id);
    const davesView = await dave.getConversation(conversation.id);

    const muted = nextEvent<[Js]>(carolsView, 'muted');
    const aboutIt = nextEvent<[Js]>(davesView, 'membersmuted');
    const result = await conversation.muteMembers([carolId, eveId, ownerId]);
    assert.deepEqual(result.successfulClientIds, [carolId, eveId]);
    assert.equal(result.failures.length, 1);
    assert.equal(result.failures[0].code, 4320);
    assert.deepEqual(result.failures[0].clientIds, [ownerId]);
    assert.equal((await muted)[0].mutedBy, ownerId);
    const [about] = await aboutIt;
    assert.deepEqual([[...about.members].sort(), about.mutedBy], [[carolId, eveId].sort(), ownerId]);

    await assert.rejects(carolsView.send(new lc4.TextMessage('let me speak')), rejectsWith(4563, 'SILIENCED'));
    await davesView.send(new lc4.TextMessage('I still can'));

    const first = await davesView.queryMutedMembers({ limit: 1 });
    assert.equal(first.results.length, 1);
    assert.ok(first.next);
    const second = await davesView.queryMutedMembers({ limit: 1, next: first.next });
    assert.deepEqual([...first.results, ...second.results].sort(), [carolId, eveId].sort());
    assert.ok(!second.next, `no page after the last: ${second.next}`);

    const unmuted = nextEvent<[Js]>(carolsView, 'unmuted');
    const aboutUnmute = nextEvent<[Js]>(davesView, 'membersunmuted');
    assert.deepEqual((await conversation.unmuteMembers(carolId)).successfulClientIds, [carolId]);
    assert.equal((await unmuted)[0].unmutedBy, ownerId);
    assert.deepEqual((await aboutUnmute)[0].members, [carolId]);
    await carolsView.send(new lc4.TextMessage('thanks'));
    assert.deepEqual((await davesView.queryMutedMembers()).results, [eveId]);
  });

  test('refused: members muting (4320), managers muting managers, muting a non-member; a mute outlives quitting and rejoining', async () => {
    const [ownerId, managerId, otherManagerId, aId, outsiderId] = names('owner', 'manager', 'manager2', 'a', 'outsider');
    const owner = await login4(ownerId);
    const manager = await login4(managerId);
    const a = await login4(aId);
    const conversation = await owner.createConversation({ members: [managerId, otherManagerId, aId] });
    await conversation.updateMemberRole(managerId, 'Manager');
    await conversation.updateMemberRole(otherManagerId, 'Manager');
    const asView = await a.getConversation(conversation.id);
    const managersView = await manager.getConversation(conversation.id);

    await assert.rejects(asView.muteMembers([managerId]), rejectsWith(4320, 'CONVERSATION_OPERATION_UNAUTHORIZED'));
    await assert.rejects(asView.unmuteMembers([managerId]), rejectsWith(4320, 'CONVERSATION_OPERATION_UNAUTHORIZED'));
    const byManager = await managersView.muteMembers([aId, otherManagerId, outsiderId, managerId]);
    assert.deepEqual(byManager.successfulClientIds, [aId]);
    const byCode = Object.fromEntries(byManager.failures.map((failure: Js) => [failure.code, [...failure.clientIds].sort()]));
    assert.deepEqual(byCode, { 4320: [managerId, otherManagerId].sort(), 4317: [outsiderId] });

    await asView.quit();
    await asView.join();
    await assert.rejects(asView.send(new lc4.TextMessage('fresh start?')), rejectsWith(4563, 'SILIENCED'));
  });
});

describe('official SDK 3.5.7, which has no roles or mute calls', () => {
  test('a muted 3.5.7 member’s send gets 4563 while the role and muting events go by; the 3.5.7 owner cannot quit; a 3.5.7 member cannot kick', async () => {
    const [ownerId, oldId, otherId] = names('owner', 'old', 'other');
    const owner = await login4(ownerId);
    const old = await login3(oldId);
    const other = await login3(otherId);
    const conversation = await owner.createConversation({ members: [oldId, otherId] });
    const oldView = await old.getConversation(conversation.id);
    await assert.rejects(oldView.remove([otherId]), (error: Js) => error.code === 4320);
    // 3.5.7 knows neither member_info_changed nor the shutup pushes: they go by without harm.
    await conversation.updateMemberRole(oldId, 'Manager');
    await conversation.updateMemberRole(oldId, 'Member');
    await conversation.muteMembers([oldId]);
    await assert.rejects(oldView.send(new v3.TextMessage('hello?')), (error: Js) => error.code === 4563 && error.message === 'SILIENCED');
    await conversation.unmuteMembers([oldId]);
    await oldView.send(new v3.TextMessage('back'));

    const [creatorId] = names('creator3');
    const creator = await login3(creatorId);
    const own = await creator.createConversation({ members: [otherId] });
    await assert.rejects(own.quit(), (error: Js) => error.code === 4324);
    await own.remove([otherId]);
    assert.deepEqual(own.members, [creatorId]);
  });
});
