/**
 * Issue 16 item 8 with the official SDK 4.3.1 from npm: the conversation
 * blocklist through `blockMembers`, `unblockMembers`, `queryBlockedMembers`
 * and their events, and `blacklistSignatureFactory` where the app requires
 * signatures. The attacker is an ordinary v4 client trying to come back.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { conversationSigningString, loginSigningString, sign } from '../src/server/auth/signature.js';
import { describeBystander, startBystander } from './helpers/bystander.js';
import { nextEvent, v4, type OfficialRealtime } from './helpers/official-sdk.js';
import { startTestServer, TEST_APP, type TestServer } from './helpers/server.js';
import { Realtime } from '../src/sdk/index.js';

const require = createRequire(import.meta.url);
// The official SDK ships no types; these tests drive it as plain JavaScript.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Js = any;
const lc: Js = require('lc4');

let open: TestServer;
let signed: TestServer;
before(async () => {
  open = await startTestServer();
  signed = await startTestServer({ apps: [{ ...TEST_APP, requireSignature: true }] });
});
const realtimes: OfficialRealtime[] = [];
after(async () => {
  for (const realtime of realtimes) (realtime as Js)._close();
  await open.stop();
  await signed.stop();
});

function login(server: TestServer, id: string, options: Record<string, unknown> = {}): Promise<Js> {
  const realtime = v4.realtime({ appId: server.appId, appKey: server.appKey, wsUrl: server.wsUrl });
  realtimes.push(realtime);
  return (realtime as Js).createIMClient(id, options);
}

test('v4 blockMembers kicks and blocks: the troll cannot join again until unblockMembers; everyone gets the SDK’s events', async (t) => {
  const owner = await login(open, 'bl-owner');
  const friend = await login(open, 'bl-friend');
  const troll = await login(open, 'bl-troll');
  const conversation = await owner.createConversation({ members: ['bl-friend', 'bl-troll'], name: 'no trolls' });
  const trollsView = await troll.getConversation(conversation.id);
  const friendsView = await friend.getConversation(conversation.id);

  const by = await startBystander(open.wsUrl, 'official-blacklist');
  const kicked = nextEvent<[Js]>(trollsView, 'kicked');
  const blocked = nextEvent<[Js]>(trollsView, 'blocked');
  const membersBlocked = nextEvent<[Js]>(friendsView, 'membersblocked');
  const membersLeft = nextEvent<[Js]>(friendsView, 'membersleft');
  const result = await conversation.blockMembers(['bl-troll', 'bl-owner']);
  assert.deepEqual(result.successfulClientIds, ['bl-troll']);
  assert.equal(result.failures.length, 1);
  assert.equal(result.failures[0].code, 4320);
  assert.deepEqual(result.failures[0].clientIds, ['bl-owner']);
  assert.equal((await kicked)[0].kickedBy, 'bl-owner');
  assert.equal((await blocked)[0].blockedBy, 'bl-owner');
  assert.deepEqual((await membersLeft)[0].members, ['bl-troll']);
  const [about] = await membersBlocked;
  assert.deepEqual([about.members, about.blockedBy], [['bl-troll'], 'bl-owner']);

  await assert.rejects(trollsView.join(), (error: Js) => error.code === 4315 && error.name === 'CONVERSATION_BLACKLISTED');
  const viaFriend = await friendsView.add(['bl-troll']);
  assert.deepEqual(viaFriend.successfulClientIds, []);
  assert.equal(viaFriend.failures[0].code, 4315);

  const page = await friendsView.queryBlockedMembers();
  assert.deepEqual(page.results, ['bl-troll']);
  t.diagnostic(describeBystander('official-blacklist', await by.stop()));

  // Only the owner and managers unblock (issue 12's roles): the owner makes the friend a manager.
  await assert.rejects(friendsView.unblockMembers('bl-troll'), (error: Js) => error.code === 4320);
  await conversation.updateMemberRole('bl-friend', 'Manager');
  const unblockedEvent = nextEvent<[Js]>(trollsView, 'unblocked');
  const unblocked = await friendsView.unblockMembers('bl-troll');
  assert.deepEqual(unblocked.successfulClientIds, ['bl-troll']);
  assert.equal((await unblockedEvent)[0].unblockedBy, 'bl-friend');
  assert.deepEqual((await friendsView.queryBlockedMembers()).results, []);
  await trollsView.join();
  assert.ok(trollsView.members.includes('bl-troll'));
});

test('v4 blacklistSignatureFactory: signed blocks go through, unsigned ones get 4546', async () => {
  const masterKey = TEST_APP.masterKey;
  const signatureFactory = (clientId: string) => sign(masterKey, (ts, n) => loginSigningString(TEST_APP.appId, clientId, ts, n));
  const conversationSignatureFactory = (cid: string | null, clientId: string, ids: string[], action: string) =>
    sign(masterKey, (ts, n) => conversationSigningString(TEST_APP.appId, clientId, cid, ids, ts, n, action as 'create' | 'add' | 'remove'));
  const blacklistSignatureFactory = (clientId: string, cid: string, ids: string[], action: string) =>
    sign(masterKey, (ts, n) => [TEST_APP.appId, clientId, cid, [...ids].sort().join(':'), ts, n, action].join(':'));

  const owner = await login(signed, 'sig-owner', { signatureFactory, conversationSignatureFactory, blacklistSignatureFactory });
  const conversation = await owner.createConversation({ members: ['sig-a', 'sig-b'] });
  const result = await conversation.blockMembers(['sig-a', 'sig-b']);
  assert.deepEqual(result.successfulClientIds, ['sig-a', 'sig-b']);
  assert.deepEqual((await conversation.unblockMembers(['sig-b'])).successfulClientIds, ['sig-b']);

  const unsigned = await login(signed, 'sig-owner', { signatureFactory, conversationSignatureFactory });
  const same = await unsigned.getConversation(conversation.id);
  await assert.rejects(same.blockMembers('sig-c'), (error: Js) => error.code === 4546);
});

test('our SDK with blacklistSignatureFactory: signed blocks go through, unsigned ones get 4546', async () => {
  const masterKey = TEST_APP.masterKey;
  const realtime = new Realtime({ appId: signed.appId, appKey: signed.appKey, server: signed.wsUrl });
  try {
    const options = {
      signatureFactory: (clientId: string) => sign(masterKey, (ts, n) => loginSigningString(TEST_APP.appId, clientId, ts, n)),
      conversationSignatureFactory: (cid: string | null, clientId: string, ids: string[], action: 'create' | 'add' | 'remove') =>
        sign(masterKey, (ts, n) => conversationSigningString(TEST_APP.appId, clientId, cid, ids, ts, n, action)),
    };
    const owner = await realtime.createIMClient('ours-sig-owner', {
      ...options,
      blacklistSignatureFactory: (clientId, cid, ids, action) =>
        sign(masterKey, (ts, n) => [TEST_APP.appId, clientId, cid, ids.join(':'), ts, n, action].join(':')),
    });
    const conversation = await owner.createConversation({ members: ['ours-sig-b', 'ours-sig-a'] });
    assert.deepEqual((await conversation.blockMembers(['ours-sig-b', 'ours-sig-a'])).successfulClientIds.sort(), ['ours-sig-a', 'ours-sig-b']);
    assert.deepEqual((await conversation.unblockMembers('ours-sig-b')).successfulClientIds, ['ours-sig-b']);

    const unsigned = await realtime.createIMClient('ours-sig-other', options);
    const theirs = await unsigned.createConversation({ members: ['ours-sig-c'] });
    await assert.rejects(theirs.blockMembers('ours-sig-c'), (error: { code: number }) => error.code === 4546);
  } finally {
    await realtime.close();
  }
});

test('a v3.5.7 member, which knows no blocklist, keeps working while blocks and their events go by', async () => {
  const { v3 } = await import('./helpers/official-sdk.js');
  const realtime = v3.realtime({ appId: open.appId, appKey: open.appKey, wsUrl: open.wsUrl });
  realtimes.push(realtime);
  const old: Js = await realtime.createIMClient('bl3-old');
  const owner = await login(open, 'bl3-owner');
  const conversation = await owner.createConversation({ members: ['bl3-old', 'bl3-troll'] });
  await conversation.blockMembers('bl3-troll');
  await conversation.unblockMembers('bl3-troll');
  const oldView = await old.getConversation(conversation.id);
  const received = nextEvent<[Js]>(oldView, 'message');
  await conversation.send(new lc.TextMessage('still here?'));
  assert.equal((await received)[0].text, 'still here?');
  await oldView.send(new (require('lc3').TextMessage)('yes'));
});
