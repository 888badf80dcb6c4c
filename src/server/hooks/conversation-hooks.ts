/** The conversation hooks (conversationStarted, membersChanged) where handlers and the REST API call them. */
import type { ServerContext } from '../handlers/context.js';
import type { ConversationRecord } from '../store/types.js';

/** A new conversation (not the unique one found again). */
export function notifyConversationStarted(ctx: ServerContext, conversation: ConversationRecord): void {
  ctx.hooks.notify(conversation.appId, 'conversationStarted', {
    convId: conversation.id,
    initBy: conversation.creator,
    members: conversation.members,
    name: conversation.name,
    transient: conversation.transient,
    system: conversation.system,
    timestamp: conversation.createdAt,
  });
}

/** Members added or removed (`changed` may be empty when every id was refused: then nothing is sent). */
export function notifyMembersChanged(ctx: ServerContext, conversation: ConversationRecord, action: 'add' | 'remove', initBy: string, changed: readonly string[]): void {
  if (changed.length === 0 || conversation.transient) return;
  ctx.hooks.notify(conversation.appId, 'membersChanged', { convId: conversation.id, op: action === 'add' ? 'added' : 'removed', initBy, members: changed, timestamp: Date.now() });
}
