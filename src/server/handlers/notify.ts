/**
 * Membership events (`joined`, `members_joined`, `left`, `members_left`):
 * recorded in the store for every recipient, online or not (with the member
 * change that causes them, in its transaction: see MemberEvents), then pushed to
 * those online, stamped with the recorded `serverTs`. What an offline client
 * missed is replayed after its reconnect (notification-replay.ts) or
 * fetched by v4 from GET /1.1/rtm/notifications (http/notifications.ts).
 */
import { CommandType, OpType, type Command } from '../../protocol/codec.js';
import type { MembershipEvent, RecordedNotification } from '../store/types.js';
import type { ServerContext } from './context.js';
import { push } from './push.js';

/**
 * Pushes events the store already recorded, with the member change that
 * caused them (MemberEvents), in their order.
 */
export async function pushRecorded(ctx: ServerContext, appId: string, notifications: readonly RecordedNotification[]): Promise<void> {
  for (const { recipients, event, seq, serverTs } of notifications) {
    ctx.pushClock.noteEvent(serverTs);
    await push(ctx, appId, recipients, membershipCommand(event, serverTs), { notificationSeq: seq });
  }
}

/** The conv push of an event, as sent live and replayed. */
export function membershipCommand(event: MembershipEvent, serverTs: number): Command {
  return {
    cmd: CommandType.conv,
    op: OpType[event.op],
    serverTs,
    convMessage: { cid: event.cid, initBy: event.initBy, ...(event.members ? { m: event.members } : {}), ...(event.info ? { info: event.info } : {}) },
  };
}
