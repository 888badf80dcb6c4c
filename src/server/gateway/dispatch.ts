import { CommandType, OpType, commandName, has, type Command, type DecodedCommand } from '../../protocol/codec.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { Handler, Request, ServerContext, SessionRequest } from '../handlers/context.js';
import { countMembers, queryConversations, startConversation } from '../handlers/conv.js';
import { acknowledgeDelivery, sendMessage } from '../handlers/direct.js';
import { queryHistory } from '../handlers/logs.js';
import { closeSession, openSession, querySessions } from '../handlers/session.js';
import type { Connection } from './connection.js';

type Route = { handler: Handler<Request>; session: false } | { handler: Handler<SessionRequest>; session: true };

const routes = new Map<string, Route>([
  [`${CommandType.session}/${OpType.open}`, { handler: openSession, session: false }],
  [`${CommandType.session}/${OpType.close}`, { handler: closeSession, session: true }],
  [`${CommandType.session}/${OpType.query}`, { handler: querySessions, session: true }],
  [`${CommandType.conv}/${OpType.start}`, { handler: startConversation, session: true }],
  [`${CommandType.conv}/${OpType.query}`, { handler: queryConversations, session: true }],
  [`${CommandType.conv}/${OpType.count}`, { handler: countMembers, session: true }],
  [`${CommandType.direct}`, { handler: sendMessage, session: true }],
  [`${CommandType.ack}`, { handler: acknowledgeDelivery, session: true }],
  [`${CommandType.logs}`, { handler: queryHistory, session: true }],
]);

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
  try {
    if (command.cmd === CommandType.echo) return reply(connection, i, undefined, { cmd: CommandType.echo });
    const route = routes.get(routeKey(command));
    if (!route) throw ProtocolError.of('UNPARSEABLE_RAW_MESSAGE', `unsupported command ${commandName(command)}`);
    let response: Command | void;
    if (route.session) {
      const session = connection.sessionFor(peerId);
      if (!session) throw ProtocolError.of('SESSION_REQUIRED', peerId ? `no session for ${peerId} on this connection` : 'open a session first');
      response = await route.handler(ctx, { connection, command, session });
      reply(connection, i, session.clientId, response);
    } else {
      response = await route.handler(ctx, { connection, command, session: undefined });
      reply(connection, i, response?.peerId ?? peerId, response);
    }
  } catch (error) {
    const protocolError = error instanceof ProtocolError ? error : internalError(ctx, command, error);
    // Fire-and-forget commands (no `i`) get no reply, as the SDKs expect.
    if (i === undefined) return;
    connection.send({
      cmd: CommandType.error,
      i,
      ...(peerId ? { peerId } : {}),
      errorMessage: {
        code: protocolError.code,
        reason: protocolError.name,
        ...(protocolError.detail ? { detail: protocolError.detail } : {}),
      },
    });
  }
}

function reply(connection: Connection, i: number | undefined, peerId: string | undefined, response: Command | void): void {
  if (!response || i === undefined) return;
  connection.send({ ...response, i, ...(peerId ? { peerId } : {}) });
}

function internalError(ctx: ServerContext, command: DecodedCommand, error: unknown): ProtocolError {
  ctx.config.log(`error handling ${commandName(command)}: ${error instanceof Error ? error.stack : String(error)}`);
  return ProtocolError.of('INTERNAL_ERROR');
}
