/** `lc-chat/dist/lc-chat.js`: the ES build for `<script type="module">` (the SDK, `<lc-realtime>`, `<lc-chat>`, the autoloader). */
export * from '../../lib/components/es-entry.js';
