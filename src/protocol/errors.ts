/**
 * The realtime protocol's error table: code, upper-case name, message and,
 * for the few after which reconnecting cannot help, `'fatal'`.
 * Servers put the name in `ErrorCommand.reason`, which the official SDKs
 * surface as both `error.name` and `error.message`.
 */
export const ERRORS = {
  CLOSE_NORMAL: [1000, 'Connection closed normally'],
  CLOSE_ABNORMAL: [1006, 'Connection closed abnormally'],
  APP_NOT_AVAILABLE: [4100, 'App not available', 'fatal'],
  DUPLICATED_LOGIN: [4101, 'Logged in from another device'],
  SIGNATURE_FAILED: [4102, 'Login signature verification failed'],
  INVALID_LOGIN: [4103, 'Invalid clientId', 'fatal'],
  SESSION_REQUIRED: [4105, 'No session is open for this client'],
  BLACKLISTED: [4106, 'Client is blacklisted'],
  READ_TIMEOUT: [4107, 'Connection idle for too long'],
  LOGIN_TIMEOUT: [4108, 'No session opened in time'],
  FRAME_TOO_LONG: [4109, 'Frame too long'],
  INVALID_ORIGIN: [4110, 'Origin not allowed', 'fatal'],
  SESSION_CONFLICT: [4111, 'Session taken over by another device'],
  SESSION_TOKEN_EXPIRED: [4112, 'Session token expired'],
  APP_QUOTA_EXCEEDED: [4113, 'App quota exceeded'],
  UNPARSEABLE_RAW_MESSAGE: [4114, 'Frame could not be parsed'],
  KICKED_BY_APP: [4115, 'Kicked by the app'],
  MESSAGE_SENT_QUOTA_EXCEEDED: [4116, 'Message sending quota exceeded'],
  UNBIND_INSTALLATION_FAILED: [4117, 'Unbinding the installation failed'],
  INTERNAL_ERROR: [4200, 'Internal server error'],
  SEND_MESSAGE_TIMEOUT: [4201, 'Sending the message timed out'],
  CONVERSATION_INTERNAL_ERROR: [4300, 'Conversation internal error'],
  CONVERSATION_API_FAILED: [4301, 'Conversation request failed'],
  CONVERSATION_SIGNATURE_FAILED: [4302, 'Conversation signature verification failed'],
  CONVERSATION_NOT_FOUND: [4303, 'Conversation not found'],
  CONVERSATION_FULL: [4304, 'Conversation is full'],
  CONVERSATION_REJECTED_BY_APP: [4305, 'Conversation operation rejected by the app'],
  CONVERSATION_UPDATE_FAILED: [4306, 'Conversation update failed'],
  CONVERSATION_READ_ONLY: [4307, 'Conversation is read-only'],
  CONVERSATION_NOT_ALLOWED: [4308, 'Conversation operation not allowed'],
  CONVERSATION_UPDATE_REJECTED: [4309, 'Only members may update the conversation'],
  CONVERSATION_QUERY_FAILED: [4310, 'Conversation query failed'],
  CONVERSATION_LOG_FAILED: [4311, 'History query failed'],
  CONVERSATION_LOG_REJECTED: [4312, 'History query rejected'],
  SYSTEM_CONVERSATION_REQUIRED: [4313, 'A system conversation is required'],
  NORMAL_CONVERSATION_REQUIRED: [4314, 'A normal conversation is required'],
  CONVERSATION_BLACKLISTED: [4315, 'Blacklisted in this conversation'],
  TRANSIENT_CONVERSATION_REQUIRED: [4316, 'A chat room is required'],
  CONVERSATION_MEMBERSHIP_REQUIRED: [4317, 'Conversation membership required'],
  CONVERSATION_API_QUOTA_EXCEEDED: [4318, 'Conversation request quota exceeded'],
  CONVERSATION_OPERATION_UNAUTHORIZED: [4320, 'Not allowed to do this in the conversation'],
  UNKNOWN_CONVERSATION_ROLE: [4321, 'Unknown conversation role'],
  CONVERSATION_MEMBER_IN_ROLE_FULL: [4322, 'Too many members in this role'],
  TEMPORARY_CONVERSATION_EXPIRED: [4323, 'Temporary conversation expired'],
  CONVERSATION_NEED_OWNER: [4324, 'Only the owner may do this'],
  CONVERSATION_MEMBER_INFO_FEATURE_DISABLED: [4325, 'Member info is disabled'],
  INVALID_MESSAGING_TARGET: [4401, 'Not a member of the conversation'],
  MESSAGE_REJECTED_BY_APP: [4402, 'Message rejected by the app'],
  MESSAGE_OWNERSHIP_REQUIRED: [4403, 'Only the sender may change the message'],
  MESSAGE_NOT_FOUND: [4404, 'Message not found'],
  MESSAGE_UPDATE_REJECTED_BY_APP: [4405, 'Message update rejected by the app'],
  MESSAGE_EDIT_DISABLED: [4406, 'Editing messages is disabled'],
  MESSAGE_RECALL_DISABLED: [4407, 'Recalling messages is disabled'],
  MESSAGE_MODIFIED_BY_CENSORSHIP: [4408, 'Message modified by censorship'],
  BLACKLIST_FULL: [4543, 'Blacklist is full'],
  BLACKLIST_FEATURE_DISABLED: [4544, 'Blacklists are disabled'],
  BLACKLIST_SIGNATURE_FAILED: [4546, 'Blacklist signature verification failed'],
  BLOCKED_BY_CONV: [4548, 'Blocked by the conversation'],
  SILIENCED_MEMBER_LIST_FULL: [4561, 'Muted member list is full'],
  SILIENCED: [4563, 'Muted in this conversation'],
  OWNER_PROMOTION_NOT_ALLOWED: [5130, 'The owner cannot be promoted'],
} as const satisfies Record<string, ErrorRow>;

/**
 * A row of the table: code, message, and `'fatal'` when neither
 * reconnecting nor sending again can help (the SDK stops reconnecting on
 * such a close code; the widgets stop retrying).
 */
type ErrorRow = readonly [code: number, message: string, fatal?: 'fatal'];

export type ErrorName = keyof typeof ERRORS;

/**
 * Conditions a client detects itself (code 0, no server reply), with the
 * same `'fatal'` column. The others (timeouts, lost or missing
 * connections) mean "not done, try again later".
 */
export const CLIENT_ERRORS = {
  /** No reply within the command timeout. */
  COMMAND_TIMEOUT: ['No reply within the command timeout'],
  /** The connection dropped after the command was sent; its outcome is unknown. */
  CONNECTION_LOST: ['Connection lost before the reply arrived'],
  /** The command was not sent: there is no open connection. */
  NOT_CONNECTED: ['Not connected'],
  /** The client was closed: nothing more is sent. */
  CLIENT_CLOSED: ['Client closed', 'fatal'],
  /** Larger than the server accepts: sending it again cannot succeed. */
  MESSAGE_TOO_LARGE: ['Message too large for the server', 'fatal'],
} as const satisfies Record<string, readonly [message: string, fatal?: 'fatal']>;

const byCode = new Map<number, ErrorName>(
  (Object.keys(ERRORS) as ErrorName[]).map((name) => [ERRORS[name][0], name]),
);

/** The code of a named error. */
export function errorCode(name: ErrorName): number {
  return ERRORS[name][0];
}

/** Whether a close code (or a refusal with it) means reconnecting cannot help. */
export function isFatalCode(code: number): boolean {
  const name = byCode.get(code);
  return name !== undefined && ERRORS[name][2] === 'fatal';
}

/**
 * Whether an error means "not done, try again later" rather than
 * "refused" or "fatal": a client-side condition (code 0) the table does
 * not mark fatal. A server's refusal (any other code) is not transient:
 * the same request would be refused again.
 */
export function isTransientError(error: unknown): boolean {
  if (!(error instanceof ProtocolError) || error.code !== 0) return false;
  const row: readonly [string, string?] | undefined = (CLIENT_ERRORS as Record<string, readonly [string, string?]>)[error.name];
  return row?.[1] !== 'fatal';
}

/** Name and message for a code, if the table has it. */
export function errorInfo(code: number): { name: ErrorName; message: string } | undefined {
  const name = byCode.get(code);
  return name && { name, message: ERRORS[name][1] };
}

/**
 * An error with a protocol code. `name` is the table's upper-case name, as
 * the official SDKs report it; `message` is the reason text.
 */
export class ProtocolError extends Error {
  readonly code: number;
  readonly detail: string | undefined;
  readonly appCode: number | undefined;

  constructor(code: number, options: { name?: string; message?: string; detail?: string; appCode?: number } = {}) {
    const info = errorInfo(code);
    const name = options.name || info?.name || 'UNKNOWN_ERROR';
    super(options.message || options.detail || info?.message || name);
    this.name = name;
    this.code = code;
    this.detail = options.detail;
    this.appCode = options.appCode;
  }

  /** A `ProtocolError` for a named entry of the table. */
  static of(name: ErrorName, detail?: string): ProtocolError {
    return new ProtocolError(errorCode(name), { name, message: name, ...(detail === undefined ? {} : { detail }) });
  }
}
