/**
 * Server-side REST: clients. Who is online, and kicking a client off
 * (`/1.2/rtm/clients/check-online`, `/1.2/rtm/clients/{id}/kick`).
 *
 * Both answer for the whole cluster, whichever node gets the request: the
 * check asks the presence (shared through Redis with several nodes), and
 * the kick goes through the broker to every node holding a session of the
 * client.
 */
import { CommandType, OpType, encodeCommand } from '../../protocol/codec.js';
import { errorCode } from '../../protocol/errors.js';
import type { ServerContext } from '../handlers/context.js';
import { isValidClientId } from '../handlers/validate.js';
import { RestFailure } from './rest-request.js';

/** As LeanCloud's: at most 20 ids per check. */
const MAX_CHECKED = 20;
/** As LeanCloud's: a kick's reason is at most 20 characters. */
const MAX_REASON = 20;

/** `POST /1.2/rtm/clients/check-online` `{client_ids}` → `{results: [those online]}`. */
export async function checkOnline(ctx: ServerContext, appId: string, body: Record<string, unknown>): Promise<{ results: string[] }> {
  const ids = body.client_ids;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_CHECKED || !ids.every(isValidClientId)) {
    throw RestFailure.bad('CONVERSATION_API_FAILED', `client_ids must be 1..${MAX_CHECKED} client ids`);
  }
  return { results: await ctx.presence.online(appId, [...new Set(ids)]) };
}

/**
 * `POST /1.2/rtm/clients/{id}/kick` `{reason}`: every session of the client,
 * on every node, gets `session closed` with 4115 KICKED_BY_APP (the SDKs
 * then stay logged out rather than reconnect) and is ended; its socket
 * stays open for its other clients. Answered once the kick is published
 * (this node's sessions are ended by then; the other nodes' a moment later).
 */
export async function kick(ctx: ServerContext, appId: string, clientId: string, body: Record<string, unknown>): Promise<Record<string, never>> {
  if (!isValidClientId(clientId)) throw RestFailure.bad('CONVERSATION_API_FAILED', 'not a client id');
  const { reason } = body;
  if (reason !== undefined && (typeof reason !== 'string' || reason.length > MAX_REASON)) {
    throw RestFailure.bad('CONVERSATION_API_FAILED', `reason must be a string of at most ${MAX_REASON} characters`);
  }
  const code = errorCode('KICKED_BY_APP');
  // Without peerId: each node appends the recipient's, as for any push.
  const payload = encodeCommand({
    cmd: CommandType.session,
    op: OpType.closed,
    sessionMessage: { code, reason: 'KICKED_BY_APP', ...(reason ? { detail: reason } : {}) },
  });
  await ctx.broker.publish({ appId, clientIds: [clientId], payload, endSessions: true });
  return {};
}
