/**
 * Reads a date in any of the protocol's encodings: ms since the epoch
 * (int64 fields), an ISO string (`createdAt`, `cdate`) or a LeanCloud date
 * object `{__type: 'Date', iso}` (`lm`). Returns undefined for anything else.
 */
export function decodeDate(value: unknown): Date | undefined {
  let date: Date | undefined;
  if (value instanceof Date) date = new Date(value.getTime());
  else if (typeof value === 'number') date = new Date(value);
  else if (typeof value === 'string') date = new Date(value);
  else if (typeof value === 'object' && value !== null && (value as { __type?: unknown }).__type === 'Date') {
    const iso = (value as { iso?: unknown }).iso;
    if (typeof iso === 'string') date = new Date(iso);
  }
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

/** A date as LeanCloud's JSON encodes it in queries. */
export function encodeDate(date: Date): { __type: 'Date'; iso: string } {
  return { __type: 'Date', iso: date.toISOString() };
}
