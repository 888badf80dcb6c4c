/**
 * The server-side REST API on LeanCloud's realtime REST paths (v1.2; the
 * same paths under /1.1 too), for an application's own server: master key
 * only. Answers are LeanCloud's shapes; failures `{code, error}` with 400
 * (bad input), 401 (wrong key), 404 (unknown conversation or message),
 * 413 (body too large).
 *
 *   POST   /1.2/rtm/{kind}                                create
 *   GET    /1.2/rtm/{kind}?where=&order=&limit=&skip=     query
 *   GET    /1.2/rtm/{kind}/{id}                           read one
 *   PUT    /1.2/rtm/{kind}/{id}                           update name and attributes
 *   DELETE /1.2/rtm/{kind}/{id}                           delete, with its messages
 *   POST   /1.2/rtm/{kind}/{id}/members                   add {client_ids}
 *   DELETE /1.2/rtm/{kind}/{id}/members                   remove {client_ids}
 *   POST   /1.2/rtm/{kind}/{id}/messages                  send as {from_client}
 *   GET    /1.2/rtm/{kind}/{id}/messages                  history
 *   PUT    /1.2/rtm/{kind}/{id}/messages/{mid}            edit
 *   PUT    /1.2/rtm/{kind}/{id}/messages/{mid}/recall     recall
 *   POST   /1.2/rtm/service-conversations/{id}/subscribers {client_id}
 *   DELETE /1.2/rtm/service-conversations/{id}/subscribers/{client_id}
 *   POST   /1.2/rtm/service-conversations/{id}/broadcasts to every subscriber
 *   POST   /1.2/rtm/broadcasts                            the same, {conv_id}
 *   POST   /1.2/rtm/clients/check-online                  who is online
 *   POST   /1.2/rtm/clients/{id}/kick                     log a client out
 *
 * where {kind} is conversations, chatrooms or service-conversations.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProtocolError } from '../../protocol/errors.js';
import type { ServerContext } from '../handlers/context.js';
import { json } from '../http/respond.js';
import { errorFields } from '../observability/logger.js';
import { checkOnline, kick } from './rest-clients.js';
import { changeMembers, createConversation, deleteConversation, listConversations, requireKind, restConversationJson, restFailureOf, updateConversation, type ConversationKind } from './rest-conversations.js';
import { broadcast, history, patchMessage, sendMessage, sentJson, type SentMessage } from './rest-messages.js';
import { authenticateMaster, readJsonObject, RestFailure, sendFailure } from './rest-request.js';

const CONVERSATION_PATH = /^\/1\.[12]\/rtm\/(conversations|chatrooms|service-conversations)(?:\/([^/]+)(?:\/(members|messages|broadcasts|subscribers)(?:\/([^/]+)(?:\/(recall))?)?)?)?$/;
const CLIENT_PATH = /^\/1\.[12]\/rtm\/clients\/(?:(check-online)|([^/]+)\/(kick))$/;
const BROADCAST_PATH = /^\/1\.[12]\/rtm\/broadcasts$/;
const CONVERSATION_ID = /^[\w:-]{1,128}$/;

/** Called after a message was sent through the REST API (the hooks listen here). */
export type SentListener = (sent: SentMessage) => void;

/** A request the REST API answered, or false when the path is not one of its own. */
export type RestHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>;

interface Call {
  ctx: ServerContext;
  appId: string;
  method: string;
  body: () => Promise<Record<string, unknown>>;
  url: URL;
  onSent: SentListener;
}

export function createRestApi(ctx: ServerContext, onSent: SentListener = () => {}): RestHandler {
  // A body holds at most one message (a frame's worth) plus the JSON around it.
  const maxBody = ctx.config.maxPayload + 4096;
  return async (request, response, url) => {
    const conversation = CONVERSATION_PATH.exec(url.pathname);
    const client = conversation ? null : CLIENT_PATH.exec(url.pathname);
    const broadcasts = conversation || client ? null : BROADCAST_PATH.exec(url.pathname);
    if (!conversation && !client && !broadcasts) return false;
    const method = request.method ?? 'GET';
    try {
      const appId = await authenticateMaster(ctx.store, request);
      const call: Call = { ctx, appId, method, url, onSent, body: () => readJsonObject(request, maxBody) };
      let answer: unknown;
      if (conversation) answer = await conversationCall(call, conversation);
      else if (client) answer = await clientCall(call, client);
      else answer = await broadcastCall(call);
      json(response, 200, answer);
    } catch (error) {
      if (error instanceof RestFailure) sendFailure(response, error);
      else if (error instanceof ProtocolError) sendFailure(response, restFailureOf(error));
      else {
        ctx.logger.error({ path: url.pathname, method, ...errorFields(error) }, 'REST call failed');
        sendFailure(response, new RestFailure(500, 4200, 'internal error'));
      }
    }
    return true;
  };
}

/** A path segment decoded, or 400 for a malformed escape. */
function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new RestFailure(400, 107, 'malformed path');
  }
}

function methodNotAllowed(method: string): RestFailure {
  return new RestFailure(405, 405, `${method} is not served here`);
}

async function conversationCall(call: Call, match: RegExpExecArray): Promise<unknown> {
  const [, kindName, cid, sub, mid, recall] = match;
  const kind = kindName as ConversationKind;
  const { ctx, appId, method } = call;
  const id = cid === undefined ? undefined : decode(cid);
  if (id !== undefined && !CONVERSATION_ID.test(id)) throw new RestFailure(404, 4401, 'not a conversation id');
  if (id === undefined) {
    if (method === 'GET') return listConversations(ctx, appId, kind, call.url.searchParams);
    if (method !== 'POST') throw methodNotAllowed(method);
    return createConversation(ctx, appId, kind, await call.body());
  }
  switch (sub) {
    case undefined:
      if (method === 'GET') return restConversationJson(await requireKind(ctx, appId, kind, id));
      if (method === 'PUT') return updateConversation(ctx, appId, kind, id, await call.body());
      if (method === 'DELETE') return deleteConversation(ctx, appId, kind, id);
      throw methodNotAllowed(method);
    case 'members':
      if (method === 'POST') return changeMembers(ctx, appId, kind, id, await call.body(), 'add');
      if (method === 'DELETE') return changeMembers(ctx, appId, kind, id, await call.body(), 'remove');
      throw methodNotAllowed(method);
    case 'subscribers': {
      // LeanCloud's own names for a system conversation's members: {client_id} in, /{client_id} out.
      if (kind !== 'service-conversations') throw new RestFailure(404, 404, 'only system conversations have subscribers');
      if (method === 'POST' && mid === undefined) {
        const { client_id: subscriber } = await call.body();
        await changeMembers(ctx, appId, kind, id, { client_ids: [subscriber] }, 'add');
        return {};
      }
      if (method === 'DELETE' && mid !== undefined && recall === undefined) {
        await changeMembers(ctx, appId, kind, id, { client_ids: [decode(mid)] }, 'remove');
        return {};
      }
      throw methodNotAllowed(method);
    }
    case 'broadcasts':
      if (kind !== 'service-conversations' || mid !== undefined) throw new RestFailure(404, 404, 'broadcasts are sent to system conversations');
      if (method !== 'POST') throw methodNotAllowed(method);
      return sent(call, await broadcast(ctx, appId, id, await call.body()));
    default: // messages
      if (mid === undefined) {
        if (method === 'GET') return history(ctx, appId, kind, id, call.url.searchParams);
        if (method !== 'POST') throw methodNotAllowed(method);
        if (kind === 'service-conversations') throw RestFailure.bad('CONVERSATION_READ_ONLY', 'send to a system conversation with …/broadcasts');
        return sent(call, await sendMessage(ctx, appId, kind, id, await call.body()));
      }
      if (method !== 'PUT') throw methodNotAllowed(method);
      return patchMessage(ctx, appId, kind, id, decode(mid), await call.body(), recall !== undefined);
  }
}

function sent(call: Call, message: SentMessage): Record<string, unknown> {
  call.onSent(message);
  return sentJson(message);
}

async function clientCall(call: Call, match: RegExpExecArray): Promise<unknown> {
  const [, checkOnlinePath, clientId] = match;
  if (call.method !== 'POST') throw methodNotAllowed(call.method);
  if (checkOnlinePath) return checkOnline(call.ctx, call.appId, await call.body());
  return kick(call.ctx, call.appId, decode(clientId!), await call.body());
}

async function broadcastCall(call: Call): Promise<unknown> {
  if (call.method !== 'POST') throw methodNotAllowed(call.method);
  const body = await call.body();
  return sent(call, await broadcast(call.ctx, call.appId, body.conv_id, body));
}
