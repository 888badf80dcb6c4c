import { AsyncLocalStorage } from 'node:async_hooks';
import type { FrameClass, SessionConnection } from '../session/session-connection.js';

/**
 * The command being handled for one connection, and the pushes its handler
 * caused for that same connection, held until its reply is sent.
 */
export interface ReplyScope {
  readonly connection: SessionConnection;
  held: Array<{ bytes: Uint8Array; cls: FrameClass }> | undefined;
  open: boolean;
}

const scopes = new AsyncLocalStorage<ReplyScope>();
/**
 * Scopes open (made and not yet released). While it is 0, `scopes` is
 * disabled: an enabled AsyncLocalStorage keeps Node's promise hooks on
 * for every promise of the process (~1.5 % of the persisted bench's
 * server profile, whose `direct`s take the batch and open no scope), and
 * with no scope open there is nothing to find (`currentReplyScope` only
 * returns open scopes), so turning it off changes no answer. The next
 * `run` turns it on again.
 */
let open = 0;

/**
 * A scope for one command of `connection` that expects a reply: the pushes
 * its handler causes for that same connection (another session sharing the
 * socket) wait for the reply, so a client never sees the effect of its
 * command before the answer to it, as on LeanCloud. Run the handler with
 * `inReplyScope`, and call `releaseHeld` right after the reply (or the
 * error) is sent; a push published after that goes out at once.
 */
export function replyScope(connection: SessionConnection): ReplyScope {
  open += 1;
  return { connection, held: undefined, open: true };
}

/** Runs `handler` in `scope` (none: as is). */
export function inReplyScope<T>(scope: ReplyScope | undefined, handler: () => Promise<T>): Promise<T> {
  return scope ? scopes.run(scope, handler) : handler();
}

/** Closes the scope and sends what it held, in order. Idempotent. */
export function releaseHeld(scope: ReplyScope | undefined): void {
  if (!scope?.open) return;
  scope.open = false;
  if (--open === 0) scopes.disable();
  const held = scope.held;
  scope.held = undefined;
  if (held) for (const { bytes, cls } of held) scope.connection.sendPush(bytes, cls);
}

/**
 * The scope whose pushes to its own connection are held, if a command is
 * being handled in this async context. Read it once per delivery: the
 * fan-out to other connections only compares it.
 */
export function currentReplyScope(): ReplyScope | undefined {
  const scope = scopes.getStore();
  return scope?.open ? scope : undefined;
}

/** Sends a push to `connection`, or holds it if that connection's command is still unanswered. */
export function sendOrHold(scope: ReplyScope | undefined, connection: SessionConnection, bytes: Uint8Array, cls: FrameClass = 'reliable'): void {
  if (scope !== undefined && scope.open && scope.connection === connection) (scope.held ??= []).push({ bytes, cls });
  else connection.sendPush(bytes, cls);
}
