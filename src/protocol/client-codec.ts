/**
 * The SDK's codec: codec.ts's encodeCommand and fromFrame on CLIENT_SCHEMA,
 * the schema without the GenericCommand parts the SDK never sends nor reads
 * (generated/message.ts says which). An app's bundle then carries the
 * client's part of the schema table only; the server keeps the whole one.
 * A frame with the parts left out still decodes: they are skipped as
 * unknown fields are.
 */
import { CLIENT_SCHEMA } from './generated/message.js';
import { base64ToBytes, commandType, type Command, type DecodedCommand } from './codec.js';
import { decodeMessage, encodeMessage } from './proto-codec.js';

const CLIENT_COMMAND = commandType(CLIENT_SCHEMA);

/** Encodes a command the SDK sends. */
export function encodeCommand(command: Command): Uint8Array {
  return encodeMessage(CLIENT_COMMAND, command);
}

/** Reads a frame of either format, as codec.ts's fromFrame does; throws on malformed bytes. */
export function fromFrame(data: Uint8Array | string): DecodedCommand {
  return decodeMessage(CLIENT_COMMAND, typeof data === 'string' ? base64ToBytes(data) : data) as unknown as DecodedCommand;
}
