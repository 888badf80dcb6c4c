import { ProtocolError, type ErrorName } from '../../protocol/errors.js';

export const MAX_CLIENT_ID_LENGTH = 64;
export const MAX_MEMBERS = 500;

/** A client id is 1..64 characters without control characters. */
export function isValidClientId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_CLIENT_ID_LENGTH &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f]/.test(value)
  );
}

/** Sorted, de-duplicated, validated client ids. */
export function memberList(values: readonly unknown[], errorName: ErrorName): string[] {
  const members = new Set<string>();
  for (const value of values) {
    if (!isValidClientId(value)) throw ProtocolError.of(errorName, `invalid client id in members: ${JSON.stringify(value)?.slice(0, 80)}`);
    members.add(value);
  }
  return [...members].sort();
}

/** Parses a JSON object sent in a `JsonObjectMessage`. */
export function parseJsonObject(text: string | null | undefined, errorName: ErrorName, what: string): Record<string, unknown> {
  if (text == null || text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw ProtocolError.of(errorName, `${what} is not valid JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw ProtocolError.of(errorName, `${what} must be a JSON object`);
  return value as Record<string, unknown>;
}
