/**
 * Issue 4 with our SDK: membership events a device misses while offline
 * (invited to a new conversation, kicked from one, someone joining another)
 * fire after it reconnects, each once (in order within each conversation),
 * on the client and on the conversation; those it got live before going
 * offline do not fire again.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Conversation, IMClient } from '../src/sdk/index.js';
import { delay, goOffline, nextEvent, sdkEnvironment, until } from './helpers/sdk-env.js';

const env = sdkEnvironment();


/** Every membership event of a client, as `<event> <conversation> <by> [members]`. */
function recordMembership(client: IMClient): string[] {
  const seen: string[] = [];
  client.on('invited', ({ invitedBy }, conversation) => seen.push(`invited ${conversation.id} ${invitedBy}`));
  client.on('kicked', ({ kickedBy }, conversation) => seen.push(`kicked ${conversation.id} ${kickedBy}`));
  client.on('membersjoined', ({ members, invitedBy }, conversation) => seen.push(`membersjoined ${conversation.id} ${invitedBy} ${members.join()}`));
  client.on('membersleft', ({ members, kickedBy }, conversation) => seen.push(`membersleft ${conversation.id} ${kickedBy} ${members.join()}`));
  return seen;
}

describe('membership events after a reconnect', () => {
  test('invited, kicked and membersjoined missed offline fire once after the reconnect', { timeout: 30_000 }, async () => {
    const [tomId, bobId, jerryId] = env.names('Tom', 'Bob', 'Jerry');
    const tom = await env.login(tomId);
    const bob = await env.login(bobId);
    const device = env.device();
    const jerry = await device.createIMClient(jerryId);
    const seen = recordMembership(jerry);

    const b = await tom.createConversation({ members: [jerryId] });
    const c = await tom.createConversation({ members: [jerryId] });
    await until(() => seen.length === 2, 5000, 'the live invitations');
    assert.deepEqual(seen.splice(0), [`invited ${b.id} ${tomId}`, `invited ${c.id} ${tomId}`]);
    const jerrysC = await jerry.getConversation(c.id);
    assert.ok(jerrysC);
    const onC: string[] = [];
    jerrysC.on('membersjoined', ({ members }) => onC.push(members.join()));

    await goOffline(device, jerry, tom);
    const a: Conversation = await tom.createConversation({ members: [] });
    await a.add([jerryId]);
    await b.remove([jerryId]);
    const bobsC = await bob.getConversation(c.id);
    assert.ok(bobsC);
    await bobsC.join();
    assert.deepEqual(seen, [], 'nothing while offline');

    const back = nextEvent(jerry, 'reconnect');
    device.resume();
    await back;
    const expected = [
      `invited ${a.id} ${tomId}`,
      `membersjoined ${a.id} ${tomId} ${jerryId}`,
      `kicked ${b.id} ${tomId}`,
      `membersjoined ${c.id} ${bobId} ${bobId}`,
    ];
    await until(() => seen.length >= expected.length, 5000, `${expected.length} membership events`);
    await delay(300);
    // The SDK keeps the order of each conversation's pushes, not across
    // conversations (an invitation waits for its conversation to be fetched).
    assert.deepEqual([...seen].sort(), [...expected].sort(), 'each missed event once, none from before');
    const of = (list: string[], cid: string) => list.filter((line) => line.includes(` ${cid} `));
    for (const cid of [a.id, b.id, c.id]) assert.deepEqual(of(seen, cid), of(expected, cid), `in order within ${cid}`);
    assert.deepEqual(onC, [bobId], 'on the conversation too');
    assert.ok(jerrysC.members.includes(bobId), 'the replayed push updated Jerry’s copy of C');
  });
});
