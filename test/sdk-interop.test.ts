/**
 * Our SDK and the official ones (3.5.7 and 4.3.1) in the same
 * conversations: each sees the other's member changes (invited,
 * membersjoined, membersleft, kicked) and delivery and read receipts.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { MessageStatus, TextMessage } from '../src/sdk/index.js';
import { nextEvent as officialEvent, v3, v4, type OfficialClient, type OfficialConversation, type OfficialMessage, type OfficialRealtime, type OfficialSdk } from './helpers/official-sdk.js';
import { nextEvent, sdkEnvironment, until } from './helpers/sdk-env.js';

const env = sdkEnvironment();

/** The parts of the official Conversation these tests use beyond the helper's interface. */
interface OfficialMembership extends OfficialConversation {
  add(ids: string[]): Promise<unknown>;
  remove(ids: string[]): Promise<unknown>;
  read(): Promise<unknown>;
  lastDeliveredAt: Date | null;
  lastReadAt: Date | null;
}
interface OfficialSent extends OfficialMessage {
  status: unknown;
}

const officialRealtimes: OfficialRealtime[] = [];
after(() => {
  for (const realtime of officialRealtimes) (realtime as unknown as { _close(): void })._close();
});

function officialLogin(sdk: OfficialSdk, id: string): Promise<OfficialClient> {
  const realtime = sdk.realtime({ appId: env.server.appId, appKey: env.server.appKey, wsUrl: env.server.wsUrl });
  officialRealtimes.push(realtime);
  return realtime.createIMClient(id);
}

for (const sdk of [v3, v4]) {
  describe(`our SDK with the official ${sdk.version}`, () => {
    test('member events both ways', async () => {
      const [jerryId, bobId, maryId] = env.names(`Jerry-${sdk.version}`, `Bob-${sdk.version}`, `Mary-${sdk.version}`);
      const jerry = await env.login(jerryId);
      const mary = await env.login(maryId);
      const bob = await officialLogin(sdk, bobId);

      // The official client is invited by ours.
      const bobInvited = officialEvent<[{ invitedBy: string }, OfficialConversation]>(bob, 'invited');
      const conversation = await jerry.createConversation({ members: [bobId] });
      const [invitation, bobConversation] = await bobInvited;
      assert.equal(invitation.invitedBy, jerryId);
      assert.equal(bobConversation.id, conversation.id);

      // Ours are invited by the official client.
      const maryInvited = nextEvent(mary, 'invited');
      const jerrySees = nextEvent(jerry, 'membersjoined');
      await (bobConversation as OfficialMembership).add([maryId]);
      assert.deepEqual((await maryInvited)[0], { invitedBy: bobId });
      assert.deepEqual((await jerrySees)[0], { members: [maryId], invitedBy: bobId });
      assert.ok(conversation.members.includes(maryId));

      // The official client sees ours remove someone, then is kicked itself.
      const bobSeesLeft = officialEvent<[{ members: string[]; kickedBy: string }]>(bob, 'membersleft');
      // Jerry's own session hears of it too, now after the reply to remove (issue 12, Ordering).
      const jerrySeesMaryLeave = nextEvent(jerry, 'membersleft');
      await conversation.remove([maryId]);
      assert.deepEqual((await jerrySeesMaryLeave)[0], { members: [maryId], kickedBy: jerryId });
      const [left] = await bobSeesLeft;
      assert.deepEqual(left.members, [maryId]);
      assert.equal(left.kickedBy, jerryId);
      const bobKicked = officialEvent<[{ kickedBy: string }]>(bob, 'kicked');
      const jerrySeesBobLeave = nextEvent(jerry, 'membersleft');
      await conversation.remove([bobId]);
      assert.equal((await bobKicked)[0].kickedBy, jerryId);
      assert.deepEqual((await jerrySeesBobLeave)[0], { members: [bobId], kickedBy: jerryId });
      assert.deepEqual(conversation.members, [jerryId]);
      await bob.close();
    });

    test('delivery and read receipts both ways', async () => {
      const [tomId, jerryId] = env.names(`Tom-${sdk.version}`, `Jerry-${sdk.version}`);
      const tom = await env.login(tomId);
      const jerry = await officialLogin(sdk, jerryId);
      const jerryGets = officialEvent<[OfficialMessage, OfficialMembership]>(jerry, 'message');

      // Ours asks for a receipt; the official SDK acknowledges delivery.
      const conversation = await tom.createConversation({ members: [jerryId] });
      const receipt = nextEvent(conversation, 'receipt', 5000);
      const sent = await conversation.send(new TextMessage('please confirm'), { receipt: true });
      const [, jerryConversation] = await jerryGets;
      const [{ message }] = await receipt;
      assert.equal(message, sent);
      assert.equal(sent.status, MessageStatus.DELIVERED);

      // The official SDK reads; ours learns it.
      const read = nextEvent(conversation, 'lastreadatupdate', 5000);
      await jerryConversation.read();
      await read;
      assert.ok(conversation.lastReadAt instanceof Date);

      // The official SDK asks for a receipt; ours acknowledges delivery.
      const tomGets = nextEvent(tom, 'message');
      const delivered = officialEvent<unknown[]>(jerryConversation, sdk === v3 ? 'receipt' : 'lastdeliveredatupdate', 5000);
      const official = (await jerryConversation.send(new sdk.TextMessage('and you?'), { receipt: true })) as OfficialSent;
      await tomGets;
      await delivered;
      await until(() => jerryConversation.lastDeliveredAt instanceof Date);
      assert.ok(official.id);

      // Ours reads; the official SDK learns it.
      const officialRead = officialEvent<[]>(jerryConversation, 'lastreadatupdate', 5000);
      await conversation.markAsRead();
      await officialRead;
      assert.ok(jerryConversation.lastReadAt instanceof Date);
      await jerry.close();
    });
  });
}
