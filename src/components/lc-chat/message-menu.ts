/**
 * The part of `<lc-chat>`'s message actions loaded on demand (see
 * `message-actions.ts`): the menu (a `role="menu"` list of buttons beside
 * the message; arrow keys, Home and End move, Escape closes and gives the
 * focus back to the message), its button, the inline editor, the quote
 * above a reply and its jump to the original, "(edited)", the "Replying
 * to …" bar, what each action does after its cancelable `lc-message-*`
 * event, and the styles of all of it. Recall and edit go through the SDK
 * (`Conversation#recall`, `Conversation#update`).
 */
import type { CSSResult, TemplateResult } from 'lit';
import {
  LcMessageCopyEvent,
  LcMessageDeleteEvent,
  LcMessageEditEvent,
  LcMessageRecallEvent,
  LcMessageReplyEvent,
  LcMessageRetryEvent,
  type LcMessageActionEvent,
} from '../message-action-events.js';
import type { ChatMessage } from '../model/chat-message.js';
import type { ActionsLib, MessageAction, MessageActionsController, ReplyRef } from './message-actions.js';

// What this module needs of lit, the SDK and the model is handed over by
// the controller (`init`), not imported: importing modules of the first
// load from here makes the bundler split the first load into more chunks
// (more bytes, more requests).
let html: ActionsLib['html'];
let css: ActionsLib['css'];
let nothing: ActionsLib['nothing'];
let TextMessage: ActionsLib['TextMessage'];
let fromSdkMessage: ActionsLib['fromSdkMessage'];
let previewText: ActionsLib['previewText'];
let MessageType: ActionsLib['MessageType'];

/** How long a touch must rest on a message to open its menu (ms). */
const LONG_PRESS_MS = 500;

/**
 * Takes over from the first load for one element: what this module uses of
 * lit, the SDK and the model, the long press, and the reply reference that
 * `lc-before-send` carries.
 */
export function attach(ctl: MessageActionsController, lib: ActionsLib): void {
  ({ html, css, nothing, TextMessage, fromSdkMessage, previewText, MessageType } = lib);
  const root = ctl.host.renderRoot;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let at = [0, 0];
  let pressed = false;
  const press = (id: string | null | undefined, x: number, y: number, delay: number): void => {
    clearTimeout(timer);
    pressed = false;
    if (!id) return;
    at = [x, y];
    timer = setTimeout(() => {
      pressed = true;
      void open(ctl, id);
    }, delay);
  };
  root.addEventListener('pointerdown', ((event: PointerEvent) =>
    press(event.pointerType === 'touch' ? (event.target as Element).closest?.('article.row')?.getAttribute('data-id') : undefined, event.clientX, event.clientY, LONG_PRESS_MS)) as EventListener);
  const end = (event: PointerEvent): void => {
    // A finger drifting a little is still a press; scrolling is not.
    if (event.type !== 'pointermove' || Math.hypot(event.clientX - at[0]!, event.clientY - at[1]!) > 10) clearTimeout(timer);
  };
  for (const type of ['pointerup', 'pointercancel', 'pointermove']) root.addEventListener(type, end as EventListener);
  // The browser's own menu after a long press would cover ours.
  root.addEventListener('contextmenu', (event) => {
    if (pressed) event.preventDefault();
    pressed = false;
  });
  // A touch that began before this module was here goes on being a press.
  const down = ctl.down;
  if (down) press(down[0], down[1], down[2], LONG_PRESS_MS - (performance.now() - down[3]));
  ctl.down = undefined;

  // Escape in the composer drops the reply being written.
  root.addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key !== 'Escape' || !ctl.reply || !(event.target as Element).matches?.('textarea[part="input"]')) return;
    event.preventDefault();
    ctl.reply = undefined;
    ctl.host.requestUpdate();
  });

  // The reply reference goes into the attributes lc-before-send carries, so the page sees (and may change) it.
  ctl.host.addEventListener('lc-before-send', (event) => {
    const reply = ctl.reply;
    if (!reply) return;
    const before = event as Event & { attributes: Record<string, unknown> | undefined };
    before.attributes = { ...before.attributes, lcReply: reply };
    // After every listener: a canceled send keeps the reply for the next try.
    queueMicrotask(() => {
      if (event.defaultPrevented || ctl.reply !== reply) return;
      ctl.reply = undefined;
      ctl.host.requestUpdate();
    });
  });
}

/** Characters of the original's text a reply carries (for a quote shown before the original is loaded). */
const REPLY_EXCERPT_MAX = 200;

/** Older pages loaded at most to find the original of a quote. */
const JUMP_PAGES_MAX = 50;

const ORDER: readonly MessageAction[] = ['reply', 'copy', 'edit', 'recall', 'retry', 'delete'];

/** The actions' words (the element's own strings stay small: these load with the actions). */
const WORDS = {
  en: {
    reply: 'Reply',
    copy: 'Copy text',
    edit: 'Edit',
    recall: 'Recall',
    retry: 'Retry',
    delete: 'Delete',
    save: 'Save',
    cancel: 'Cancel',
    editing: 'Edit message',
    menu: 'Message actions',
    edited: '(edited)',
    replyingTo: 'Replying to',
    cancelReply: 'Cancel reply',
    jump: 'Show the original message',
  },
  'zh-CN': {
    reply: '回复',
    copy: '复制文字',
    edit: '编辑',
    recall: '撤回',
    retry: '重试',
    delete: '删除',
    save: '保存',
    cancel: '取消',
    editing: '编辑消息',
    menu: '消息操作',
    edited: '（已编辑）',
    replyingTo: '回复',
    cancelReply: '取消回复',
    jump: '查看原消息',
  },
};

type Words = (typeof WORDS)['en'];

function words(ctl: MessageActionsController): Words {
  return WORDS[ctl.context.localizer().lang as keyof typeof WORDS] ?? WORDS.en;
}

/** A message's reply reference, checked field by field (it comes from other people's clients). */
export function replyOf(message: ChatMessage): ReplyRef | undefined {
  const ref = message.attributes?.lcReply as Record<string, unknown> | undefined;
  if (typeof ref !== 'object' || !ref) return undefined;
  const { id, timestamp, from, text } = ref;
  if (typeof id !== 'string' || !id || id.length > 128 || typeof from !== 'string' || from.length > 128) return undefined;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) return undefined;
  return { id, timestamp, from, ...(typeof text === 'string' ? { text: text.slice(0, REPLY_EXCERPT_MAX) } : {}) };
}

/** The actions that apply to a message and the page left on, in menu order. */
export function available(ctl: MessageActionsController, message: ChatMessage): MessageAction[] {
  const own = message.from === ctl.context.client()?.clientId;
  const recalled = message.type === MessageType.RECALLED;
  const failed = message.status === 'failed';
  const sent = !failed && message.status !== 'sending' && message.status !== 'queued';
  const window = ctl.host.recallWindow;
  const may: Record<MessageAction, boolean> = {
    reply: sent && !recalled,
    copy: !recalled && Boolean(message.text),
    edit: own && sent && (message.type === MessageType.TEXT || message.type === null) && typeof message.text === 'string',
    recall: own && sent && !recalled && (!(window > 0) || Date.now() - message.timestamp <= window * 1000),
    // Over the size limit or muted: sending again cannot help.
    retry: own && failed && !message.failure,
    delete: own && failed,
  };
  return ORDER.filter((action) => may[action] && ctl.enabled(action));
}

function find(ctl: MessageActionsController, id: string): ChatMessage | undefined {
  return ctl.context.items().find((message) => message.id === id || message.localId === id);
}

function row(ctl: MessageActionsController, id: string): HTMLElement | null {
  return ctl.host.renderRoot.querySelector<HTMLElement>(`article.row[data-id="${CSS.escape(id)}"]`);
}

/** Fires an action's event; whether the page let it go on. */
function announce(ctl: MessageActionsController, event: LcMessageActionEvent): boolean {
  return ctl.host.dispatchEvent(event);
}

/** Opens a message's menu and focuses its first item. */
export async function open(ctl: MessageActionsController, id: string): Promise<void> {
  const message = find(ctl, id);
  if (!message || !available(ctl, message).length) return;
  ctl.menuFor = message.id;
  ctl.host.requestUpdate();
  await ctl.host.updateComplete;
  const menu = row(ctl, message.id)?.querySelector<HTMLElement>('.menu');
  menu?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  menu?.scrollIntoView({ block: 'nearest' });
}

/** Closes the menu (or the editor); `refocus` gives the focus back to the message. */
function close(ctl: MessageActionsController, refocus: boolean): void {
  const id = ctl.menuFor ?? ctl.editing;
  ctl.menuFor = ctl.editing = undefined;
  ctl.host.requestUpdate();
  if (refocus && id) void ctl.host.updateComplete.then(() => row(ctl, id)?.focus({ preventScroll: true }));
}

export function retry(ctl: MessageActionsController, localId: string): void {
  const message = find(ctl, localId);
  if (message && ctl.enabled('retry') && announce(ctl, new LcMessageRetryEvent(message))) ctl.context.client()?.resend(localId);
}

export function discard(ctl: MessageActionsController, localId: string): void {
  const message = find(ctl, localId);
  if (message && ctl.enabled('delete') && announce(ctl, new LcMessageDeleteEvent(message))) void ctl.context.client()?.discard(localId);
}

/** Does what the user chose, after its (cancelable) event. */
async function run(ctl: MessageActionsController, action: MessageAction, message: ChatMessage): Promise<void> {
  const { context } = ctl;
  const localId = message.localId ?? message.id;
  if (action === 'edit') {
    ctl.menuFor = undefined;
    ctl.editing = message.id;
    ctl.host.requestUpdate();
    await ctl.host.updateComplete;
    ctl.host.renderRoot.querySelector<HTMLTextAreaElement>('.editor textarea')?.focus();
    return;
  }
  if (action === 'reply' && announce(ctl, new LcMessageReplyEvent(message))) return replyTo(ctl, message);
  close(ctl, true);
  if (action === 'copy' && announce(ctl, new LcMessageCopyEvent(message))) await copy(message.text ?? '');
  if (action === 'retry') retry(ctl, localId);
  if (action === 'delete') discard(ctl, localId);
  if (action === 'recall' && announce(ctl, new LcMessageRecallEvent(message))) {
    const conversation = context.conversation();
    try {
      if (!conversation) throw new Error('the conversation is not open');
      const recalled = await conversation.recall({ id: message.id, timestamp: message.timestamp });
      context.merge([fromSdkMessage(recalled, conversation.id, message.from)]);
    } catch (error) {
      context.failed(error, 'recall');
    }
  }
}

/** Starts replying: the bar shows above the composer, which takes the focus. */
function replyTo(ctl: MessageActionsController, message: ChatMessage): void {
  const text = message.type === MessageType.TEXT || message.type === null ? message.text : previewText(message, ctl.context.localizer().t);
  ctl.reply = { id: message.id, timestamp: message.timestamp, from: message.from, ...(text ? { text: text.slice(0, REPLY_EXCERPT_MAX) } : {}) };
  ctl.menuFor = undefined;
  ctl.host.requestUpdate();
  void ctl.host.updateComplete.then(() => ctl.context.focusComposer());
}

/** Scrolls to (and highlights) the message a quote refers to, loading older pages until it is shown. */
async function jump(ctl: MessageActionsController, ref: ReplyRef): Promise<void> {
  for (let page = 0; !find(ctl, ref.id) && page < JUMP_PAGES_MAX; page++) {
    const oldest = ctl.context.items()[0];
    // Older than the original and still not found: it is gone (or never was).
    if (oldest && oldest.timestamp < ref.timestamp) break;
    if (!(await ctl.context.loadOlder())) break;
  }
  // Off, then on: the flash plays again on a second jump to the same message.
  ctl.highlight = undefined;
  ctl.host.requestUpdate();
  await ctl.host.updateComplete;
  ctl.highlight = ref.id;
  ctl.host.requestUpdate();
  await ctl.host.updateComplete;
  const original = row(ctl, ref.id);
  original?.scrollIntoView({ block: 'center' });
  original?.focus({ preventScroll: true });
}

/** The clipboard API; where it is refused (no permission, an insecure page), a selection copied the old way. */
async function copy(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.style.cssText = 'position:fixed;opacity:0';
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

/** Saves an edit, after `lc-message-edit` (whose `text` the page may change). */
async function save(ctl: MessageActionsController, message: ChatMessage, text: string): Promise<void> {
  const { context } = ctl;
  const event = new LcMessageEditEvent(message, text);
  close(ctl, true);
  if (!announce(ctl, event) || !event.text.trim() || event.text === message.text) return;
  const conversation = context.conversation();
  try {
    if (!conversation) throw new Error('the conversation is not open');
    const next = new TextMessage(event.text);
    // The reply reference and the app's other attributes stay with the message.
    if (message.attributes) next.setAttributes(message.attributes);
    const updated = await conversation.update({ id: message.id, timestamp: message.timestamp }, next);
    context.merge([fromSdkMessage(updated, conversation.id, message.from)]);
  } catch (error) {
    context.failed(error, 'edit');
  }
}

/** What the list shows around a message (see `MessageActionsController#part`). */
export function render(ctl: MessageActionsController, where: 'quote' | 'after' | 'side', message: ChatMessage): TemplateResult | typeof nothing {
  install(ctl.host.renderRoot);
  const w = words(ctl);
  if (where === 'after') return message.updatedAt && message.type !== MessageType.RECALLED ? html`<span class="edited" part="edited">${w.edited}</span>` : nothing;
  if (where === 'quote') {
    const ref = replyOf(message);
    const mention = message.mentioned ? html`<span class="visually-hidden">${ctl.context.localizer().t('message.mentioned')}</span>` : nothing;
    if (!ref) return mention;
    const { t } = ctl.context.localizer();
    const original = find(ctl, ref.id);
    const text = original ? previewText(original, t) : (ref.text ?? t('preview.other'));
    return html`${mention}<button type="button" class="quote" part="quote" title=${w.jump} @click=${() => void jump(ctl, ref)}>
      <span class="quote-from">${nameOf(ctl, ref.from)}</span> <span class="quote-text" dir="auto">${text}</span>
    </button>`;
  }
  const actions = available(ctl, message);
  if (!actions.length) return nothing;
  if (ctl.menuFor !== message.id) {
    return html`<button
      type="button"
      class="actions-trigger"
      part="actions-button"
      tabindex="-1"
      aria-haspopup="menu"
      aria-label=${w.menu}
      title=${w.menu}
      @click=${() => void open(ctl, message.id)}
    >
      <svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><circle cx="5.5" cy="12" r="1.8" /><circle cx="12" cy="12" r="1.8" /><circle cx="18.5" cy="12" r="1.8" /></svg>
    </button>`;
  }
  const onKeydown = (event: KeyboardEvent): void => {
    const items = [...(event.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('[role="menuitem"]')];
    const index = items.indexOf(event.target as HTMLElement);
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: items.length - 1 };
    // No key of the menu's reaches the list (whose arrows move between messages).
    event.stopPropagation();
    if (event.key === 'Escape') close(ctl, true);
    else if (event.key in moves) items[(moves[event.key]! + items.length) % items.length]?.focus();
    else return; // Enter and Space choose (the items are buttons); Tab leaves, and the menu closes.
    event.preventDefault();
  };
  const onFocusout = (event: FocusEvent): void => {
    // Only this menu's: an item that opened the editor took the menu, and the focus, away.
    if (ctl.menuFor === message.id && !(event.currentTarget as HTMLElement).contains(event.relatedTarget as Node | null)) close(ctl, false);
  };
  // No focus moves on a press inside the menu: Safari does not focus a pressed button, and the focus
  // leaving the item it was on would close the menu before the click.
  return html`<div
    class="menu"
    part="menu"
    role="menu"
    aria-label=${w.menu}
    @keydown=${onKeydown}
    @focusout=${onFocusout}
    @mousedown=${(event: Event) => event.preventDefault()}
  >
    ${actions.map(
      (action) =>
        html`<button type="button" role="menuitem" tabindex="-1" class="menu-item" data-action=${action} @click=${() => void run(ctl, action, message)}>
          ${w[action]}
        </button>`,
    )}
  </div>`;
}

function nameOf(ctl: MessageActionsController, clientId: string): string {
  return clientId === ctl.context.client()?.clientId ? ctl.context.localizer().t('message.you') : ctl.context.displayName(clientId);
}

/** The inline editor, in place of the bubble's content. */
export function renderEditor(ctl: MessageActionsController, message: ChatMessage): TemplateResult {
  const w = words(ctl);
  const submit = (event: Event): void => {
    event.preventDefault();
    const form = (event.target as HTMLElement).closest('form')!;
    void save(ctl, message, form.querySelector('textarea')!.value);
  };
  const onKeydown = (event: KeyboardEvent): void => {
    // The list's arrow keys must not take the focus out of the text.
    event.stopPropagation();
    if (event.key === 'Escape') close(ctl, true);
    // IME: Enter confirms the composition (keyCode 229 covers Safari).
    else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) submit(event);
  };
  return html`<form class="editor" part="editor" @submit=${submit}>
    <textarea aria-label=${w.editing} rows="2" .value=${message.text ?? ''} @keydown=${onKeydown}></textarea>
    <div class="editor-buttons">
      <button type="button" class="link-button" @click=${() => close(ctl, true)}>${w.cancel}</button>
      <button type="submit" class="link-button">${w.save}</button>
    </div>
  </form>`;
}

/** "Replying to …" above the composer, with a button that cancels the reply. */
export function renderReplyBar(ctl: MessageActionsController): TemplateResult | typeof nothing {
  const reply = ctl.reply;
  if (!reply) return nothing;
  install(ctl.host.renderRoot);
  const w = words(ctl);
  const cancel = (): void => {
    ctl.reply = undefined;
    ctl.host.requestUpdate();
    ctl.context.focusComposer();
  };
  return html`<div class="reply-bar" part="reply-bar">
    <div class="reply-bar-text">
      <span class="quote-from">${w.replyingTo} ${nameOf(ctl, reply.from)}</span> <span class="quote-text" dir="auto">${reply.text ?? ''}</span>
    </div>
    <button type="button" class="reply-cancel" aria-label=${w.cancelReply} title=${w.cancelReply} @click=${cancel}>
      <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="m6 6 12 12M18 6 6 18" /></svg>
    </button>
  </div>`;
}

const styles = (): CSSResult => css`
  .row {
    position: relative;
    /* iOS shows its own callout on a long press; the menu has Copy. */
    -webkit-touch-callout: none;
  }
  .actions-trigger,
  .reply-cancel {
    flex: none;
    align-self: center;
    display: grid;
    place-items: center;
    inline-size: 28px;
    block-size: 28px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: none;
    color: var(--_muted);
    cursor: pointer;
  }
  .actions-trigger svg,
  .reply-cancel svg {
    inline-size: 18px;
  }
  .actions-trigger {
    opacity: 0;
  }
  .row:hover .actions-trigger,
  .row:focus .actions-trigger,
  .actions-trigger:focus-visible {
    opacity: 1;
  }
  .actions-trigger:hover,
  .reply-cancel:hover {
    background: var(--_surface);
  }
  .menu {
    position: absolute;
    z-index: 2;
    inset-block-start: calc(100% - 4px);
    inset-inline-end: 0;
    display: flex;
    flex-direction: column;
    min-inline-size: 10em;
    padding: 4px;
    background: var(--_bg);
    color: var(--_text);
    border: 1px solid var(--_border);
    border-radius: 10px;
    box-shadow: 0 6px 20px rgb(0 0 0 / 0.18);
  }
  .other .menu {
    inset-inline-end: auto;
    inset-inline-start: 36px;
  }
  .menu-item {
    padding: 7px 10px;
    border: 0;
    border-radius: 6px;
    background: none;
    text-align: start;
    cursor: pointer;
  }
  .menu-item:hover,
  .menu-item:focus-visible {
    background: var(--_surface);
  }
  .menu-item[data-action='recall'],
  .menu-item[data-action='delete'] {
    color: var(--_danger);
  }
  .quote,
  .reply-bar-text {
    display: flex;
    flex-direction: column;
    min-inline-size: 0;
    max-inline-size: 100%;
    font-size: 0.82em;
    text-align: start;
  }
  .quote {
    margin-block-end: 2px;
    padding: 4px 10px;
    border: 0;
    border-inline-start: 3px solid var(--_accent);
    border-radius: 8px;
    background: var(--_surface);
    color: var(--_text);
    cursor: pointer;
  }
  .quote-from {
    font-weight: 600;
  }
  .quote-text {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    color: var(--_muted);
  }
  .edited {
    margin: 2px 6px 0;
    font-size: 0.72em;
    color: var(--_muted);
  }
  .mentioned .bubble {
    box-shadow: inset 3px 0 0 var(--_accent);
  }
  .mentioned .bubble:dir(rtl) {
    box-shadow: inset -3px 0 0 var(--_accent);
  }
  .highlight .bubble {
    animation: lc-highlight 1.6s ease-out;
  }
  @keyframes lc-highlight {
    from {
      outline: 3px solid var(--_accent);
      outline-offset: 2px;
    }
  }
  .reply-bar {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 6px 10px;
    border-block-start: 1px solid var(--_border);
    border-inline-start: 3px solid var(--_accent);
  }
  .reply-bar-text {
    flex: 1;
  }
  .editor {
    display: flex;
    flex-direction: column;
    gap: 4px;
    inline-size: min(16em, 60vw);
    max-inline-size: 100%;
  }
  .editor textarea {
    inline-size: 100%;
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: 8px;
    padding: 6px 8px;
    resize: vertical;
  }
  .editor-buttons {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
  }
  .editor .link-button {
    color: inherit;
    font-weight: 600;
  }
  @media (prefers-reduced-motion: reduce) {
    .highlight .bubble {
      animation: none;
      outline: 3px solid var(--_accent);
    }
  }
`;

const installed = new WeakSet<Node>();
let sheet: CSSResult | undefined;

/** Adds these styles to the element's shadow root, once. */
function install(root: HTMLElement | DocumentFragment): void {
  if (installed.has(root)) return;
  installed.add(root);
  sheet ??= styles();
  if (root instanceof ShadowRoot && sheet.styleSheet) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet.styleSheet];
  else root.append(Object.assign(document.createElement('style'), { textContent: sheet.cssText }));
}
