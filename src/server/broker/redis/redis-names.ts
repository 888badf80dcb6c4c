/**
 * Pieces of Redis key and channel names. An app id is operator-chosen and
 * may hold a colon; escaped, `<appId>:<id>` can be read back one way only,
 * so app `a:b` with client `c` and app `a` with client `b:c` never share a
 * channel or a key.
 */
export function appSegment(appId: string): string {
  return appId.replaceAll('%', '%25').replaceAll(':', '%3A');
}
