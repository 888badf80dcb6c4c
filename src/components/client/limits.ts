/**
 * The server's limits (`GET /limits`: its `--max-payload` and
 * `--max-upload`), so the widgets refuse what the server would refuse,
 * and say why, before sending it.
 */
import { toHttpUrl, toWebSocketUrl } from '../../sdk/websocket.js';

/** What `GET /limits` answers. */
export interface ServerLimits {
  /** Largest WebSocket frame the server accepts, in bytes (`--max-payload`). */
  maxPayload: number;
  /** Largest file it accepts, in bytes (`--max-upload`). */
  maxUploadBytes: number;
}

/** A limits request that hangs must not hold anything up: without an answer, the server's own checks remain. */
const LIMITS_TIMEOUT_MS = 5_000;

/** The server's limits, or undefined when it cannot tell (unreachable, an older server). */
export async function fetchLimits(server: string): Promise<ServerLimits | undefined> {
  try {
    const response = await fetch(`${toHttpUrl(toWebSocketUrl(server))}/limits`, { signal: AbortSignal.timeout(LIMITS_TIMEOUT_MS) });
    if (!response.ok) return undefined;
    const body = (await response.json()) as Partial<ServerLimits> | null;
    const valid = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0;
    if (!body || !valid(body.maxPayload) || !valid(body.maxUploadBytes)) return undefined;
    return { maxPayload: body.maxPayload, maxUploadBytes: body.maxUploadBytes };
  } catch {
    return undefined;
  }
}

/**
 * Room in a frame for what wraps a message's payload: the command's
 * fields (cid, dt, serial, peer id, flags) and protobuf tags. Generous, so
 * that a message that passes this check is not refused by the server.
 */
const ENVELOPE_BYTES = 512;

/**
 * How large the frame carrying this payload will be: its JSON text as
 * UTF-8 plus the envelope, a third more in base64 text frames.
 */
export function frameBytes(payload: unknown, base64: boolean): number {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const binary = new TextEncoder().encode(text).byteLength + ENVELOPE_BYTES;
  return base64 ? Math.ceil(binary / 3) * 4 : binary;
}
