/**
 * Membership events (`joined`, `members_joined`, `left`, `members_left`):
 * recorded in the store for every recipient, online or not, then pushed to
 * those online, stamped with the recorded `serverTs`. What an offline client
 * missed is replayed after its reconnect (notification-replay.ts) or
 * fetched by v4 from GET /1.1/rtm/notifications (http/notifications.ts).
 */
import { CommandType, OpType, type Command } from '../../protocol/codec.js';
import type { MembershipEvent } from '../store/types.js';
import type { ServerContext } from './context.js';
import { push } from './push.js';

export async function notify(ctx: ServerContext, appId: string, recipients: readonly string[], event: MembershipEvent): Promise<void> {
  const unique = [...new Set(recipients)];
  if (unique.length === 0) return;
  // Recorded first: an event is pushed only once it can also be replayed.
  const serverTs = await ctx.store.recordNotification(appId, unique, event);
  ctx.pushClock.noteEvent(serverTs);
  await push(ctx, appId, unique, membershipCommand(event, serverTs), { notificationTs: serverTs });
}

/** The conv push of an event, as sent live and replayed. */
export function membershipCommand(event: MembershipEvent, serverTs: number): Command {
  return {
    cmd: CommandType.conv,
    op: OpType[event.op],
    serverTs,
    convMessage: { cid: event.cid, initBy: event.initBy, ...(event.members ? { m: event.members } : {}) },
  };
}
