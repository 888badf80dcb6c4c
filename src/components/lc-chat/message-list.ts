/**
 * The message list's template: day separators, the unread separator,
 * sender groups, bubbles (through the renderer registry) and each own
 * message's status. Pure: everything comes in through `ListView`.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { classMap } from 'lit/directives/class-map.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Localizer } from '../i18n/localize.js';
import { MessageType, type ChatMessage } from '../model/chat-message.js';
import { rendererFor, type rendererKey } from '../renderers/registry.js';
import { safeUrl } from '../renderers/safe-url.js';
import type { MessageRenderer, RenderContext, RenderResult } from '../renderers/types.js';
import { dayKey, formatBytes, formatDateTime, formatDay, formatTime } from '../util/format.js';
import { alertIcon, checkIcon, clockIcon, doubleCheckIcon } from './icons.js';

/** Consecutive messages of one sender closer than this form a group. */
const GROUP_GAP_MS = 5 * 60 * 1000;

export interface ListView {
  messages: readonly ChatMessage[];
  clientId: string;
  firstUnreadId: string | undefined;
  /** Names above groups; a one-to-one conversation has its other person in the header instead. */
  showSenders: boolean;
  localizer: Localizer;
  overrides: ReadonlyMap<ReturnType<typeof rendererKey>, MessageRenderer> | undefined;
  displayName(clientId: string): string;
  /** An avatar image's URL for a sender, if the page gave one. */
  avatarOf?(clientId: string): string | undefined;
  openImage(src: string, alt: string): void;
  retry(localId: string): void;
  discard(localId: string): void;
}

/**
 * A stable color per sender, for avatars, from the whole id: ids that
 * differ only at the end (`crowd-1`, `crowd-2`) must not get neighbouring
 * hues, so the hash is mixed (FNV-1a, then murmur3's finalizer) before it
 * is reduced to a hue.
 */
export function avatarHue(clientId: string): number {
  let hash = 0x811c9dc5;
  for (const char of clientId) hash = Math.imul(hash ^ char.codePointAt(0)!, 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  // The high bits, scaled: a 32-bit value mod 360 would lean on the low ones.
  return Math.floor(((hash >>> 0) / 2 ** 32) * 360);
}

export function initial(name: string): string {
  const first = [...name.trim()][0];
  return first ? first.toLocaleUpperCase() : '?';
}

export function renderAvatar(clientId: string, name: string, small = false, src?: string): TemplateResult {
  // The image covers the initial; if it fails to load it goes, and the initial shows.
  const url = safeUrl(src);
  return html`<span class=${small ? 'avatar small' : 'avatar'} style=${`--_avatar: hsl(${avatarHue(clientId)} 52% 50%)`} aria-hidden="true"
    >${initial(name)}${url ? html`<img src=${url} alt="" @error=${(event: Event) => (event.target as HTMLElement).remove()} />` : nothing}</span
  >`;
}

function safeRender(render: MessageRenderer, message: ChatMessage, context: RenderContext, fallback: MessageRenderer): RenderResult {
  try {
    return render(message, context);
  } catch (error) {
    // A faulty custom renderer must not take the whole list down; its
    // author still sees why in the console.
    console.error('lc-chat: a message renderer threw; showing the fallback', error);
    return fallback(message, context);
  }
}

function statusLine(message: ChatMessage, own: boolean, view: ListView): TemplateResult {
  const { t, lang } = view.localizer;
  const time = html`<time datetime=${new Date(message.timestamp).toISOString()} title=${formatDateTime(message.timestamp, lang)}
    >${formatTime(message.timestamp, lang)}</time
  >`;
  if (!own) return html`<div class="meta-line">${time}</div>`;
  const localId = message.localId ?? message.id;
  switch (message.status) {
    case 'failed':
      if (message.failure?.reason === 'too-large') {
        // Over the server's limit: retrying cannot help, so only Delete is offered.
        const { bytes, limit } = message.failure;
        const reason =
          limit > 0 ? t('message.tooLarge', { size: formatBytes(bytes, lang), limit: formatBytes(limit, lang) }) : t('message.tooLargeUnknown');
        return html`<div class="meta-line failed" data-status="failed" data-reason="too-large" title=${message.error ?? nothing}>
          ${alertIcon}<span>${reason}</span> ·
          <button type="button" class="link-button" @click=${() => view.discard(localId)}>${t('message.discard')}</button>
        </div>`;
      }
      if (message.failure?.reason === 'muted') {
        // Refused because the sender is muted (4563): retrying cannot help while the mute lasts.
        return html`<div class="meta-line failed" data-status="failed" data-reason="muted" title=${message.error ?? nothing}>
          ${alertIcon}<span>${t('message.muted')}</span> ·
          <button type="button" class="link-button" @click=${() => view.discard(localId)}>${t('message.discard')}</button>
        </div>`;
      }
      return html`<div class="meta-line failed" data-status="failed" title=${message.error ?? nothing}>
        ${alertIcon}<span>${t('message.failed')}</span> ·
        <button type="button" class="link-button" @click=${() => view.retry(localId)}>${t('message.retry')}</button> ·
        <button type="button" class="link-button" @click=${() => view.discard(localId)}>${t('message.discard')}</button>
      </div>`;
    case 'queued':
      return html`<div class="meta-line" data-status="queued">${clockIcon}<span>${t('message.queued')}</span></div>`;
    case 'sending':
      return html`<div class="meta-line" data-status="sending">${time}${clockIcon}<span class="visually-hidden">${t('message.sending')}</span></div>`;
    case 'read':
      // Not by color alone: read says so in words, next to ticks in the accent color.
      return html`<div class="meta-line" data-status="read">${time}${doubleCheckIcon}<span class="status-label">${t('message.read')}</span></div>`;
    default: {
      const icon = message.status === 'sent' ? checkIcon : doubleCheckIcon;
      return html`<div class="meta-line" data-status=${message.status}>
        ${time}${icon}<span class="visually-hidden">${t(`message.${message.status}`)}</span>
      </div>`;
    }
  }
}

/** Whether the bubble holds only media (it then hugs the image). */
function mediaOnly(message: ChatMessage): boolean {
  return (message.type === MessageType.IMAGE || message.type === MessageType.VIDEO) && !message.text;
}

export function renderMessages(view: ListView): TemplateResult {
  const { messages, clientId, firstUnreadId, localizer } = view;
  const { t, lang } = localizer;
  const words = { today: t('day.today'), yesterday: t('day.yesterday') };
  const now = Date.now();
  const fallback = rendererFor({ id: '', cid: '', from: '', timestamp: 0, type: null, payload: null, status: 'sent' }, view.overrides);

  const breaksBefore = (index: number): boolean => {
    const message = messages[index]!;
    const previous = messages[index - 1];
    return (
      !previous ||
      previous.from !== message.from ||
      message.timestamp - previous.timestamp > GROUP_GAP_MS ||
      dayKey(previous.timestamp) !== dayKey(message.timestamp) ||
      message.id === firstUnreadId
    );
  };

  return html`${repeat(
    messages,
    (message) => message.localId ?? message.id,
    (message, index) => {
      const own = message.from === clientId;
      const first = breaksBefore(index);
      const last = index === messages.length - 1 || breaksBefore(index + 1);
      const previous = messages[index - 1];
      const newDay = !previous || dayKey(previous.timestamp) !== dayKey(message.timestamp);
      const name = own ? t('message.you') : view.displayName(message.from);
      const context: RenderContext = { own, clientId, lang, t, openImage: view.openImage };
      const pending = message.status === 'sending' || message.status === 'queued';
      const showMeta = last || message.status === 'failed' || message.status === 'queued';
      return html`${newDay ? html`<div class="day" role="separator"><span>${formatDay(message.timestamp, lang, words, now)}</span></div>` : nothing}
        ${message.id === firstUnreadId ? html`<div class="unread" role="separator" id="unread-separator">${t('list.unread')}</div>` : nothing}
        <article
          class=${classMap({
            row: true,
            own,
            other: !own,
            first,
            'grouped-prev': !first,
            'grouped-next': !last,
            pending,
            failed: message.status === 'failed',
          })}
          part="message"
          data-id=${message.id}
          data-from=${message.from}
          tabindex="-1"
        >
          ${own ? nothing : html`<div class="avatar-slot">${first ? renderAvatar(message.from, name, true, view.avatarOf?.(message.from)) : nothing}</div>`}
          <div class="stack">
            ${!own && first && view.showSenders ? html`<div class="sender">${name}</div>` : html`<span class="visually-hidden">${name}:</span>`}
            <div class=${mediaOnly(message) ? 'bubble media-only' : 'bubble'} part="bubble">
              ${safeRender(rendererFor(message, view.overrides), message, context, fallback)}
            </div>
            ${showMeta ? statusLine(message, own, view) : nothing}
          </div>
        </article>`;
    },
  )}`;
}
