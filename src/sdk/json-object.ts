/** JSON objects as the SDK reads them from payloads and commands: one helper each, shared. */

/** Whether a value is an object and not an array (nor null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object a JSON text holds; undefined for no text, malformed JSON or another value. */
export function parseJsonObject(json: string | null | undefined): Record<string, unknown> | undefined {
  if (!json) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
