/**
 * The composer's templates for attachments and @-mentions: the staged
 * files, the drop zone, the suggestion list, with their styles and words.
 * Loaded on demand (the first file attached or dragged, the first `@` in a
 * group conversation), so the first load of `<lc-chat>` does not carry
 * them; the words are here, beside their templates, for the same reason.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { permanentUploadFailure } from '../client/outbox.js';
import type { Localizer } from '../i18n/localize.js';
import type { ChatMessage } from '../model/chat-message.js';
import { formatBytes } from '../util/format.js';
import { alertIcon, clockIcon } from './icons.js';

const WORDS = {
  en: {
    drop: 'Drop files to attach them',
    attachments: 'Attachments to send',
    remove: (name: string) => `Remove ${name}`,
    tooMany: (count: number) => `At most ${count} files at once.`,
    outboxFull: 'Too many files (or too large ones) are waiting to be sent: at most 20 files, 50 MB in all. Try again once they are sent.',
    mentions: 'Members to mention',
    everyone: 'Everyone here',
  },
  'zh-CN': {
    drop: '拖放文件到这里以添加附件',
    attachments: '待发送的附件',
    remove: (name: string) => `移除 ${name}`,
    tooMany: (count: number) => `一次最多 ${count} 个文件。`,
    outboxFull: '等待发送的文件太多或太大（最多 20 个、共 50 MB），请在它们发出后再试。',
    mentions: '要提及的成员',
    everyone: '所有人',
  },
};

const words = (lang: string) => (lang === 'zh-CN' ? WORDS['zh-CN'] : WORDS.en);

/** A member to mention, or everyone (`id` {@link MENTION_ALL}). */
export interface Suggestion {
  id: string;
  label: string;
}

/** The id a mention of everyone carries (`mentionedAll`). */
export const MENTION_ALL = '@all';

/** Suggestions shown at most. */
const MAX_SUGGESTIONS = 8;

/** The mention being typed and those picked in the draft; kept by the composer, which loads this module. */
export interface MentionState {
  /** Where the `@` is and what follows it. */
  query: { start: number; text: string } | undefined;
  /** The suggestion Enter or Tab would pick. */
  active: number;
  /** Mentions picked in this draft, by the text inserted (`@Bob`). */
  picked: Map<string, string>;
}

export interface MentionHost {
  readonly state: MentionState;
  /** Members who may be mentioned (the user left out). */
  members(): string[];
  displayName(clientId: string): string;
  lang(): string;
  /** Replaces the draft from `from` to the caret. */
  insert(text: string, from: number): void;
  update(): void;
}

/** Members whose id, or a word of whose name, starts with what was typed after `@`; then "all". */
export function suggestions(host: MentionHost): Suggestion[] {
  const query = host.state.query;
  const members = query ? host.members() : [];
  if (!query || !members.length) return [];
  const needle = query.text.toLocaleLowerCase();
  const found: Suggestion[] = members
    .map((id) => ({ id, label: host.displayName(id) }))
    .filter(({ id, label }) => id.toLocaleLowerCase().startsWith(needle) || label.toLocaleLowerCase().split(/\s+/u).some((word) => word.startsWith(needle)));
  if ('all'.startsWith(needle) || words(host.lang()).everyone.toLocaleLowerCase().startsWith(needle)) found.push({ id: MENTION_ALL, label: 'all' });
  return found.slice(0, MAX_SUGGESTIONS);
}

/** Arrows move, Enter or Tab pick, Escape closes; true when the key was the list's. */
export function mentionKeydown(event: KeyboardEvent, host: MentionHost): boolean {
  const found = suggestions(host);
  const state = host.state;
  if (!found.length || event.isComposing) return false;
  switch (event.key) {
    case 'ArrowDown':
      state.active = (state.active + 1) % found.length;
      break;
    case 'ArrowUp':
      state.active = (state.active - 1 + found.length) % found.length;
      break;
    case 'Enter':
    case 'Tab':
      if (event.shiftKey) return false;
      pick(host, found[state.active] ?? found[0]!);
      break;
    case 'Escape':
      state.query = undefined;
      break;
    default:
      return false;
  }
  event.preventDefault();
  event.stopPropagation();
  host.update();
  return true;
}

function pick(host: MentionHost, suggestion: Suggestion): void {
  const query = host.state.query;
  if (!query) return;
  const token = `@${suggestion.label}`;
  host.state.picked.set(token, suggestion.id);
  host.state.query = undefined;
  host.insert(`${token} `, query.start);
}

/** The mentions a draft carries: those picked whose `@name` is still in it. */
export function mentionsIn(picked: ReadonlyMap<string, string>, text: string): { list: string[]; all: boolean } | undefined {
  const list = new Set<string>();
  let all = false;
  for (const [token, id] of picked) {
    if (!text.includes(token)) continue;
    if (id === MENTION_ALL) all = true;
    else list.add(id);
  }
  return list.size || all ? { list: [...list], all } : undefined;
}

const styles = html`<style>
  .tray {
    padding: calc(var(--_space) * 0.5) calc(var(--_space) * 0.9) 0;
    background: var(--_bg);
  }
  .tray-note {
    margin: 0 0 6px;
    font-size: 0.85em;
    color: var(--_danger);
  }
  .staged {
    display: flex;
    gap: 8px;
    overflow-x: auto;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .chip {
    flex: none;
    display: flex;
    align-items: center;
    gap: 8px;
    max-inline-size: min(220px, calc(50% - 4px));
    padding: 6px;
    border: 1px solid var(--_border);
    border-radius: 10px;
    background: var(--_surface);
  }
  .chip img {
    inline-size: 40px;
    block-size: 40px;
    object-fit: cover;
    border-radius: 6px;
  }
  .chip .file-text {
    min-inline-size: 0;
  }
  .chip .remove {
    flex: none;
    inline-size: 28px;
    block-size: 28px;
    border: 0;
    border-radius: 50%;
    background: transparent;
    color: var(--_muted);
    font-size: 18px;
    cursor: pointer;
  }
  .chip .remove:hover {
    color: var(--_text);
    background: var(--_bg);
  }
  .drop-zone {
    position: absolute;
    inset: 8px;
    z-index: 3;
    display: grid;
    place-items: center;
    border: 2px dashed var(--_accent);
    border-radius: 12px;
    background: color-mix(in srgb, var(--_bg) 88%, transparent);
    color: var(--_accent);
    font-weight: 600;
    pointer-events: none;
  }
  .mentions {
    position: absolute;
    inset-block-end: 100%;
    inset-inline: calc(var(--_space) * 0.9);
    z-index: 2;
    margin: 0;
    padding: 4px;
    list-style: none;
    border-radius: 12px;
    background: var(--_bg);
    border: 1px solid var(--_border);
    box-shadow: 0 6px 24px rgb(0 0 0 / 0.18);
  }
  .mentions li {
    display: flex;
    gap: 8px;
    align-items: baseline;
    padding: 6px 10px;
    border-radius: 8px;
    cursor: pointer;
  }
  .mentions li[aria-selected='true'] {
    background: var(--_accent);
    color: var(--_accent-contrast);
  }
  .mentions li[aria-selected='true'] .meta {
    opacity: 1;
  }
</style>`;

export interface TrayView {
  files: readonly { file: File; preview: string | undefined }[];
  note: 'full' | 'limit' | undefined;
  max: number;
  localizer: Localizer;
  remove(index: number): void;
}

/** The staged files above the composer: a thumbnail or the name and size, and a button to remove each. */
export function renderTray({ files, note, max, localizer: { lang }, remove }: TrayView): TemplateResult | typeof nothing {
  if (!files.length && !note) return nothing;
  const w = words(lang);
  return html`${styles}
    <div class="tray" part="attachments">
      ${note ? html`<p class="tray-note" role="alert">${note === 'full' ? w.outboxFull : w.tooMany(max)}</p>` : nothing}
      <ul class="staged" aria-label=${w.attachments}>
        ${files.map(
          ({ file, preview }, index) =>
            html`<li class="chip" title=${file.name || 'file'}>
              ${preview ? html`<img src=${preview} alt="" />` : nothing}
              <span class="file-text"><span class="file-name">${file.name || 'file'}</span><span class="meta">${formatBytes(file.size, lang)}</span></span>
              <button type="button" class="remove" aria-label=${w.remove(file.name || 'file')} @click=${() => remove(index)}>×</button>
            </li>`,
        )}
      </ul>
    </div>`;
}

/** What covers the chat while files are dragged over it. */
export function renderDropZone(lang: string): TemplateResult {
  return html`${styles}
    <div class="drop-zone" part="drop-zone" aria-hidden="true">${words(lang).drop}</div>`;
}

/** The suggestions over the composer, as a listbox the textarea points at (`aria-activedescendant`). */
export function renderMentions(host: MentionHost): TemplateResult | typeof nothing {
  const found = suggestions(host);
  if (!found.length) return nothing;
  const w = words(host.lang());
  return html`${styles}
    <ul class="mentions" part="mentions" id="mentions" role="listbox" aria-label=${w.mentions}>
      ${found.map(
        (suggestion, index) =>
          html`<li
            id=${`mention-${index}`}
            role="option"
            aria-selected=${index === host.state.active ? 'true' : 'false'}
            data-id=${suggestion.id}
            @mousedown=${(event: Event) => event.preventDefault()}
            @click=${() => pick(host, suggestion)}
          >
            <strong>@${suggestion.label}</strong>${suggestion.id === MENTION_ALL
              ? html`<span class="meta">${w.everyone}</span>`
              : suggestion.label !== suggestion.id
                ? html`<span class="meta">${suggestion.id}</span>`
                : nothing}
          </li>`,
      )}
    </ul>`;
}

// ---- a pending attachment's status line -------------------------------------
// The status line of an attachment still in the outbox (its file not
// uploaded yet): waiting for the connection, uploading with progress, or
// failed with why; Cancel (or Delete) drops it and stops its upload.

export interface PendingUploadActions {
  retry(localId: string): void;
  discard(localId: string): void;
}

/** Why an upload failed, in the user's words. */
function reason(message: ChatMessage, { t, lang }: Pick<Localizer, 't' | 'lang'>): string {
  const failure = message.failure;
  if (failure?.reason !== 'upload') return t('upload.failed');
  switch (failure.cause) {
    case 'too-large':
      return failure.limit !== undefined ? t('upload.tooLarge', { limit: formatBytes(failure.limit, lang) }) : t('upload.tooLargeUnknown');
    case 'type':
      return failure.family === 'image' ? t('upload.notImage') : failure.family === 'audio' ? t('upload.notAudio') : t('upload.notVideo');
    case 'quota':
      return t('upload.quota');
    case 'rate':
      return t('upload.rate');
    case 'denied':
      return t('upload.denied');
    case 'network':
      return t('upload.network');
    default:
      return t('upload.failed');
  }
}

export function renderPendingUpload(message: ChatMessage & { upload: NonNullable<ChatMessage['upload']> }, actions: PendingUploadActions, localizer: Localizer): TemplateResult {
  const { t } = localizer;
  const localId = message.localId ?? message.id;
  const cancel = html`<button type="button" class="link-button" @click=${() => actions.discard(localId)}>${t('upload.cancel')}</button>`;
  if (message.status === 'failed') {
    return html`<div class="meta-line failed" data-status="failed" data-reason="upload" title=${message.error ?? nothing}>
      ${alertIcon}<span class="upload-error" role="alert">${reason(message, localizer)}</span> ·
      ${permanentUploadFailure(message.failure)
        ? nothing
        : html`<button type="button" class="link-button" @click=${() => actions.retry(localId)}>${t('message.retry')}</button> · `}
      <button type="button" class="link-button" @click=${() => actions.discard(localId)}>${t('message.discard')}</button>
    </div>`;
  }
  if (message.status === 'queued') {
    return html`<div class="meta-line" data-status="queued">${cancel} · ${clockIcon}<span>${t('message.queued')}</span></div>`;
  }
  return html`<div class="meta-line" data-status="sending">
    ${cancel}
    <progress part="progress" max="1" .value=${message.upload.progress} aria-label=${t('upload.progress', { name: message.upload.name })}></progress>
  </div>`;
}
