/**
 * The entry of the ES build, `dist/lc-chat.js` (`<script type="module">`):
 * `lc-chat/components` minus `<lc-conversation-list>`, `<lc-live-room>` and
 * `<lc-support>`, which are loaded on demand when their tags appear (see
 * `autoload.ts`), so a page with one `<lc-chat>` does not download them.
 * Their classes, `DANMAKU_KEY` and `visitorId` are exported by their own
 * modules, `dist/elements/<tag>.js`.
 *
 * Rollup's IIFE format cannot load code later, so `dist/lc-chat.iife.js`
 * is built from `index.ts` and defines everything at once.
 */
import { autoload } from './autoload.js';

export * from './core.js';
export { autoload, loadElement, type LazyElementTag, type LcElementTag } from './autoload.js';

if (typeof document !== 'undefined') autoload();
