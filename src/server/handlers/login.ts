/**
 * Single-device login (protocol.md §4.1, the guide's 单点登录): among a
 * client's sessions, one per tag. A fresh login with a tag takes over:
 * sessions with that tag from other devices get `session closed 4111` and
 * are logged out. A reconnect never takes over: if another device holds
 * the tag now, the reconnect is refused with 4111 instead. No tag, no
 * limit.
 *
 * Reconnects carry no tag or device id from v4 (nor from v3 holding a
 * valid token), so the tag and device of the login a token was issued to
 * are looked up in the presence, which knows the logins of every node.
 */
import { CommandType, OpType, type ISessionCommand } from '../../protocol/codec.js';
import { errorCode, ProtocolError } from '../../protocol/errors.js';
import type { LoginFacts } from '../presence/types.js';
import type { ServerContext } from './context.js';
import { push } from './push.js';

export async function admitLogin(ctx: ServerContext, appId: string, clientId: string, request: ISessionCommand | undefined): Promise<LoginFacts> {
  const reconnect = request?.r === true;
  const remembered = reconnect && request?.st ? await ctx.presence.recallLogin(appId, request.st) : undefined;
  const tag = request?.tag || remembered?.tag || null;
  const deviceId = request?.deviceId || remembered?.deviceId || null;
  if (tag === null) return { tag, deviceId };
  if (reconnect) {
    const holders = await ctx.presence.tagHolders(appId, clientId, tag);
    if (holders.some((holder) => holder !== deviceId)) {
      throw ProtocolError.of('SESSION_CONFLICT', `${clientId} is logged in with tag ${tag} on another device`);
    }
    return { tag, deviceId };
  }
  await push(
    ctx,
    appId,
    [clientId],
    {
      cmd: CommandType.session,
      op: OpType.closed,
      sessionMessage: { code: errorCode('SESSION_CONFLICT'), reason: 'SESSION_CONFLICT', detail: `logged in with tag ${tag} on another device` },
    },
    { takeover: { tag, deviceId } },
  );
  return { tag, deviceId };
}
