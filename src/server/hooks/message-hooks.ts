/**
 * The message hooks where the handlers call them: `messageReceived` before
 * a message is stored, `receiversOffline` after, for the members with no
 * session (on this node) to receive it.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { ServerContext } from '../handlers/context.js';
import { errorFields } from '../observability/logger.js';
import type { ConversationRecord, MessageRecord } from '../store/types.js';

interface Payload {
  data: string;
  binary?: boolean | undefined;
}

/** Room a pushed frame needs besides the message's own bytes. */
const FRAME_OVERHEAD = 512;

/**
 * Asks the app's `messageReceived` hook, if it has one: returns the payload
 * to store (the app's new `content`, or the original), or throws
 * MESSAGE_REJECTED_BY_APP with the app's `code` (as `appCode`) and
 * `detail` when it dropped the message. Content must fit a frame, as the
 * client's own had to; binary messages keep their bytes.
 */
export async function applyMessageReceived(
  ctx: ServerContext,
  conversation: ConversationRecord,
  from: string,
  payload: Payload,
  transient: boolean,
): Promise<Payload> {
  if (!ctx.hooks.wants(conversation.appId, 'messageReceived')) return payload;
  const verdict = await ctx.hooks.messageReceived(conversation.appId, {
    convId: conversation.id,
    fromPeer: from,
    toPeers: conversation.members.filter((id) => id !== from),
    content: payload.data,
    bin: payload.binary === true,
    transient,
    room: conversation.transient,
    timestamp: Date.now(),
  });
  if (verdict.drop) {
    throw new ProtocolError(4402, { name: 'MESSAGE_REJECTED_BY_APP', detail: verdict.detail ?? 'dropped by the app', ...(verdict.code !== undefined ? { appCode: verdict.code } : {}) });
  }
  const content = verdict.content;
  if (content === undefined || payload.binary || content === payload.data) return payload;
  if (content === '' || Buffer.byteLength(content) > ctx.config.maxPayload - FRAME_OVERHEAD) {
    ctx.logger.warn({ appId: conversation.appId, event: 'messageReceived', bytes: Buffer.byteLength(content) }, 'hook content empty or too large: the original is kept');
    return payload;
  }
  return { data: content };
}

/**
 * Tells the app's `receiversOffline` hook who did not get a stored message
 * live, with the sender's `pushData`, so it can send its own push
 * notifications, and has Web Push notify those of them with a subscribed
 * browser who did not mute the conversation. Chat rooms have no offline
 * members; transient messages (no `seq`) are not pushed.
 */
export function notifyReceiversOffline(
  ctx: ServerContext,
  conversation: ConversationRecord,
  message: Pick<MessageRecord, 'id' | 'timestamp'> & { from?: string; data?: string; binary?: boolean; seq?: number },
  pushData: string | null | undefined,
): void {
  if (conversation.transient) return;
  const hook = ctx.hooks.wants(conversation.appId, 'receiversOffline');
  const pushing = ctx.webPush && message.seq !== undefined ? ctx.webPush : null;
  // Web Push's answer comes from memory (most messages: decided here, at no cost), or from the store once a second per app (push/subscriptions.ts).
  const wants = pushing ? pushing.wants(conversation.appId) : false;
  if (!hook && wants === false) return;
  const others = conversation.members.filter((id) => id !== message.from);
  if (others.length === 0) return;
  void Promise.resolve(wants)
    .then(async (wanted) => {
      const webPush = wanted ? pushing : null;
      if (!hook && !webPush) return;
      // Online anywhere in the cluster, not only on this node (presence/types.ts).
      const online = await ctx.presence.online(conversation.appId, others);
      const present = new Set(online);
      const offline = others.filter((id) => !present.has(id));
      if (offline.length === 0) return;
      if (webPush) webPush.notify(conversation.appId, conversation.id, offline.filter((id) => !conversation.mutedMembers.includes(id)), pushData);
      if (!hook) return;
      ctx.hooks.notify(conversation.appId, 'receiversOffline', {
        convId: conversation.id,
        fromPeer: message.from,
        offlinePeers: offline,
        messageId: message.id,
        timestamp: message.timestamp,
        content: message.data,
        bin: message.binary === true,
        ...(pushData ? { pushData } : {}),
      });
    })
    .catch((error: unknown) => ctx.logger.error({ appId: conversation.appId, convId: conversation.id, ...errorFields(error) }, 'receiversOffline: asking who is online failed'));
}
