/**
 * The realtime protocol's error table: code, upper-case name, message and,
 * for the few after which reconnecting cannot help, `'fatal'`.
 * Servers put the name in `ErrorCommand.reason`, which the official SDKs
 * surface as both `error.name` and `error.message`.
 *
 * The table is one string, one row per line: the name,
 * `!` when fatal, the code unless it is the previous row's plus one, and the
 * message. It is in every SDK bundle, where an object literal with the same
 * rows cost 11 % more gzip bytes; {@link ERRORS} is built from it.
 */
const TABLE = `CLOSE_NORMAL 1000 Connection closed normally
CLOSE_ABNORMAL 1006 Connection closed abnormally
APP_NOT_AVAILABLE! 4100 App not available
DUPLICATED_LOGIN Logged in from another device
SIGNATURE_FAILED Login signature verification failed
INVALID_LOGIN! Invalid clientId
SESSION_REQUIRED 4105 No session is open for this client
BLACKLISTED Client is blacklisted
READ_TIMEOUT Connection idle for too long
LOGIN_TIMEOUT No session opened in time
FRAME_TOO_LONG Frame too long
INVALID_ORIGIN! Origin not allowed
SESSION_CONFLICT Session taken over by another device
SESSION_TOKEN_EXPIRED Session token expired
APP_QUOTA_EXCEEDED App quota exceeded
UNPARSEABLE_RAW_MESSAGE Frame could not be parsed
KICKED_BY_APP Kicked by the app
MESSAGE_SENT_QUOTA_EXCEEDED Message sending quota exceeded
UNBIND_INSTALLATION_FAILED Unbinding the installation failed
INTERNAL_ERROR 4200 Internal server error
SEND_MESSAGE_TIMEOUT Sending the message timed out
CONVERSATION_INTERNAL_ERROR 4300 Conversation internal error
CONVERSATION_API_FAILED Conversation request failed
CONVERSATION_SIGNATURE_FAILED Conversation signature verification failed
CONVERSATION_NOT_FOUND Conversation not found
CONVERSATION_FULL Conversation is full
CONVERSATION_REJECTED_BY_APP Conversation operation rejected by the app
CONVERSATION_UPDATE_FAILED Conversation update failed
CONVERSATION_READ_ONLY Conversation is read-only
CONVERSATION_NOT_ALLOWED Conversation operation not allowed
CONVERSATION_UPDATE_REJECTED Only members may update the conversation
CONVERSATION_QUERY_FAILED Conversation query failed
CONVERSATION_LOG_FAILED History query failed
CONVERSATION_LOG_REJECTED History query rejected
SYSTEM_CONVERSATION_REQUIRED A system conversation is required
NORMAL_CONVERSATION_REQUIRED A normal conversation is required
CONVERSATION_BLACKLISTED Blacklisted in this conversation
TRANSIENT_CONVERSATION_REQUIRED A chat room is required
CONVERSATION_MEMBERSHIP_REQUIRED Conversation membership required
CONVERSATION_API_QUOTA_EXCEEDED Conversation request quota exceeded
CONVERSATION_OPERATION_UNAUTHORIZED 4320 Not allowed to do this in the conversation
UNKNOWN_CONVERSATION_ROLE Unknown conversation role
CONVERSATION_MEMBER_IN_ROLE_FULL Too many members in this role
TEMPORARY_CONVERSATION_EXPIRED Temporary conversation expired
CONVERSATION_NEED_OWNER Only the owner may do this
CONVERSATION_MEMBER_INFO_FEATURE_DISABLED Member info is disabled
INVALID_MESSAGING_TARGET 4401 Not a member of the conversation
MESSAGE_REJECTED_BY_APP Message rejected by the app
MESSAGE_OWNERSHIP_REQUIRED Only the sender may change the message
MESSAGE_NOT_FOUND Message not found
MESSAGE_UPDATE_REJECTED_BY_APP Message update rejected by the app
MESSAGE_EDIT_DISABLED Editing messages is disabled
MESSAGE_RECALL_DISABLED Recalling messages is disabled
MESSAGE_MODIFIED_BY_CENSORSHIP Message modified by censorship
BLACKLIST_FULL 4543 Blacklist is full
BLACKLIST_FEATURE_DISABLED Blacklists are disabled
BLACKLIST_SIGNATURE_FAILED 4546 Blacklist signature verification failed
BLOCKED_BY_CONV 4548 Blocked by the conversation
SILIENCED_MEMBER_LIST_FULL 4561 Muted member list is full
SILIENCED 4563 Muted in this conversation
OWNER_PROMOTION_NOT_ALLOWED 5130 The owner cannot be promoted`;

/** The names in {@link TABLE}, read by the type checker from the string itself. */
type NamesIn<Rows extends string, Names = never> = Rows extends `${infer Row}\n${infer Rest}` ? NamesIn<Rest, Names | NameOf<Row>> : Names | NameOf<Rows>;
type NameOf<Row extends string> = Row extends `${infer Name} ${string}` ? (Name extends `${infer Fatal}!` ? Fatal : Name) : never;

export type ErrorName = NamesIn<typeof TABLE>;

/**
 * The realtime protocol's error table by name: code, message and, for the
 * few after which reconnecting cannot help, `'fatal'`.
 */
export const ERRORS = {} as Readonly<Record<ErrorName, ErrorRow>>;
const byCode = new Map<number, ErrorName>();
{
  let code = 0;
  for (const row of TABLE.split('\n')) {
    const [, name, fatal, explicit, message] = /^(\w+)(!?) (?:(\d+) )?(.*)$/.exec(row)!;
    code = explicit ? Number(explicit) : code + 1;
    (ERRORS as Record<string, ErrorRow>)[name!] = fatal ? [code, message!, 'fatal'] : [code, message!];
    byCode.set(code, name as ErrorName);
  }
}

/**
 * A row of the table: code, message, and `'fatal'` when neither
 * reconnecting nor sending again can help (the SDK stops reconnecting on
 * such a close code; the widgets stop retrying).
 */
type ErrorRow = readonly [code: number, message: string, fatal?: 'fatal'];

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
