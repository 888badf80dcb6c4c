import type { Connection } from './connection.js';

/** An IMClient logged in on a connection. */
export interface Session {
  /** Unique per process: `<connection id>:<client id>`. */
  readonly id: string;
  readonly appId: string;
  readonly clientId: string;
  readonly connection: Connection;
  readonly tag: string | null;
  readonly deviceId: string | null;
  /** User agent the SDK reported, e.g. `js/4.3.1`. */
  readonly ua: string;
  readonly openedAt: number;
}

export function sessionId(connection: Connection, clientId: string): string {
  return `${connection.id}:${clientId}`;
}
