import { encodeCommand, type Command } from '../../protocol/codec.js';
import type { ServerContext } from './context.js';

/**
 * Pushes a command to every online session of the given clients, on any
 * node. It is encoded once here; each node appends the recipient's peerId.
 */
export async function push(
  ctx: ServerContext,
  appId: string,
  clientIds: string[],
  command: Command,
  excludeSessionId?: string,
): Promise<void> {
  if (clientIds.length === 0) return;
  await ctx.broker.publish({
    appId,
    clientIds,
    payload: encodeCommand({ ...command, serverTs: command.serverTs ?? Date.now() }),
    ...(excludeSessionId === undefined ? {} : { excludeSessionId }),
  });
}
