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
    ...publicFields(conversation),
    m: options.compact ? [] : conversation.members,
    mu: conversation.mutedMembers,
  };
  if (conversation.lastMessageAt !== null) json.lm = date(conversation.lastMessageAt);
  // v4: a temporary conversation's remaining life in seconds (4.x sets expiredAt from it).
  if (conversation.expiresAt !== undefined) json.ttl = Math.max(0, Math.ceil((conversation.expiresAt - Date.now()) / 1000));
  const last = conversation.lastMessage;
  if (options.withLastMessage && last) {
    json.msg = last.data;
    // v4: the last message is binary, ‘msg’ its bytes in base64.
    if (last.binary) json.bin = true;
    json.msg_from = last.from;
    json.msg_mid = last.id;
    json.msg_timestamp = last.timestamp;
    if (last.patchTimestamp !== null) json.patch_timestamp = last.patchTimestamp;
  }
  return json;
}

/**
 * What a client that is not a member sees of a conversation it found (see
 * `QueryViewer`): never members, muted members or the last message; custom
 * attributes (but private ones) and `lm` only where `shared` (a chat room,
 * or an app with open queries). A normal conversation shows its size
 * instead of its members.
 */
export function publicConversationJson(
  conversation: ConversationRecord,
  options: { shared: boolean; privateAttributes: readonly string[] },
): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  if (options.shared) {
    const hidden = new Set(options.privateAttributes);
    for (const [key, value] of Object.entries(conversation.attributes)) if (!hidden.has(key)) json[key] = value;
    if (conversation.lastMessageAt !== null) json.lm = date(conversation.lastMessageAt);
  }
  Object.assign(json, publicFields(conversation));
  // A chat room has no member list for anyone: the empty one SDKs expect reveals nothing.
  if (conversation.transient) json.m = [];
  else json.memberCount = conversation.members.length;
  return json;
}

/** The columns anyone who found a conversation may see; they override custom attributes of the same name. */
function publicFields(conversation: ConversationRecord): Record<string, unknown> {
  return {
    objectId: conversation.id,
    c: conversation.creator,
    tr: conversation.transient,
    sys: conversation.system,
    unique: conversation.unique,
    createdAt: new Date(conversation.createdAt).toISOString(),
    updatedAt: new Date(conversation.updatedAt).toISOString(),
    ...(conversation.name !== null ? { name: conversation.name } : {}),
    ...(conversation.uniqueId !== null ? { uniqueId: conversation.uniqueId } : {}),
  };
}
