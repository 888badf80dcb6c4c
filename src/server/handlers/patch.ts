/**
 * patch/modify: recall (`recall: true`) or edit (`data`) one's own
 * messages. The sender's other sessions and the other members get a
 * `patch/modify` push; history and unread notices show the patched
 * payload from then on. Only a current member (chat rooms: viewer) may
 * patch: a kicked sender cannot rewrite what the others still read.
 */
import { CommandType, OpType, base64ToBytes, type IPatchCommand } from '../../protocol/codec.js';
import { ProtocolError } from '../../protocol/errors.js';
import { RECALLED_PAYLOAD, type MessageRecord } from '../store/types.js';
import { storedPayload } from './binary.js';
import { isParticipant } from './conv.js';
import type { Handler } from './context.js';
import { push, pushToRoom } from './push.js';
import { MAX_MEMBERS, isValidClientId } from './validate.js';

/** One command may patch a few messages at once; the SDKs send one. */
const MAX_PATCHES = 20;

type PatchItem = NonNullable<IPatchCommand['patches']>[number];

export const patchMessages: Handler = async (ctx, { command, session }) => {
  const patches = command.patchMessage?.patches ?? [];
  if (patches.length === 0) throw ProtocolError.of('MESSAGE_NOT_FOUND', 'patches is empty');
  if (patches.length > MAX_PATCHES) throw ProtocolError.of('MESSAGE_UPDATE_REJECTED_BY_APP', `at most ${MAX_PATCHES} patches per command`);
  let lastPatchTime = 0;
  for (const patch of patches) {
    if (!patch.cid || !patch.mid) throw ProtocolError.of('MESSAGE_NOT_FOUND', 'cid and mid are required');
    const recall = patch.recall === true;
    // An edit carries the new text (data) or, v4, new bytes (binaryMsg): one of them.
    const payload = recall ? undefined : storedPayload(patch.data, patch.binaryMsg);
    if (!recall && !payload) throw ProtocolError.of('MESSAGE_UPDATE_REJECTED_BY_APP', 'an edit needs the new data or binaryMsg (one of them)');
    const mentionPids = patch.mentionPids ?? [];
    if (!mentionPids.every(isValidClientId)) throw ProtocolError.of('MESSAGE_UPDATE_REJECTED_BY_APP', 'invalid client id in mentionPids');
    if (mentionPids.length > MAX_MEMBERS) throw ProtocolError.of('MESSAGE_UPDATE_REJECTED_BY_APP', `more than ${MAX_MEMBERS} mentionPids`);
    const conversation = await ctx.store.getConversation(session.appId, patch.cid);
    if (!conversation) throw ProtocolError.of('MESSAGE_NOT_FOUND', `no conversation ${patch.cid}`);
    // Patching speaks to the current members: a sender who left or was kicked has no voice there any more.
    if (!isParticipant(ctx, session, conversation)) {
      throw ProtocolError.of('INVALID_MESSAGING_TARGET', `${session.clientId} is not a member of ${patch.cid}`);
    }
    if (conversation.system) throw ProtocolError.of('CONVERSATION_READ_ONLY', `${patch.cid} is a system conversation`);
    const patched = await ctx.store.patchMessage({
      appId: session.appId,
      cid: patch.cid,
      id: patch.mid,
      from: session.clientId,
      data: payload ? payload.data : null,
      ...(payload?.binary ? { binary: true } : {}),
      mentionPids,
      mentionAll: patch.mentionAll === true,
    });
    lastPatchTime = Math.max(lastPatchTime, patched.patchTimestamp!);
    const pushed = { cmd: CommandType.patch, op: OpType.modify, patchMessage: { patches: [patchItem(patched)] } };
    // Chat rooms have no member list: their viewers here get it, as a message no slow viewer may miss.
    if (conversation.transient) await pushToRoom(ctx, session.appId, conversation.id, pushed, { excludeSessionId: session.id, priority: 1 });
    else await push(ctx, session.appId, conversation.members, pushed, session.id);
  }
  return { cmd: CommandType.patch, op: OpType.modified, patchMessage: { lastPatchTime } };
};

/** A patched message as pushed; v3 reads `timestamp` and `patchTimestamp` unconditionally. */
export function patchItem(message: MessageRecord): PatchItem {
  // The store keeps exactly this payload for a recall.
  const recall = message.data === RECALLED_PAYLOAD;
  return {
    cid: message.cid,
    mid: message.id,
    timestamp: message.timestamp,
    recall,
    // v4 reads binaryMsg before data.
    ...(message.binary ? { binaryMsg: base64ToBytes(message.data) } : { data: message.data }),
    patchTimestamp: message.patchTimestamp ?? message.timestamp,
    from: message.from,
    ...(message.mentionPids.length ? { mentionPids: message.mentionPids } : {}),
    ...(message.mentionAll ? { mentionAll: true } : {}),
  };
}
