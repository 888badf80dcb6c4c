/**
 * `GET /1.1/classes/_ConversationMemberInfo`: v4's read of member roles
 * (`conversation.getAllMemberInfo`, `getMemberInfo`, and after each
 * `member_info_changed` push).
 *
 *   ?where={"cid": <id>[, "clientId": <id>]}&client_id=<id>
 *   X-LC-Id, X-LC-Key: the app; X-LC-IM-Session-Token: a token issued to client_id
 *   → {results: [{cid, clientId, role}]}
 *
 * Like LeanCloud's `_ConversationMemberInfo` table, it lists the members
 * with a role of their own: the owner (the creator, while a member) and the
 * managers, at most MAX_MANAGERS + 1; with `clientId`, that member only
 * (`Member` when it has no other role). 4.x takes every other member to be
 * a `Member`. Only a current member of the conversation may read it; an
 * unknown conversation, another app's, or one the client is not in get
 * the same 403, so the answer does not tell them apart. Errors are
 * `{code, error}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorCode } from '../../protocol/errors.js';
import { MAX_MANAGERS } from '../handlers/roles.js';
import { isValidClientId } from '../handlers/validate.js';
import type { MemberRole, Store } from '../store/types.js';
import { authenticate, badRequest, clientIdOf, RestError } from './notifications.js';
import { json } from './respond.js';

export const MEMBER_INFO_PATH = '/1.1/classes/_ConversationMemberInfo';
const PARAMETERS: ReadonlySet<string> = new Set(['where', 'client_id']);
const WHERE_KEYS: ReadonlySet<string> = new Set(['cid', 'clientId']);
const MAX_WHERE_LENGTH = 1024;
const MAX_CID_LENGTH = 128;

interface MemberInfoJson {
  cid: string;
  clientId: string;
  role: MemberRole;
}

export async function handleMemberInfo(store: Store, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  try {
    const { clientId, cid, member } = parseQuery(url.searchParams);
    const appId = await authenticate(store, request, clientId);
    const conversation = await store.getConversation(appId, cid);
    if (!conversation || conversation.transient || !conversation.members.includes(clientId)) {
      throw new RestError(403, errorCode('CONVERSATION_MEMBERSHIP_REQUIRED'), `${clientId} is not a member of conversation ${cid}`);
    }
    const owner = conversation.members.includes(conversation.creator) ? conversation.creator : undefined;
    const results: MemberInfoJson[] = [];
    if (member !== undefined) {
      if (member === owner) results.push({ cid, clientId: member, role: 'Owner' });
      else if (conversation.members.includes(member)) {
        const [stored] = await store.memberRoles(appId, cid, { clientIds: [member], limit: 1 });
        results.push({ cid, clientId: member, role: stored?.role ?? 'Member' });
      }
    } else {
      if (owner) results.push({ cid, clientId: owner, role: 'Owner' });
      for (const { clientId: id, role } of await store.memberRoles(appId, cid, { managersOnly: true, limit: MAX_MANAGERS })) {
        if (id !== owner) results.push({ cid, clientId: id, role });
      }
    }
    json(response, 200, { results });
  } catch (error) {
    if (error instanceof RestError) return json(response, error.status, { code: error.code, error: error.message });
    throw error;
  }
}

function parseQuery(params: URLSearchParams): { clientId: string; cid: string; member: string | undefined } {
  const clientId = clientIdOf(params, PARAMETERS);
  const text = params.get('where');
  if (text === null) throw badRequest('where is required: {"cid": …}');
  if (text.length > MAX_WHERE_LENGTH) throw badRequest(`where is longer than ${MAX_WHERE_LENGTH} characters`);
  let where: unknown;
  try {
    where = JSON.parse(text);
  } catch {
    throw badRequest('where must be JSON');
  }
  if (typeof where !== 'object' || where === null || Array.isArray(where)) throw badRequest('where must be a JSON object');
  const record = where as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!WHERE_KEYS.has(key)) throw badRequest(`where may hold only cid and clientId, got ${JSON.stringify(key.slice(0, 40))}`);
  }
  const { cid, clientId: member } = record;
  if (typeof cid !== 'string' || cid === '' || cid.length > MAX_CID_LENGTH) throw badRequest('where.cid must be a conversation id');
  if (member !== undefined && !isValidClientId(member)) throw badRequest('where.clientId must be a client id');
  return { clientId, cid, member };
}
