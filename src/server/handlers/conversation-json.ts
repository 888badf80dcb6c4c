import type { ConversationRecord } from '../store/types.js';

const date = (ms: number) => ({ __type: 'Date', iso: new Date(ms).toISOString() });

/**
 * A conversation as the SDKs read query results: `_Conversation` column
 * names, custom attributes at the top level.
 */
export function conversationJson(
  conversation: ConversationRecord,
  options: { compact?: boolean; withLastMessage?: boolean } = {},
): Record<string, unknown> {
  const json: Record<string, unknown> = {
    ...conversation.attributes,
    objectId: conversation.id,
    c: conversation.creator,
    m: options.compact ? [] : conversation.members,
    mu: conversation.mutedMembers,
    tr: conversation.transient,
    sys: conversation.system,
    unique: conversation.unique,
    createdAt: new Date(conversation.createdAt).toISOString(),
    updatedAt: new Date(conversation.updatedAt).toISOString(),
  };
  if (conversation.name !== null) json.name = conversation.name;
  if (conversation.uniqueId !== null) json.uniqueId = conversation.uniqueId;
  if (conversation.lastMessageAt !== null) json.lm = date(conversation.lastMessageAt);
  const last = conversation.lastMessage;
  if (options.withLastMessage && last) {
    json.msg = last.data;
    json.msg_from = last.from;
    json.msg_mid = last.id;
    json.msg_timestamp = last.timestamp;
    if (last.patchTimestamp !== null) json.patch_timestamp = last.patchTimestamp;
  }
  return json;
}
