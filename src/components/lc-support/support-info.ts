/**
 * What the support desk keeps on a visitor's conversation, in one custom
 * attribute, `lcSupport`, so that any client (the agent page, a backend
 * through the REST API, the official SDKs with `conversation.get('lcSupport')`)
 * reads the same thing:
 *
 * ```json
 * { "lcSupport": {
 *     "visitor": { "id": "visitor-6fb5…", "name": "Ada", "email": "ada@example.com",
 *                  "url": "https://shop.example.com/pricing", "browser": "Chrome 131 on macOS" },
 *     "status": "open",
 *     "agents": { "support-1": { "name": "Mia", "avatar": "https://…/mia.png" } } } }
 * ```
 *
 * `<lc-support>` writes `visitor` (one path per changed field, so it never
 * overwrites `status`) and sets `status` to `open` when the visitor writes;
 * agents set `status`. `agents` is optional: whoever runs the desk may fill it
 * so visitors see names and faces. Everything here is what some member
 * claimed: it is read defensively (types, lengths) and shown as text.
 */
import type { Conversation } from '../../sdk/index.js';

/** The conversation attribute holding {@link SupportInfo}. */
export const SUPPORT_KEY = 'lcSupport';

/** Longest name, page URL, browser and email kept (longer ones are cut or, for an email, dropped). */
export const LIMITS = { name: 100, email: 254, url: 500, browser: 100 } as const;

/** Who the visitor is, as `<lc-support>` recorded it. */
export interface VisitorInfo {
  /** The visitor's clientId. */
  id: string;
  name?: string;
  email?: string;
  /** The page the visitor was on (origin and path: no query string, which may carry tokens). */
  url?: string;
  /** Browser and system, e.g. "Chrome 131 on macOS". */
  browser?: string;
}

/** `open` until an agent resolves it; a visitor writing again opens it again. */
export type SupportStatus = 'open' | 'resolved';

/** The support desk's attribute of a conversation, read defensively. */
export interface SupportInfo {
  visitor: VisitorInfo | undefined;
  status: SupportStatus;
  /** Display names and avatars by agent clientId, as far as the conversation says. */
  agents: Record<string, { name?: string; avatar?: string }>;
}

// No characters that would turn a `mailto:` link into one with headers (`?`, `&`, `%`) or another path.
const EMAIL = /^[^\s@<>()[\]\\,;:"?&%/]+@[^\s@<>()[\]\\,;:"?&%/]+\.[^\s@<>()[\]\\,;:"?&%/]+$/;

/** Whether `value` looks like an email address (one `@`, a dot after it, no spaces), within the length limit. */
export function isEmail(value: string): boolean {
  return value.length <= LIMITS.email && EMAIL.test(value);
}

function text(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed ? trimmed.slice(0, max) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** At most this many agents are read from the attribute: it is member-writable, and rendering must stay bounded. */
const MAX_AGENTS = 50;

/** The support info of a conversation's attributes, or undefined when it has none. */
export function readSupport(attributes: Record<string, unknown> | undefined): SupportInfo | undefined {
  const raw = attributes?.[SUPPORT_KEY];
  if (!isRecord(raw)) return undefined;
  let visitor: VisitorInfo | undefined;
  if (isRecord(raw.visitor) && typeof raw.visitor.id === 'string' && raw.visitor.id) {
    const v = raw.visitor;
    const email = text(v.email, LIMITS.email);
    visitor = {
      id: v.id as string,
      ...optional('name', text(v.name, LIMITS.name)),
      ...optional('email', email && isEmail(email) ? email : undefined),
      ...optional('url', text(v.url, LIMITS.url)),
      ...optional('browser', text(v.browser, LIMITS.browser)),
    };
  }
  const agents: SupportInfo['agents'] = {};
  if (isRecord(raw.agents)) {
    for (const [id, value] of Object.entries(raw.agents).slice(0, MAX_AGENTS)) {
      if (!isRecord(value)) continue;
      agents[id] = { ...optional('name', text(value.name, LIMITS.name)), ...optional('avatar', text(value.avatar, LIMITS.url)) };
    }
  }
  return { visitor, status: raw.status === 'resolved' ? 'resolved' : 'open', agents };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** The support info of a conversation (see {@link readSupport}). */
export function supportOf(conversation: Conversation | undefined): SupportInfo | undefined {
  return conversation ? readSupport(conversation.attributes) : undefined;
}

/** "Chrome 131 on macOS" from a user agent string: enough for an agent to picture the visitor's screen. */
export function describeBrowser(userAgent: string): string {
  const browser =
    match(userAgent, /Edg(?:e|A|iOS)?\/(\d+)/, 'Edge') ??
    match(userAgent, /OPR\/(\d+)/, 'Opera') ??
    match(userAgent, /Firefox\/(\d+)/, 'Firefox') ??
    match(userAgent, /(?:Chrome|CriOS)\/(\d+)/, 'Chrome') ??
    match(userAgent, /Version\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari/, 'Safari') ??
    'Browser';
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(userAgent)
      ? 'iOS'
      : /Mac OS X|Macintosh/.test(userAgent)
        ? 'macOS'
        : /Windows/.test(userAgent)
          ? 'Windows'
          : /CrOS/.test(userAgent)
            ? 'ChromeOS'
            : /Linux/.test(userAgent)
              ? 'Linux'
              : '';
  return system ? `${browser} on ${system}` : browser;
}

function match(userAgent: string, pattern: RegExp, name: string): string | undefined {
  const found = pattern.exec(userAgent);
  return found ? `${name} ${found[1]}` : undefined;
}

/** The page's URL as recorded for agents: origin and path only (a query string may carry tokens). */
export function pageUrl(location: Pick<Location, 'origin' | 'pathname'>): string {
  return `${location.origin}${location.pathname}`.slice(0, LIMITS.url);
}

type Listener = (conversationId: string) => void;
const listeners = new Set<Listener>();

/**
 * Calls `listener` when an element on this page saved a conversation's
 * support info. The server pushes a change to the other members only; the
 * element that saved tells the rest of its page this way.
 * @returns a function that stops listening
 */
export function onSupportSaved(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Saves support fields (paths under `lcSupport`) and tells the page's other elements. */
export async function saveSupport(conversation: Conversation, changes: Record<string, unknown>): Promise<void> {
  const entries = Object.entries(changes);
  if (!entries.length) return;
  const before = entries.map(([path]) => [path, conversation.get(`${SUPPORT_KEY}.${path}`)] as const);
  for (const [path, value] of entries) conversation.set(`${SUPPORT_KEY}.${path}`, value);
  try {
    await conversation.save();
  } catch (error) {
    // Not saved: what the page shows goes back to what the server has.
    for (const [path, value] of before) conversation.set(`${SUPPORT_KEY}.${path}`, value ?? null);
    throw error;
  }
  for (const listener of listeners) listener(conversation.id);
}
