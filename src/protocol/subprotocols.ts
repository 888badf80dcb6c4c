/**
 * WebSocket subprotocols of the LeanCloud realtime protocol.
 *
 * `protobuf2` frames are binary; `proto2base64` frames carry the same bytes
 * base64-encoded in text frames (WeChat mini-programs, `noBinary`). Version 3
 * pushes unread counts after login; version 1 pushes the offline messages.
 */
export type FrameFormat = 'binary' | 'base64';
export type ProtocolVersion = 1 | 3;

export interface Subprotocol {
  readonly name: string;
  readonly format: FrameFormat;
  readonly version: ProtocolVersion;
}

/** In order of preference, when a client offers several. */
export const SUBPROTOCOLS: readonly Subprotocol[] = [
  { name: 'lc.protobuf2.3', format: 'binary', version: 3 },
  { name: 'lc.protobuf2.1', format: 'binary', version: 1 },
  { name: 'lc.proto2base64.3', format: 'base64', version: 3 },
  { name: 'lc.proto2base64.1', format: 'base64', version: 1 },
];

/** The subprotocol a client asks for, given its options. */
export function subprotocolFor(options: { noBinary?: boolean; pushOfflineMessages?: boolean }): Subprotocol {
  const format: FrameFormat = options.noBinary ? 'base64' : 'binary';
  const version: ProtocolVersion = options.pushOfflineMessages ? 1 : 3;
  return SUBPROTOCOLS.find((p) => p.format === format && p.version === version)!;
}

/** Picks the first supported subprotocol the client offered, or undefined if none. */
export function pickSubprotocol(offered: Iterable<string>): Subprotocol | undefined {
  const names = new Set(Array.from(offered, (name) => name.trim()));
  return SUBPROTOCOLS.find((p) => names.has(p.name));
}
