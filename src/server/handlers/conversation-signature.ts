import type { IConvCommand } from '../../protocol/codec.js';
import { ProtocolError } from '../../protocol/errors.js';
import { conversationSigningString, type ConversationAction } from '../auth/signature.js';
import type { Session } from '../session/session.js';
import type { ServerContext } from './context.js';

/**
 * Apps that require signatures want conversation creation and member
 * changes signed too (protocol.md §6): over exactly the `m` the client sent
 * (for create, the creator included), with `t`/`n`/`s` from the command.
 *
 * A create over no members signs `appid:clientid::t:n`, which is the login
 * string: any spare login signature would pass as one. Every SDK puts the
 * creator in a create's `m` (chat rooms included), so an empty or blank
 * member in a signed create can only be that replay, and is refused. This
 * keeps LeanCloud's format and works with any signer, ours or not.
 */
export async function verifyConversationSignature(
  ctx: ServerContext,
  session: Session,
  cid: string | null,
  request: IConvCommand | null | undefined,
  action: ConversationAction,
): Promise<void> {
  const app = await ctx.store.getApp(session.appId);
  if (!app?.requireSignature) return;
  const signed = request?.m ?? [];
  if (action === 'create' && (signed.length === 0 || signed.some((member) => member === ''))) {
    throw ProtocolError.of('CONVERSATION_SIGNATURE_FAILED', 'a signed create must list its members, the creator included');
  }
  const signature = { signature: request?.s ?? undefined, timestamp: request?.t ?? undefined, nonce: request?.n ?? undefined };
  const result = ctx.signatures.verify(app.masterKey, signature, (t, n) =>
    conversationSigningString(app.appId, session.clientId, cid, signed, t, n, action),
  );
  if (!result.ok) throw ProtocolError.of('CONVERSATION_SIGNATURE_FAILED', result.reason);
}
