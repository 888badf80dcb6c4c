import { CommandType, OpType, commandName, has, type Command, type DecodedCommand } from '../../protocol/codec.js';
import { ProtocolError } from '../../protocol/errors.js';
import { muteConversation, unmuteConversation, updateConversation } from '../handlers/attributes.js';
import { blockMembers, queryBlocked, unblockMembers } from '../handlers/blacklist.js';
import type { Handler, Request, ServerContext, SessionRequest } from '../handlers/context.js';
import { countMembers, queryConversations, startConversation } from '../handlers/conv.js';
import { sendMessage } from '../handlers/direct.js';
import { queryHistory } from '../handlers/logs.js';
import { addMembers, removeMembers } from '../handlers/members.js';
import { muteMembers, queryMutedMembers, unmuteMembers } from '../handlers/mute-members.js';
import { patchMessages } from '../handlers/patch.js';
import { acknowledgeDelivery, markRead, receiptTimestamps } from '../handlers/receipts.js';
import { updateMemberInfo } from '../handlers/roles.js';
import { afterSessionOpened, closeSession, openSession, querySessions } from '../handlers/session.js';
import type { Connection } from './connection.js';
import type { SessionConnection } from '../session/session-connection.js';
import { errorFields } from '../observability/logger.js';
import { inReplyScope, releaseHeld, replyScope } from './reply-order.js';

/** Work that must follow the reply on the same socket (pushes the reply announces). */
type After = (ctx: ServerContext, request: Request, reply: Command) => Promise<void>;
type Route = { handler: Handler<Request>; session: false; after?: After } | { handler: Handler<SessionRequest>; session: true };

const routes = new Map<string, Route>([
  [`${CommandType.session}/${OpType.open}`, { handler: openSession, session: false, after: afterSessionOpened }],
  [`${CommandType.session}/${OpType.close}`, { handler: closeSession, session: true }],
  [`${CommandType.session}/${OpType.query}`, { handler: querySessions, session: true }],
  [`${CommandType.conv}/${OpType.start}`, { handler: startConversation, session: true }],
  [`${CommandType.conv}/${OpType.query}`, { handler: queryConversations, session: true }],
  [`${CommandType.conv}/${OpType.count}`, { handler: countMembers, session: true }],
  [`${CommandType.conv}/${OpType.add}`, { handler: addMembers, session: true }],
  [`${CommandType.conv}/${OpType.remove}`, { handler: removeMembers, session: true }],
  [`${CommandType.conv}/${OpType.update}`, { handler: updateConversation, session: true }],
  [`${CommandType.conv}/${OpType.mute}`, { handler: muteConversation, session: true }],
  [`${CommandType.conv}/${OpType.unmute}`, { handler: unmuteConversation, session: true }],
  [`${CommandType.conv}/${OpType.max_read}`, { handler: receiptTimestamps, session: true }],
  [`${CommandType.direct}`, { handler: sendMessage, session: true }],
  [`${CommandType.ack}`, { handler: acknowledgeDelivery, session: true }],
  [`${CommandType.read}`, { handler: markRead, session: true }],
  [`${CommandType.logs}`, { handler: queryHistory, session: true }],
  [`${CommandType.patch}/${OpType.modify}`, { handler: patchMessages, session: true }],
  [`${CommandType.blacklist}/${OpType.block}`, { handler: blockMembers, session: true }],
  [`${CommandType.blacklist}/${OpType.unblock}`, { handler: unblockMembers, session: true }],
  [`${CommandType.blacklist}/${OpType.query}`, { handler: queryBlocked, session: true }],
  [`${CommandType.conv}/${OpType.member_info_update}`, { handler: updateMemberInfo, session: true }],
  [`${CommandType.conv}/${OpType.add_shutup}`, { handler: muteMembers, session: true }],
  [`${CommandType.conv}/${OpType.remove_shutup}`, { handler: unmuteMembers, session: true }],
  [`${CommandType.conv}/${OpType.query_shutup}`, { handler: queryMutedMembers, session: true }],
]);

/**
 * The command's name for logs and metrics: `direct`, `conv/start`… Only
 * names of commands we serve, so a client sending made-up numbers cannot
 * grow the metrics' label set.
 */
function labelOf(command: DecodedCommand): string {
  if (command.cmd === CommandType.echo) return 'echo';
  if (!routes.has(routeKey(command))) return 'unsupported';
  return has(command, 'op') ? commandName(command) : commandName({ cmd: command.cmd });
}

function routeKey(command: DecodedCommand): string {
  // `op` reads as its default when absent, so presence decides.
  return has(command, 'op') ? `${command.cmd}/${command.op}` : `${command.cmd}`;
}

/**
 * Runs one decoded command and sends its reply. Never throws: a failure
 * becomes `cmd:error` for the requester, and the server keeps serving.
 */
export async function dispatch(ctx: ServerContext, connection: Connection, command: DecodedCommand): Promise<void> {
  const i = has(command, 'i') ? command.i : undefined;
  const peerId = has(command, 'peerId') ? command.peerId : undefined;
  // Pushes this command causes for this same socket follow its reply; one
  // that gets no reply (no `i`) holds nothing back.
  const scope = i === undefined ? undefined : replyScope(connection);
  // A conv query's reply also precedes the pushes published while it runs
  // (or waits for its turn): see Connection.holdPushesUntilReplied.
  const barrier = i !== undefined && command.cmd === CommandType.conv && command.op === OpType.query ? connection.holdPushesUntilReplied() : undefined;
  const name = labelOf(command);
  try {
    if (command.cmd === CommandType.echo) {
      ctx.metrics.countCommand(name, 0);
      return reply(connection, i, undefined, { cmd: CommandType.echo });
    }
    const route = routes.get(routeKey(command));
    if (!route) throw ProtocolError.of('UNPARSEABLE_RAW_MESSAGE', `unsupported command ${commandName(command)}`);
    let response: Command | void;
    if (route.session) {
      const session = connection.sessionFor(peerId);
      if (!session) throw ProtocolError.of('SESSION_REQUIRED', peerId ? `no session for ${peerId} on this connection` : 'open a session first');
      response = await inReplyScope(scope, () => route.handler(ctx, { connection, command, session }));
      reply(connection, i, session.clientId, response);
      ctx.metrics.countCommand(name, 0);
      releaseHeld(scope);
      barrier?.();
    } else {
      const request = { connection, command, session: undefined };
      response = await inReplyScope(scope, () => route.handler(ctx, request));
      reply(connection, i, response?.peerId ?? peerId, response);
      ctx.metrics.countCommand(name, 0);
      releaseHeld(scope);
      const opened = response?.peerId ? connection.sessionFor(response.peerId) : undefined;
      if (opened) {
        ctx.logger.info({ appId: opened.appId, clientId: opened.clientId, connectionId: connection.id, commandId: i }, 'session opened');
        ctx.hooks.notify(opened.appId, 'clientOnline', { peerId: opened.clientId, tag: opened.tag, ua: opened.ua, timestamp: Date.now() });
      }
      // The request succeeded; a failure here must not turn into an error reply.
      if (response && route.after) {
        await route.after(ctx, request, response).catch((error: unknown) => {
          ctx.logger.error({ connectionId: connection.id, commandId: i, command: name, ...errorFields(error) }, 'after a command failed');
        });
      }
    }
  } catch (error) {
    replyError(ctx, connection, i, peerId, name, error);
  } finally {
    // After the error reply, or if sending the reply itself threw: nothing held is lost.
    releaseHeld(scope);
    barrier?.();
  }
}

/**
 * Answers a failed command: `cmd:error` with the protocol's code (a
 * failure that is not the client's mistake is logged and becomes
 * INTERNAL_ERROR), counted and logged. Fire-and-forget commands (no `i`)
 * get no reply, as the SDKs expect.
 */
export function replyError(ctx: ServerContext, connection: SessionConnection, i: number | undefined, peerId: string | undefined, name: string, error: unknown): void {
  const session = connection.sessionFor(peerId);
  const where = { appId: session?.appId, clientId: session?.clientId ?? peerId, connectionId: connection.id, commandId: i, command: name };
  const protocolError = error instanceof ProtocolError ? error : internalError(ctx, where, error);
  ctx.metrics.countCommand(name, protocolError.code);
  // Not the detail: it may quote the client's input.
  if (error instanceof ProtocolError) ctx.logger.info({ ...where, code: protocolError.code, reason: protocolError.name }, 'command refused');
  if (i === undefined) return;
  connection.send({
    cmd: CommandType.error,
    i,
    ...(peerId ? { peerId } : {}),
    errorMessage: {
      code: protocolError.code,
      reason: protocolError.name,
      ...(protocolError.detail ? { detail: protocolError.detail } : {}),
      ...(protocolError.appCode !== undefined ? { appCode: protocolError.appCode } : {}),
    },
  });
}

function reply(connection: Connection, i: number | undefined, peerId: string | undefined, response: Command | void): void {
  if (!response || i === undefined) return;
  connection.send({ ...response, i, ...(peerId ? { peerId } : {}) });
}

function internalError(ctx: ServerContext, where: Record<string, unknown>, error: unknown): ProtocolError {
  ctx.logger.error({ ...where, ...errorFields(error) }, 'error handling a command');
  return ProtocolError.of('INTERNAL_ERROR');
}
