import type { IConvCommand } from '../../protocol/codec.js';
import { ProtocolError } from '../../protocol/errors.js';
import { conversationSigningString, type ConversationAction } from '../auth/signature.js';
import type { Session } from '../gateway/session.js';
import type { ServerContext } from './context.js';

/**
 * Apps that require signatures want conversation creation and member
 * changes signed too (protocol.md §6): over exactly the `m` the client sent
 * (for create, the creator included), with `t`/`n`/`s` from the command.
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
  const signature = { signature: request?.s ?? undefined, timestamp: request?.t ?? undefined, nonce: request?.n ?? undefined };
  const result = ctx.signatures.verify(app.masterKey, signature, (t, n) =>
    conversationSigningString(app.appId, session.clientId, cid, request?.m ?? [], t, n, action),
  );
  if (!result.ok) throw ProtocolError.of('CONVERSATION_SIGNATURE_FAILED', result.reason);
}
