/**
 * One localize helper for every element: the language comes from the
 * element's `lang`, else the nearest ancestor's (across shadow roots), else
 * the document's, else the browser's; English when none is supported.
 */
import { en, type StringKey, type Strings } from './en.js';

/**
 * The tables loaded so far, by lower-case tag. English, the fallback, always
 * is; its strings of the parts loaded on demand (`en-more.ts`) join it when
 * their modules load (`addEnglish`), before they render.
 */
const english = en as Strings;
const LANGUAGES: Record<string, Strings> = { en: english };

/** Adds English strings of a part loaded on demand (`en-more.ts`) to the table. */
export function addEnglish(strings: Partial<Strings>): void {
  Object.assign(english, strings);
}

/**
 * The other languages' tables, loaded the first time an element shows one:
 * a page in English never downloads them (the ES build makes each a chunk
 * of its own; the IIFE inlines them).
 */
const LOADERS: Record<string, () => Promise<Strings>> = {
  'zh-cn': () => import('./zh-cn.js').then((module) => module.zhCN),
};
const loading = new Map<string, Promise<void>>();
/** Languages whose table failed to load: English for the rest of the page's life, rather than every render waiting for the network again. */
const failed = new Set<string>();

/**
 * Loads the strings of a supported language tag (`zh-CN`). Returns
 * `undefined` when they are loaded already (or the tag has no table, or its
 * load failed: English is used), else a promise that settles when the load
 * does; until then, and if it fails, `localizer` gives English.
 */
export function loadStrings(lang: string): Promise<void> | undefined {
  const key = lang.toLowerCase();
  const load = LOADERS[key];
  if (LANGUAGES[key] || !load || failed.has(key)) return undefined;
  let pending = loading.get(key);
  if (!pending) {
    pending = load().then(
      (strings) => {
        LANGUAGES[key] = strings;
      },
      (error: unknown) => {
        failed.add(key);
        throw error;
      },
    );
    loading.set(key, pending);
  }
  return pending;
}

/** Parameters a string takes: `{count}` for plurals, `{name}` for names. */
type Params<K extends StringKey> = Strings[K] extends (p: infer P) => string ? P : undefined;

export interface Localizer {
  /** The resolved language tag, e.g. `en` or `zh-CN`. */
  readonly lang: string;
  readonly dir: 'ltr' | 'rtl';
  t<K extends StringKey>(key: K, ...params: Params<K> extends undefined ? [] : [Params<K>]): string;
}

/** The supported language closest to a BCP 47 tag: `zh`, `zh-Hans`, `zh-SG` → zh-CN. */
export function supportedLanguage(tag: string | undefined | null): 'en' | 'zh-CN' | undefined {
  if (!tag) return undefined;
  const lower = tag.toLowerCase();
  if (lower === 'zh' || lower.startsWith('zh-cn') || lower.startsWith('zh-hans') || lower.startsWith('zh-sg')) return 'zh-CN';
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  return undefined;
}

/** The `lang` in effect for an element. */
export function langOf(element: Element): string {
  for (let node: Node | null = element; node; ) {
    if (node instanceof Element && node.hasAttribute('lang')) return node.getAttribute('lang') ?? '';
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return typeof navigator !== 'undefined' ? navigator.language : 'en';
}

export function dirOf(element: Element): 'ltr' | 'rtl' {
  for (let node: Node | null = element; node; ) {
    if (node instanceof Element && node.hasAttribute('dir')) return node.getAttribute('dir') === 'rtl' ? 'rtl' : 'ltr';
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return 'ltr';
}

export function localizer(element: Element): Localizer {
  const lang = supportedLanguage(langOf(element)) ?? 'en';
  const strings = LANGUAGES[lang.toLowerCase()] ?? english;
  return {
    lang,
    dir: dirOf(element),
    t(key, ...params) {
      const value = strings[key] as string | ((p: unknown) => string);
      return typeof value === 'function' ? value(params[0]) : value;
    },
  };
}
