/**
 * Encoding and decoding of `GenericCommand`s, one per WebSocket frame, in
 * binary or base64 text form. Shared by the server and the SDK, so it uses
 * nothing Node-specific.
 */
import { SCHEMA, CommandType, OpType, StatusType, QueryDirection, type IGenericCommand, type GenericCommand } from './generated/message.js';
import { base64ToBytes, bytesToBase64, compileSchema, decodeMessage, encodeMessage, encodeStringField, type MessageType, type SchemaTable } from './proto-codec.js';
import type { FrameFormat } from './subprotocols.js';

export { CommandType, OpType, StatusType };
export { bytesToBase64, base64ToBytes };
/** The schema's enums by message, as protobufjs's generated namespace had them. */
export const messages = { CommandType, OpType, StatusType, LogsCommand: { QueryDirection } } as const;
/** A command to encode: plain objects with the schema's fields. */
export type Command = IGenericCommand;
/** A decoded command: absent scalar fields read as their defaults. */
export type DecodedCommand = GenericCommand;

export type {
  ISessionCommand,
  IConvCommand,
  IDirectCommand,
  IAckCommand,
  ILogsCommand,
  ILogItem,
  IErrorCommand,
  IUnreadCommand,
  IReadCommand,
  IRcpCommand,
  IPatchCommand,
} from './generated/message.js';

/** The `GenericCommand` type of a schema table (SCHEMA, or the SDK's CLIENT_SCHEMA). */
export function commandType(schema: SchemaTable): MessageType {
  return compileSchema(schema).GenericCommand!;
}

// Pure: a bundle that never calls encodeCommand or decodeCommand (the SDK's,
// which uses client-codec.ts) leaves the full schema out.
const GENERIC_COMMAND = /* @__PURE__ */ commandType(SCHEMA);

export function encodeCommand(command: Command): Uint8Array {
  return encodeMessage(GENERIC_COMMAND, command);
}

/**
 * Throws on bytes that are not a well-formed `GenericCommand`, including a
 * string or bytes field whose length runs past the end of the frame.
 */
export function decodeCommand(bytes: Uint8Array): DecodedCommand {
  return decodeMessage(GENERIC_COMMAND, bytes) as unknown as DecodedCommand;
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
  const suffix = peerIdField(peerId);
  const out = new Uint8Array(encoded.length + suffix.length);
  out.set(encoded, 0);
  out.set(suffix, encoded.length);
  return out;
}

/** `GenericCommand.peerId` (field 4) encoded alone: append it to an encoded command. */
export function peerIdField(peerId: string): Uint8Array {
  return encodeStringField(4, peerId);
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
