/**
 * Message actions in `<lc-chat>`, the part in the first load: the state
 * the actions share and the keys that open a message's menu. Everything
 * that draws or does something (the menu and its button, the long press,
 * the editor, the quote above a reply, "(edited)", the "Replying to …" bar
 * and the reply reference `lc-before-send` then carries, recall, edit,
 * copy…) is `message-menu.ts`, loaded on demand: when a pointer first
 * comes over a message, a message is focused or touched, or a message
 * shown needs it (a reply, an edited or a mentioning message).
 *
 * A reply carries its quote reference in the message's attributes
 * (`_lcattrs`), under {@link REPLY_KEY}: other clients, the official SDKs
 * included, still read the reply's text as usual.
 */
import { css, html, nothing, type ReactiveController, type TemplateResult } from 'lit';
import { TextMessage, type Conversation } from '../../sdk/index.js';
import type { SharedClient } from '../client/shared-client.js';
import type { Localizer } from '../i18n/localize.js';
import { fromSdkMessage, MessageType, type ChatMessage } from '../model/chat-message.js';
import { previewText } from '../renderers/preview.js';

/**
 * The attribute (in `_lcattrs`) holding a reply's reference to the message
 * it answers, a {@link ReplyRef}.
 */
export const REPLY_KEY = 'lcReply';

/**
 * What a reply carries in `attributes.lcReply`: the original's `id`, server
 * `timestamp` (ms) and sender (`from`), and `text`: the start of its text
 * (at most 200 characters), or a one-line description of a file or image.
 */
export interface ReplyRef {
  id: string;
  timestamp: number;
  from: string;
  text?: string;
}

/** The actions, as the `actions` attribute names them. */
export type MessageAction = 'reply' | 'copy' | 'edit' | 'recall' | 'retry' | 'delete';

/** What the controller needs from `<lc-chat>` itself. */
export interface ActionsHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly updateComplete: Promise<boolean>;
  /** The `actions` attribute: the enabled actions, space- or comma-separated; unset: all. */
  readonly actions: string | undefined;
  /** The `recall-window` attribute: seconds after sending during which a message may be recalled; 0: always. */
  readonly recallWindow: number;
  addController(controller: ReactiveController): void;
  requestUpdate(): void;
  addEventListener(type: 'lc-before-send', listener: (event: Event) => void): void;
  removeEventListener(type: 'lc-before-send', listener: (event: Event) => void): void;
  dispatchEvent(event: Event): boolean;
}

/** What the actions work with, from `<lc-chat>`'s state. */
export interface ActionsContext {
  client(): SharedClient | undefined;
  conversation(): Conversation | undefined;
  items(): readonly ChatMessage[];
  /** Shows (and caches) messages the user changed. */
  merge(messages: ChatMessage[]): void;
  /** Loads the page before the oldest message shown; false when there is none. */
  loadOlder(): Promise<boolean>;
  displayName(clientId: string): string;
  localizer(): Localizer;
  focusComposer(): void;
  failed(error: unknown, operation: string): void;
}

type MenuModule = typeof import('./message-menu.js');

/** What the on-demand part uses of the first load (see message-menu.ts `init`). */
export interface ActionsLib {
  html: typeof html;
  css: typeof css;
  nothing: typeof nothing;
  TextMessage: typeof TextMessage;
  fromSdkMessage: typeof fromSdkMessage;
  previewText: typeof previewText;
  MessageType: typeof MessageType;
}
const LIB: ActionsLib = { html, css, nothing, TextMessage, fromSdkMessage, previewText, MessageType };

export class MessageActionsController implements ReactiveController {
  readonly host: ActionsHost;
  readonly context: ActionsContext;
  /** The message whose menu is open. */
  menuFor: string | undefined;
  /** The message being edited. */
  editing: string | undefined;
  /** The message the composer replies to. */
  reply: ReplyRef | undefined;
  /** The original a quote jumped to, highlighted. */
  highlight: string | undefined;
  /** A touch on a message still down, seen before the rest was loaded (its long press goes on): the message's id, where and when. */
  down: [id: string, x: number, y: number, at: number] | undefined;
  /** The rest of the actions, once loaded. */
  menu: MenuModule | undefined;
  #loading: Promise<MenuModule | undefined> | undefined;
  #listening = false;

  constructor(host: ActionsHost, context: ActionsContext) {
    this.host = host;
    this.context = context;
    host.addController(this);
  }

  hostConnected(): void {
    if (this.#listening) return;
    this.#listening = true;
    // The element's own shadow root: the listeners go away with it.
    const root = this.host.renderRoot;
    const intent = (event: Event): void => {
      const id = (event.target as Element).closest?.('article.row')?.getAttribute('data-id');
      if (!id) return;
      const { type, pointerType, clientX, clientY, timeStamp } = event as PointerEvent;
      if (type === 'pointerdown' && pointerType === 'touch') this.down = [id, clientX, clientY, timeStamp];
      void this.load();
    };
    for (const type of ['pointerover', 'focusin', 'pointerdown']) root.addEventListener(type, intent);
    root.addEventListener('pointerup', () => (this.down = undefined));
    root.addEventListener('keydown', (event) => {
      const row = event.target as HTMLElement;
      const { key, shiftKey } = event as KeyboardEvent;
      // Not Space: its keyup would land on the menu's first item and choose it.
      if (!row.matches?.('article.row') || !(key === 'Enter' || key === 'ContextMenu' || (key === 'F10' && shiftKey))) return;
      event.preventDefault();
      this.call('open', row.dataset.id!);
    });
  }

  /** Another conversation: nothing is open, replied to or highlighted. */
  reset(): void {
    this.menuFor = this.editing = this.reply = this.highlight = undefined;
  }

  /** Whether the page left an action on. */
  enabled(action: MessageAction): boolean {
    const list = this.host.actions;
    return list == null || list.split(/[\s,]+/).includes(action);
  }

  /** Loads the rest of the actions (once); the element then renders again with them. */
  load(): Promise<MenuModule | undefined> {
    return (this.#loading ??= import('./message-menu.js').then(
      (module) => {
        module.attach(this, LIB);
        this.menu = module;
        this.host.requestUpdate();
        return module;
      },
      (error: unknown) => {
        this.#loading = undefined;
        this.context.failed(error, 'actions');
        return undefined;
      },
    ));
  }

  /**
   * Once loaded: `open` a message's menu (focusing its first item), `retry`
   * a failed message (the inline Retry) after `lc-message-retry`, or
   * `discard` it (the inline Delete) after `lc-message-delete`.
   */
  call(what: 'open' | 'retry' | 'discard', id: string): void {
    void this.load().then((module) => module?.[what](this, id));
  }

  /**
   * What the list shows around a message: `quote` above its bubble (and
   * "Mentions you" for screen readers), `after` it ("(edited)"), `side`:
   * the menu button or the menu.
   */
  part(where: 'quote' | 'after' | 'side', message: ChatMessage): TemplateResult | typeof nothing {
    const module = this.menu;
    if (module) return module.render(this, where, message);
    // Drawn by the module: load it for a message that needs it.
    if (message.updatedAt || message.mentioned || message.attributes?.[REPLY_KEY]) void this.load();
    return nothing;
  }

  /** The inline editor while `message` is edited. */
  editor(message: ChatMessage): TemplateResult | undefined {
    return this.editing === message.id ? this.menu?.renderEditor(this, message) : undefined;
  }

  /** Above the composer while replying. */
  replyBar(): TemplateResult | typeof nothing {
    return this.menu?.renderReplyBar(this) ?? nothing;
  }
}
