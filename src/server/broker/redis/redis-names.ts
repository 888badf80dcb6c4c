/**
 * Pieces of Redis key and channel names. An app id is operator-chosen and
 * may hold a colon; escaped, `<appId>:<id>` can be read back one way only,
 * so app `a:b` with client `c` and app `a` with client `b:c` never share a
 * channel or a key.
 */
export function appSegment(appId: string): string {
  return appId.replaceAll('%', '%25').replaceAll(':', '%3A');
}

/** `<prefix>n:<node>`: the channel of one node, where it gets the deliveries for its sessions' clients. */
export function nodeChannel(prefix: string, nodeId: string): string {
  return `${prefix}n:${nodeId}`;
}
