/**
 * conv/update (name and custom attributes), conv/mute and conv/unmute.
 *
 * Update keys are paths: `"attr.k": 1` sets `k` inside `attr` (protocol.md
 * §4.2), which is how both official SDKs send `conversation.set('attr.k')`.
 * Members of a normal conversation may update; a chat room, which anyone
 * may view, only its creator; system conversations are read-only to
 * clients. The other participants get an `updated` push with
 * the changes as sent, which v4 applies path by path. Name and attributes
 * together are bounded in bytes and nesting (`maxAttributeBytes`,
 * `maxAttributeDepth`), on create and on every update.
 */
import { CommandType, OpType, type Command } from '../../protocol/codec.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { Session } from '../session/session.js';
import { attributeLimitViolation } from '../store/attributes.js';
import type { AttributeLimits, AttributeSet, ConversationRecord, ConversationUpdate } from '../store/types.js';
import type { Handler, ServerContext } from './context.js';
import { isParticipant, requireConversation, RESERVED_KEYS } from './conv.js';
import { push, pushToRoom } from './push.js';
import { parseJsonObject } from './validate.js';

const MAX_KEYS = 100;
const MAX_PATH_DEPTH = 8;
const MAX_PATH_LENGTH = 128;
/** Path segments that would reach into object prototypes. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

export const updateConversation: Handler = async (ctx, { command, session }) => {
  const request = command.convMessage ?? {};
  const conversation = await requireWritable(ctx, session, request.cid);
  const changes = parseJsonObject(request.attr?.data, 'CONVERSATION_UPDATE_FAILED', 'attr');
  const update = { ...parseUpdate(changes), limits: attributeLimits(ctx) };
  const updated =
    update.name === undefined && update.attributes.length === 0
      ? conversation
      : await ctx.store.updateConversation(session.appId, conversation.id, update);

  if (Object.keys(changes).length > 0) {
    const pushed: Command = {
      cmd: CommandType.conv,
      op: OpType.updated,
      convMessage: { cid: conversation.id, attr: { data: JSON.stringify(changes) }, initBy: session.clientId },
    };
    if (conversation.transient) await pushToRoom(ctx, session.appId, conversation.id, pushed, { excludeSessionId: session.id, priority: 1 });
    else await push(ctx, session.appId, updated.members, pushed, session.id);
  }
  return updatedReply(updated);
};

/** conv/mute: no offline push notifications for this member (`mu`). Meaningless in chat rooms, accepted there. */
export const muteConversation: Handler = (ctx, { command, session }) => setMuted(ctx, session, command.convMessage?.cid, true);

export const unmuteConversation: Handler = (ctx, { command, session }) => setMuted(ctx, session, command.convMessage?.cid, false);

async function setMuted(ctx: ServerContext, session: Session, cid: string | null | undefined, muted: boolean): Promise<Command> {
  const conversation = await requireConversation(ctx, session.appId, cid);
  if (conversation.transient) return updatedReply(conversation);
  if (!conversation.members.includes(session.clientId)) {
    throw ProtocolError.of('CONVERSATION_UPDATE_REJECTED', `${session.clientId} is not a member of ${conversation.id}`);
  }
  return updatedReply(await ctx.store.setMuted(session.appId, conversation.id, session.clientId, muted));
}

async function requireWritable(ctx: ServerContext, session: Session, cid: string | null | undefined): Promise<ConversationRecord> {
  const conversation = await requireConversation(ctx, session.appId, cid);
  if (conversation.system) throw ProtocolError.of('CONVERSATION_READ_ONLY', `${conversation.id} is a system conversation`);
  if (conversation.transient) {
    // Viewers are whoever walked in: renaming the room for all of them is its owner's call.
    if (conversation.creator !== session.clientId) {
      throw ProtocolError.of('CONVERSATION_OPERATION_UNAUTHORIZED', `only the creator of chat room ${conversation.id} may update it`);
    }
  } else if (!isParticipant(ctx, session, conversation)) {
    throw ProtocolError.of('CONVERSATION_UPDATE_REJECTED', `${session.clientId} is not a member of ${conversation.id}`);
  }
  return conversation;
}

export function attributeLimits(ctx: ServerContext): AttributeLimits {
  return { maxBytes: ctx.config.maxAttributeBytes, maxDepth: ctx.config.maxAttributeDepth };
}

/** conv/start's attributes, refused (CONVERSATION_API_FAILED) when over the limits. */
export function checkNewAttributes(ctx: ServerContext, name: string | null, attributes: Record<string, unknown>): void {
  const violation = attributeLimitViolation(name, attributes, attributeLimits(ctx));
  if (violation) throw ProtocolError.of('CONVERSATION_API_FAILED', violation);
}

/** `{name, "attr.k": v, topic: v}` → the name and the attribute paths to set. */
export function parseUpdate(changes: Record<string, unknown>): ConversationUpdate {
  const keys = Object.keys(changes);
  if (keys.length > MAX_KEYS) throw ProtocolError.of('CONVERSATION_UPDATE_FAILED', `at most ${MAX_KEYS} keys per update`);
  const update: ConversationUpdate = { attributes: [] };
  for (const key of keys) {
    const value = changes[key];
    if (key === 'name') {
      if (value !== null && typeof value !== 'string') throw ProtocolError.of('CONVERSATION_UPDATE_FAILED', 'name must be a string');
      update.name = value;
      continue;
    }
    update.attributes.push({ path: attributePath(key), value });
  }
  return update;
}

function attributePath(key: string): AttributeSet['path'] {
  const path = key.split('.');
  const bad = (why: string) => ProtocolError.of('CONVERSATION_UPDATE_FAILED', `${JSON.stringify(key.slice(0, 80))}: ${why}`);
  if (key.length > MAX_PATH_LENGTH || path.length > MAX_PATH_DEPTH) throw bad('path too long');
  if (path.some((segment) => segment === '')) throw bad('empty path segment');
  if (path.some((segment) => FORBIDDEN_SEGMENTS.has(segment))) throw bad('forbidden path segment');
  if (RESERVED_KEYS.has(path[0]!) || path[0] === 'name') throw bad(`${path[0]} is reserved`);
  return path;
}

function updatedReply(conversation: ConversationRecord): Command {
  return { cmd: CommandType.conv, op: OpType.updated, convMessage: { udate: new Date(conversation.updatedAt).toISOString() } };
}
