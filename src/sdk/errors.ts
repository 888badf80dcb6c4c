/**
 * Errors the SDK rejects with. Every one is a {@link ProtocolError}: `name`
 * is an upper-case identifier (the server's `reason`, e.g.
 * `CONVERSATION_NOT_FOUND`), `code` the protocol code or 0 for conditions
 * detected on the client (timeouts, lost connections).
 */
import { ProtocolError, isFatalCode, isTransientError, type CLIENT_ERRORS } from '../protocol/index.js';

/** The error fields of an `ErrorCommand` or a failed `AckCommand`. */
export interface ErrorFields {
  code?: number | null;
  reason?: string | null;
  detail?: string | null;
  appCode?: number | null;
}

/** Client-side error names (code 0). */
export const ClientErrorName = Object.freeze({
  /** No reply within the command timeout (20 s). */
  COMMAND_TIMEOUT: 'COMMAND_TIMEOUT',
  /** The connection dropped after the command was sent; its outcome is unknown. */
  CONNECTION_LOST: 'CONNECTION_LOST',
  /** The command was not sent: there is no open connection (reconnecting, closed or offline). */
  NOT_CONNECTED: 'NOT_CONNECTED',
  /** The IMClient was closed. */
  CLIENT_CLOSED: 'CLIENT_CLOSED',
  /**
   * The command is larger than the server accepts (its `--max-payload`):
   * either refused before sending, or the server closed the socket (1009)
   * on receiving it. Sending it again cannot succeed.
   */
  MESSAGE_TOO_LARGE: 'MESSAGE_TOO_LARGE',
  // Every name of the protocol's client error table (which says which are fatal), and no other.
} as const satisfies { [K in keyof typeof CLIENT_ERRORS]: K });

export type ClientErrorName = (typeof ClientErrorName)[keyof typeof ClientErrorName];

/** An error detected by the client itself (code 0). */
export function clientError(name: ClientErrorName, message: string): ProtocolError {
  return new ProtocolError(0, { name, message });
}

/**
 * The error of a `cmd: error` reply or a failed `ack`: name and message are
 * the server's reason, falling back to the protocol table for the code.
 */
export function commandError(error: ErrorFields | null | undefined): ProtocolError {
  const code = error?.code ?? 0;
  const reason = error?.reason || undefined;
  const detail = error?.detail || undefined;
  return new ProtocolError(code, {
    ...(reason ? { name: reason, message: reason } : {}),
    ...(detail ? { detail } : {}),
    ...(error?.appCode ? { appCode: error.appCode } : {}),
  });
}

export { ProtocolError, isFatalCode, isTransientError };
