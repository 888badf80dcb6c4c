/**
 * `conv` pushes (protocol.md §4.2): membership changes and attribute
 * updates, applied to the cached conversation and then emitted on the
 * client and on the conversation with the guide's payloads (对话的成员管理):
 *
 * | push             | client / conversation event | payload                |
 * |------------------|-----------------------------|------------------------|
 * | `joined`         | `invited`                   | `{invitedBy}`          |
 * | `left`           | `kicked`                    | `{kickedBy}`           |
 * | `members_joined` | `membersjoined`             | `{members, invitedBy}` |
 * | `members_left`   | `membersleft`               | `{members, kickedBy}`  |
 * | `updated`        | `conversationinfoupdated` / `infoupdated` | `{attributes, updatedBy}` |
 * | `member_info_changed` | `memberinfoupdated`     | `{member, memberInfo, updatedBy}` (v4 roles) |
 * | `shutuped` / `unshutuped` | `muted` / `unmuted` | `{mutedBy}` / `{unmutedBy}` (v4 muted members) |
 * | `members_shutuped` / `members_unshutuped` | `membersmuted` / `membersunmuted` | `{members, mutedBy}` / `{members, unmutedBy}` |
 * | `blocked` / `unblocked` | `blocked` / `unblocked` | `{blockedBy}` / `{unblockedBy}` (v4 blocklist; `kicked` comes first) |
 */
import { OpType, type DecodedCommand } from '../protocol/index.js';
import type { Conversation } from './conversation.js';
import { decodeDate } from './dates.js';
import type { IMClient } from './im-client.js';
import { parseJsonObject } from './json-object.js';

/** Looks up (or fetches) the conversation of a push. */
export type ConversationLookup = (cid: string, noCache?: boolean) => Promise<Conversation>;

/** Applies one `conv` push and emits its events; other ops are ignored. */
export async function handleConvPush(client: IMClient, command: DecodedCommand, conversationFor: ConversationLookup): Promise<void> {
  const conv = command.convMessage;
  const cid = conv?.cid;
  if (!conv || !cid) return;
  const initBy = conv.initBy || undefined;
  const members = conv.m ?? [];
  switch (command.op) {
    case OpType.joined: {
      // Fetched afresh: a copy cached from before we were a member is stale.
      const conversation = await conversationFor(cid, true);
      if (!conversation.transient && !conversation.members.includes(client.id)) conversation.members = [...conversation.members, client.id];
      client.emit('invited', { invitedBy: initBy }, conversation);
      conversation.emit('invited', { invitedBy: initBy });
      return;
    }
    case OpType.left: {
      const conversation = await conversationFor(cid);
      if (!conversation.transient) conversation.members = conversation.members.filter((member) => member !== client.id);
      client.emit('kicked', { kickedBy: initBy }, conversation);
      conversation.emit('kicked', { kickedBy: initBy });
      return;
    }
    case OpType.members_joined: {
      const conversation = await conversationFor(cid);
      if (!conversation.transient) conversation.members = [...new Set([...conversation.members, ...members])];
      const payload = { members, invitedBy: initBy };
      client.emit('membersjoined', payload, conversation);
      conversation.emit('membersjoined', { ...payload });
      return;
    }
    case OpType.members_left: {
      const conversation = await conversationFor(cid);
      const left = new Set(members);
      // A member who leaves loses its role on the server too.
      for (const member of members) conversation._setMemberRole(member, 'Member');
      if (!conversation.transient) conversation.members = conversation.members.filter((member) => !left.has(member));
      const payload = { members, kickedBy: initBy };
      client.emit('membersleft', payload, conversation);
      conversation.emit('membersleft', { ...payload });
      return;
    }
    case OpType.updated: {
      const attributes = parseJsonObject(conv.attr?.data);
      if (!attributes) return;
      const conversation = await conversationFor(cid);
      conversation._applyRemoteAttributes(attributes, decodeDate(conv.udate));
      client.emit('conversationinfoupdated', { attributes, updatedBy: initBy }, conversation);
      conversation.emit('infoupdated', { attributes: structuredClone(attributes), updatedBy: initBy });
      return;
    }
    case OpType.member_info_changed: {
      const pid = conv.info?.pid;
      const role = conv.info?.role;
      if (!pid || !role) return;
      const conversation = await conversationFor(cid);
      const payload = { member: pid, memberInfo: conversation._setMemberRole(pid, role), updatedBy: initBy };
      client.emit('memberinfoupdated', payload, conversation);
      conversation.emit('memberinfoupdated', { ...payload });
      return;
    }
    case OpType.shutuped:
    case OpType.unshutuped: {
      const conversation = await conversationFor(cid);
      if (command.op === OpType.shutuped) {
        client.emit('muted', { mutedBy: initBy }, conversation);
        conversation.emit('muted', { mutedBy: initBy });
      } else {
        client.emit('unmuted', { unmutedBy: initBy }, conversation);
        conversation.emit('unmuted', { unmutedBy: initBy });
      }
      return;
    }
    case OpType.members_shutuped: {
      const conversation = await conversationFor(cid);
      client.emit('membersmuted', { members, mutedBy: initBy }, conversation);
      conversation.emit('membersmuted', { members: [...members], mutedBy: initBy });
      return;
    }
    case OpType.blocked:
    case OpType.unblocked: {
      const conversation = await conversationFor(cid);
      if (command.op === OpType.blocked) {
        client.emit('blocked', { blockedBy: initBy }, conversation);
        conversation.emit('blocked', { blockedBy: initBy });
      } else {
        client.emit('unblocked', { unblockedBy: initBy }, conversation);
        conversation.emit('unblocked', { unblockedBy: initBy });
      }
      return;
    }
    case OpType.members_unshutuped: {
      const conversation = await conversationFor(cid);
      client.emit('membersunmuted', { members, unmutedBy: initBy }, conversation);
      conversation.emit('membersunmuted', { members: [...members], unmutedBy: initBy });
      return;
    }
    default:
      return;
  }
}
