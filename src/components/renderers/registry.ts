/**
 * The message renderer registry: one renderer per message type
 * (`_lctype`), built-ins for LeanCloud's types, and a fallback. Pages
 * replace any of them with {@link registerRenderer}; an element's own
 * `renderers` property overrides the registry for that element.
 *
 * Kept on `globalThis` under a registered symbol so that registrations
 * reach elements from another copy of the bundle too.
 */
import { MessageType, type ChatMessage } from '../model/chat-message.js';
import { renderFallback, renderRecalled, renderTextMessage } from './builtin.js';
import type { MessageRenderer, RendererName } from './types.js';

type RendererKey = number | 'fallback';

const TYPES: Record<Exclude<RendererName, 'fallback'>, number> = {
  text: MessageType.TEXT,
  image: MessageType.IMAGE,
  audio: MessageType.AUDIO,
  video: MessageType.VIDEO,
  location: MessageType.LOCATION,
  file: MessageType.FILE,
  recalled: MessageType.RECALLED,
};

const BUILT_IN = new Map<RendererKey, MessageRenderer>([
  [MessageType.TEXT, renderTextMessage],
  [MessageType.RECALLED, renderRecalled],
  ['fallback', renderFallback],
]);

/** The types of the rich built-ins (`rich.ts`), loaded on demand. */
const RICH: readonly number[] = [MessageType.IMAGE, MessageType.AUDIO, MessageType.VIDEO, MessageType.LOCATION, MessageType.FILE];
let richLoaded = false;
let richLoading: Promise<void> | undefined;

/**
 * Loads the rich built-in renderers (image, audio, video, location, file)
 * when one of `messages` needs them: a message of their type that no page
 * registration replaces. Returns `undefined` when nothing needs loading,
 * else a promise that settles once they are loaded: `<lc-chat>` waits for
 * it before it renders (`scheduleUpdate`), so such a message never shows
 * as "can't be shown" first. If the load fails, the promise still
 * settles: those messages get the fallback, and the next render tries again.
 */
export function richRenderersReady(messages: () => readonly ChatMessage[]): Promise<void> | undefined {
  if (richLoaded) return undefined;
  const map = registry();
  if (!messages().some(({ type }) => type != null && RICH.includes(type) && !map.has(type))) return undefined;
  return (richLoading ??= import('./rich.js').then(
    ({ renderImage, renderAudio, renderVideo, renderLocation, renderFile }) => {
      [renderImage, renderAudio, renderVideo, renderLocation, renderFile].forEach((render, index) => BUILT_IN.set(RICH[index]!, render));
      richLoaded = true;
    },
    () => {
      richLoading = undefined;
    },
  ));
}

const REGISTRY = Symbol.for('lc-chat.renderers');
type Global = typeof globalThis & { [REGISTRY]?: Map<RendererKey, MessageRenderer> };

function registry(): Map<RendererKey, MessageRenderer> {
  const global = globalThis as Global;
  return (global[REGISTRY] ??= new Map());
}

/** The registry key for a type number or name. */
export function rendererKey(type: number | RendererName): RendererKey {
  if (typeof type === 'number') {
    if (!Number.isInteger(type)) throw new TypeError(`message type ${type} is not an integer`);
    return type;
  }
  if (type === 'fallback') return type;
  const number = TYPES[type];
  if (number === undefined) throw new TypeError(`unknown renderer name ${String(type)}`);
  return number;
}

/**
 * Renders messages of `type` with `render` on every `lc-*` element of the
 * page, replacing the built-in (or an earlier registration).
 *
 * ```js
 * registerRenderer(7, (message, { t }) => html`<b>${message.text}</b>`);
 * registerRenderer('image', myImageRenderer);
 * ```
 * @param type an `_lctype` number, or a built-in's name
 * @returns a function that restores what was registered before
 */
export function registerRenderer(type: number | RendererName, render: MessageRenderer): () => void {
  if (typeof render !== 'function') throw new TypeError('render must be a function (message, context) => template');
  const key = rendererKey(type);
  const map = registry();
  const previous = map.get(key);
  map.set(key, render);
  return () => {
    if (map.get(key) !== render) return;
    if (previous) map.set(key, previous);
    else map.delete(key);
  };
}

/** The renderer for a message: overrides, then registrations, then built-ins, then the fallback. */
export function rendererFor(message: ChatMessage, overrides?: ReadonlyMap<RendererKey, MessageRenderer>): MessageRenderer {
  // A plain payload that is a string is an untyped text message (other SDKs send these).
  const key: RendererKey = message.type ?? (typeof message.payload === 'string' ? MessageType.TEXT : 'fallback');
  return (
    overrides?.get(key) ??
    registry().get(key) ??
    BUILT_IN.get(key) ??
    overrides?.get('fallback') ??
    registry().get('fallback') ??
    renderFallback
  );
}
