import { encodeCommand, type Command } from '../../protocol/codec.js';
import type { Delivery } from '../broker/types.js';
import type { ServerContext } from './context.js';

type PushOptions = Pick<Delivery, 'excludeSessionId' | 'takeover' | 'notificationTs'>;

/**
 * The newest membership event's serverTs seen by this process. Every push
 * carries serverTs, and v4 resumes its notification fetch from the last one
 * it saw (protocol.md §8): a push stamped before an event it follows would
 * make v4 fetch that event again. Events are stamped by the store, which may
 * run a millisecond or so ahead of the clock to keep them strictly increasing.
 */
let latestNotificationTs = 0;

/** A membership event's serverTs: later pushes are stamped no earlier. */
export function notePushedNotification(serverTs: number): void {
  latestNotificationTs = Math.max(latestNotificationTs, serverTs);
}

/**
 * Pushes a command to every online session of the given clients, on any
 * node. It is encoded once here; each node appends the recipient's peerId.
 */
export async function push(
  ctx: ServerContext,
  appId: string,
  clientIds: string[],
  command: Command,
  excludeSessionIdOrOptions?: string | PushOptions,
): Promise<void> {
  if (clientIds.length === 0) return;
  const options = typeof excludeSessionIdOrOptions === 'string' ? { excludeSessionId: excludeSessionIdOrOptions } : (excludeSessionIdOrOptions ?? {});
  await ctx.broker.publish({ appId, clientIds, payload: encode(command), ...options });
}

/**
 * Pushes a chat-room message to the room's viewers on every node. Its
 * priority decides what a viewer that reads too slowly may miss.
 */
export async function pushToRoom(
  ctx: ServerContext,
  appId: string,
  cid: string,
  command: Command,
  options: { excludeSessionId?: string | undefined; priority: number | undefined },
): Promise<void> {
  await ctx.broker.publish({
    appId,
    clientIds: [],
    roomId: cid,
    payload: encode(command),
    ...(options.excludeSessionId === undefined ? {} : { excludeSessionId: options.excludeSessionId }),
    ...(options.priority === undefined ? {} : { priority: options.priority }),
  });
}

function encode(command: Command): Uint8Array {
  return encodeCommand({ ...command, serverTs: command.serverTs ?? Math.max(Date.now(), latestNotificationTs) });
}
