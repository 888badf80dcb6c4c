/**
 * Encoding and decoding of `GenericCommand`s, one per WebSocket frame, in
 * binary or base64 text form. Shared by the server and the SDK, so it uses
 * nothing Node-specific.
 */
import $protobuf from 'protobufjs/minimal.js';
import { push_server } from './generated/message.js';
import type { FrameFormat } from './subprotocols.js';

export const messages = push_server.messages2;
export const { CommandType, OpType, StatusType } = messages;
export type CommandType = push_server.messages2.CommandType;
export type OpType = push_server.messages2.OpType;
/** A command to encode: plain objects with the schema's fields. */
export type Command = push_server.messages2.IGenericCommand;
/** A decoded command: absent scalar fields read as their defaults. */
export type DecodedCommand = push_server.messages2.GenericCommand;

export type ISessionCommand = push_server.messages2.ISessionCommand;
export type IConvCommand = push_server.messages2.IConvCommand;
export type IDirectCommand = push_server.messages2.IDirectCommand;
export type IAckCommand = push_server.messages2.IAckCommand;
export type ILogsCommand = push_server.messages2.ILogsCommand;
export type ILogItem = push_server.messages2.ILogItem;
export type IErrorCommand = push_server.messages2.IErrorCommand;
export type IUnreadCommand = push_server.messages2.IUnreadCommand;
export type IReadCommand = push_server.messages2.IReadCommand;
export type IRcpCommand = push_server.messages2.IRcpCommand;
export type IPatchCommand = push_server.messages2.IPatchCommand;

const base64 = $protobuf.util.base64;

export function encodeCommand(command: Command): Uint8Array {
  return messages.GenericCommand.encode(command).finish();
}

/**
 * protobufjs's reader for Node buffers reads a string whose length runs past
 * the end as the shorter string that is there (`Math.min(pos + len, len)`);
 * its plain reader, and every `bytes` field, throw. This one throws for
 * strings too: peek at the length, then let the fast path read it.
 */
class StrictBufferReader extends $protobuf.BufferReader {
  override string(): string {
    const start = this.pos;
    const length = this.uint32();
    if (this.pos + length > this.len) throw new RangeError(`a string of ${length} bytes runs past the end of the frame`);
    this.pos = start;
    return super.string();
  }
}

const NodeBuffer = $protobuf.util.Buffer as unknown as { isBuffer(value: unknown): boolean } | null;
const isNodeBuffer = (bytes: Uint8Array): boolean => NodeBuffer !== null && NodeBuffer.isBuffer(bytes);

/**
 * Throws on bytes that are not a well-formed `GenericCommand`, including a
 * string or bytes field whose length runs past the end of the frame.
 */
export function decodeCommand(bytes: Uint8Array): DecodedCommand {
  return messages.GenericCommand.decode(isNodeBuffer(bytes) ? new StrictBufferReader(bytes as never) : bytes);
}

export function bytesToBase64(bytes: Uint8Array): string {
  return base64.encode(bytes, 0, bytes.length);
}

/** Throws on text that is not base64. */
export function base64ToBytes(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new Error('invalid base64');
  const bytes = new Uint8Array(base64.length(text));
  const written = base64.decode(text, bytes, 0);
  return written === bytes.length ? bytes : bytes.subarray(0, written);
}

/** Wraps encoded bytes as a frame of the negotiated format. */
export function toFrame(bytes: Uint8Array, format: FrameFormat): Uint8Array | string {
  return format === 'base64' ? bytesToBase64(bytes) : bytes;
}

/**
 * Reads a frame of either format: peers decode text frames as base64 and
 * binary frames as protobuf, whatever was negotiated (the official SDKs do).
 */
export function fromFrame(data: Uint8Array | string): DecodedCommand {
  return decodeCommand(typeof data === 'string' ? base64ToBytes(data) : data);
}

/**
 * Appends `peerId` to an already encoded command. Protobuf fields may come
 * in any order, so a push fanned out to many clients is encoded once and
 * only this short suffix differs per recipient.
 */
export function withPeerId(encoded: Uint8Array, peerId: string): Uint8Array {
  const writer = $protobuf.Writer.create();
  writer.uint32((4 << 3) | 2).string(peerId);
  const suffix = writer.finish();
  const out = new Uint8Array(encoded.length + suffix.length);
  out.set(encoded, 0);
  out.set(suffix, encoded.length);
  return out;
}

/** Whether a decoded message carries the field (proto2 presence). */
export function has<T extends object>(message: T | null | undefined, field: keyof T & string): boolean {
  return message != null && Object.prototype.hasOwnProperty.call(message, field);
}

/** Names of a command for logs and error details, e.g. `conv/start`. */
export function commandName(command: { cmd?: number | null; op?: number | null }): string {
  const cmd = CommandType[command.cmd ?? 0] ?? String(command.cmd);
  return command.op ? `${cmd}/${OpType[command.op] ?? command.op}` : String(cmd);
}
