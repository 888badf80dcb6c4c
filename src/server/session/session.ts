import type { PresenceSession, WillMessage } from '../presence/types.js';
import type { AckGate } from './ack-gate.js';
import type { NoticeGate } from './notice-gate.js';
import type { SessionConnection } from './session-connection.js';

export type { WillMessage } from '../presence/types.js';

/** An IMClient logged in on a connection. */
export interface Session {
  /** Unique in the cluster: `<node id>:<connection id>:<client id>` (a Delivery's excludeSessionId crosses nodes). */
  readonly id: string;
  readonly appId: string;
  readonly clientId: string;
  readonly connection: SessionConnection;
  readonly tag: string | null;
  readonly deviceId: string | null;
  /** User agent the SDK reported, e.g. `js/4.3.1`. */
  readonly ua: string;
  /** `sessionMessage.configBitmap` of the login (protocol.md §4.1). */
  readonly configBitmap: number;
  /** The session token issued at this login; a reconnect presents it. */
  readonly token: string;
  readonly openedAt: number;
  /** Will messages to send if the connection drops; discarded on logout. */
  readonly wills: WillMessage[];
  /** Which membership events this session has been sent, and the live ones held during a replay. */
  readonly notices: NoticeGate;
  /** For the official JS SDKs: pushes waiting for the client's ack of earlier ones (ack-gate.ts). Always present, so sessions keep one shape on the delivery path. */
  readonly ackGate: AckGate | undefined;
}

export function sessionId(nodeId: string, connection: SessionConnection, clientId: string): string {
  return `${nodeId}:${connection.id}:${clientId}`;
}

/** The facts of a session other nodes need (presence/types.ts). */
export function presenceOf(session: Session): PresenceSession {
  return { appId: session.appId, clientId: session.clientId, sessionId: session.id, tag: session.tag, deviceId: session.deviceId };
}

/** configBitmap bit 4, ReliableNotification: the client fetches missed events from GET /1.1/rtm/notifications (v4). */
const RELIABLE_NOTIFICATION = 1 << 4;

/**
 * Whether the client fetches the membership events it missed over REST
 * after a reconnect (protocol.md §8): it must not be pushed them as well,
 * or it would raise each event twice (v4 does not dedupe by serverTs).
 */
export function fetchesNotifications(configBitmap: number): boolean {
  return (configBitmap & RELIABLE_NOTIFICATION) !== 0;
}

/** configBitmap bit 5, CallbackResultSlice: the client reads per-member results. */
const PARTIAL_RESULTS = 1 << 5;

/**
 * Whether member operations answer this client with `allowedPids` and
 * `failedPids` (v4) rather than failing as a whole (v3 ignores the body).
 */
export function wantsPartialResults(session: Session): boolean {
  return (session.configBitmap & PARTIAL_RESULTS) !== 0 || session.ua.startsWith('js/4');
}
