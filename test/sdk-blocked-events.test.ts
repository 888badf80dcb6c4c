/**
 * Our SDK's `blocked`/`unblocked` events (issue 12, for the widgets): the
 * server pushes `conv blocked` after `left` to a member it blocks, and
 * `unblocked` when it is unblocked; the SDK emits them on the client and
 * on the conversation with the official 4.x SDK's payload shape.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandType, OpType, type Command } from '../src/protocol/codec.js';
import { RawClient } from './helpers/raw-client.js';
import { nextEvent, sdkEnvironment } from './helpers/sdk-env.js';

const env = sdkEnvironment();

const blacklist = (op: OpType, blacklistMessage: Record<string, unknown>): Command => ({ cmd: CommandType.blacklist, op, blacklistMessage });

test('our SDK: a blocked member gets kicked then blocked, and unblocked, on the client and the conversation', async (t) => {
  const [ownerId, memberId] = env.names('owner', 'member');
  const member = await env.login(memberId);
  const ownerSdk = await env.login(ownerId);
  const conversation = await ownerSdk.createConversation({ members: [memberId], name: 'moderated' });
  const mine = await member.getConversation(conversation.id);
  assert.ok(mine);
  const owner = await RawClient.connect(env.server.wsUrl);
  t.after(() => owner.close());
  await owner.login(env.server.appId, ownerId);

  const kicked = nextEvent(member, 'kicked');
  const blocked = nextEvent(member, 'blocked');
  const blockedHere = nextEvent(mine, 'blocked');
  const reply = await owner.request(blacklist(OpType.block, { srcCid: conversation.id, toPids: [memberId] }));
  assert.equal(reply.cmd, CommandType.blacklist, reply.errorMessage?.detail ?? '');
  const [, kickedFrom] = await kicked;
  assert.equal(kickedFrom.id, conversation.id);
  const [payload, blockedFrom] = await blocked;
  assert.deepEqual(payload, { blockedBy: ownerId });
  assert.equal(blockedFrom.id, conversation.id);
  assert.deepEqual((await blockedHere)[0], { blockedBy: ownerId });

  const unblocked = nextEvent(member, 'unblocked');
  const unblockReply = await owner.request(blacklist(OpType.unblock, { srcCid: conversation.id, toPids: [memberId] }));
  assert.equal(unblockReply.cmd, CommandType.blacklist, unblockReply.errorMessage?.detail ?? '');
  const [unblockPayload, unblockedFrom] = await unblocked;
  assert.deepEqual(unblockPayload, { unblockedBy: ownerId });
  assert.equal(unblockedFrom.id, conversation.id);
});
