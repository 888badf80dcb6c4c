/**
 * `node-buffer.ts` in browser bundles (package.json `"browser"`): no
 * `Buffer`, so the codec's Node-only paths fold away.
 */
import type { NodeBufferClass } from './node-buffer.js';

export const NodeBuffer: NodeBufferClass | undefined = undefined;
