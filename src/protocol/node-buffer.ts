/**
 * Node's `Buffer`, where there is one: the codec reads and writes strings and
 * base64 through its native code there, quicker than anything in JavaScript.
 * Undefined elsewhere (browsers, Deno).
 *
 * package.json `"browser"` swaps this module for `node-buffer.browser.ts`,
 * whose `NodeBuffer` is always undefined: a browser bundler (Vite, webpack,
 * esbuild, Rollup's node-resolve) then folds every `if (NodeBuffer)` away and
 * the Node-only paths never reach an app's bundle. Both give the same bytes;
 * this module alone still runs anywhere.
 */

/** The parts of Node's `Buffer` class the codec uses, typed without @types/node. */
export type NodeBufferClass = {
  allocUnsafeSlow(size: number): NodeBufferLike;
  byteLength(text: string): number;
  from(buffer: ArrayBufferLike, offset: number, length: number): { toString(encoding: 'base64'): string };
  from(text: string, encoding: 'base64'): Uint8Array;
};

/** A Buffer as the codec reads and writes it: native UTF-8 both ways. */
export type NodeBufferLike = Uint8Array & {
  utf8Slice(start: number, end: number): string;
  utf8Write(text: string, offset: number, length: number): number;
};

export const NodeBuffer = (globalThis as unknown as { Buffer?: NodeBufferClass }).Buffer;
