import { encodeCommand, type Command } from '../../protocol/codec.js';
import type { Delivery } from '../broker/types.js';
import type { ServerContext } from './context.js';

type PushOptions = Pick<Delivery, 'excludeSessionId' | 'takeover' | 'notificationSeq'>;

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
  const options = typeof excludeSessionIdOrOptions === 'string' ? { excludeSessionId: excludeSessionIdOrOptions } : excludeSessionIdOrOptions;
  await pushEncoded(ctx, appId, clientIds, encode(ctx, command), options);
}

/**
 * `push` for a command already encoded with its `serverTs` (the direct
 * batch's pushes, direct-frames.ts): no copy of the command, no async
 * frame of its own. A broker that throws at once rejects, as `push` does.
 */
export function pushEncoded(ctx: ServerContext, appId: string, clientIds: string[], payload: Uint8Array, options?: PushOptions): Promise<void> {
  if (clientIds.length === 0) return Promise.resolve();
  try {
    return ctx.broker.publish({ appId, clientIds, payload, ...options });
  } catch (error) {
    return Promise.reject(error);
  }
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
    payload: encode(ctx, command),
    ...(options.excludeSessionId === undefined ? {} : { excludeSessionId: options.excludeSessionId }),
    ...(options.priority === undefined ? {} : { priority: options.priority }),
  });
}

function encode(ctx: ServerContext, command: Command): Uint8Array {
  return encodeCommand({ ...command, serverTs: command.serverTs ?? ctx.pushClock.now() });
}
