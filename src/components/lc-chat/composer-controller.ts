/**
 * What the composer of `<lc-chat>` does besides text: attachments staged
 * from the attach button, a paste or a drop (previewed, with the text as
 * their caption, removable before sending); the emoji picker (its module
 * loaded on first opening); and @-mention suggestions in group
 * conversations (arrow keys, Enter or Tab pick, Escape closes).
 */
import { html, nothing, type ReactiveController, type TemplateResult } from 'lit';
import { LcAttachEvent } from '../events.js';
import type { Localizer } from '../i18n/localize.js';
import type { EmojiPanelView } from './emoji-panel.js';
import type { ChatMessage } from '../model/chat-message.js';
import type { MentionHost, MentionState, PendingUploadActions } from './composer-ui.js';

type ComposerUi = typeof import('./composer-ui.js');

/** Files staged at once at most: a paste of a whole folder is not previewed in full. */
export const MAX_STAGED = 10;
/** The mention being typed: `@` at the start or after a space, then up to 32 characters without spaces. */
const MENTION_QUERY = /(?:^|\s)@([^\s@]{0,32})$/u;

interface Staged {
  file: File;
  /** An object URL for an image's thumbnail. */
  preview: string | undefined;
}

export interface ComposerHost {
  readonly element: HTMLElement & { requestUpdate(): void; addController(controller: ReactiveController): void; readonly updateComplete: Promise<boolean> };
  /** Whether files may be attached now (a conversation, a member, attachments not turned off). */
  canAttach(): boolean;
  /** Members who may be mentioned (the user left out); empty where mentions are off or not a group. */
  mentionable(): string[];
  displayName(clientId: string): string;
  textarea(): HTMLTextAreaElement | null;
  localizer(): Localizer;
  /** The draft changed by the controller (an emoji, a mention): the send button follows. */
  changed(): void;
}

export class ComposerController implements ReactiveController {
  readonly #host: ComposerHost;
  #staged: Staged[] = [];
  #note: 'full' | 'limit' | undefined;
  #dragging = false;
  #ui: ComposerUi | undefined;
  #emoji: ((view: EmojiPanelView) => TemplateResult) | undefined;
  #emojiOpen = false;
  readonly #mention: MentionState = { query: undefined, active: 0, picked: new Map() };
  readonly #mentionHost: MentionHost = {
    state: this.#mention,
    members: () => this.#host.mentionable(),
    displayName: (id) => this.#host.displayName(id),
    lang: () => this.#host.localizer().lang,
    insert: (text, from) => this.insert(text, from),
    update: () => this.#host.element.requestUpdate(),
  };

  constructor(host: ComposerHost) {
    this.#host = host;
    host.element.addController(this);
  }

  /** The staged files, in the order they were added. */
  get files(): File[] {
    return this.#staged.map((staged) => staged.file);
  }

  /** The templates for files and mentions, loaded at their first use (then the element renders again). */
  #loadUi(): void {
    if (this.#ui) return;
    void import('./composer-ui.js').then((ui) => {
      this.#ui = ui;
      this.#host.element.requestUpdate();
    });
  }

  hostConnected(): void {
    const element = this.#host.element;
    element.addEventListener('paste', this.#onPaste);
    element.addEventListener('dragenter', this.#onDragOver);
    element.addEventListener('dragover', this.#onDragOver);
    element.addEventListener('dragleave', this.#onDragLeave);
    element.addEventListener('drop', this.#onDrop);
    // On the shadow root: focus moving inside it never reaches the host.
    element.shadowRoot?.addEventListener('focusout', this.#onFocusOut as EventListener);
  }

  hostDisconnected(): void {
    const element = this.#host.element;
    element.removeEventListener('paste', this.#onPaste);
    element.removeEventListener('dragenter', this.#onDragOver);
    element.removeEventListener('dragover', this.#onDragOver);
    element.removeEventListener('dragleave', this.#onDragLeave);
    element.removeEventListener('drop', this.#onDrop);
    element.shadowRoot?.removeEventListener('focusout', this.#onFocusOut as EventListener);
    this.clear();
  }

  hostUpdated(): void {
    // A textbox that suggests: the list and its active option, for screen readers.
    const textarea = this.#host.textarea();
    if (!textarea) return;
    textarea.setAttribute('aria-autocomplete', 'list');
    if (this.#ui?.suggestions(this.#mentionHost).length) {
      textarea.setAttribute('aria-controls', 'mentions');
      textarea.setAttribute('aria-activedescendant', `mention-${this.#mention.active}`);
    } else {
      textarea.removeAttribute('aria-controls');
      textarea.removeAttribute('aria-activedescendant');
    }
  }

  // ---- attachments ------------------------------------------------------------

  /** Stages files (each announced by a cancelable `lc-attach`); over {@link MAX_STAGED} are refused and said so. */
  add(files: Iterable<File>, source: LcAttachEvent['source']): void {
    if (!this.#host.canAttach()) return;
    this.#loadUi();
    for (const file of files) {
      if (this.#staged.length >= MAX_STAGED) {
        this.#note = 'limit';
        break;
      }
      if (!this.#host.element.dispatchEvent(new LcAttachEvent(file, source))) continue;
      this.#staged.push({ file, preview: previewOf(file) });
    }
    this.#update();
  }

  /** Removes one staged file. */
  remove(index: number): void {
    const [removed] = this.#staged.splice(index, 1);
    if (removed?.preview) URL.revokeObjectURL(removed.preview);
    this.#note = undefined;
    this.#update();
    this.#host.textarea()?.focus();
  }

  /** Clears the staged files (sent, or the element went away). */
  clear(): void {
    for (const staged of this.#staged) if (staged.preview) URL.revokeObjectURL(staged.preview);
    this.#staged = [];
    this.#note = undefined;
    this.#update();
  }

  /** Stages again the files the outbox could not take, and says it is full. */
  refused(files: File[]): void {
    this.#staged = files.map((file) => ({ file, preview: previewOf(file) }));
    this.#note = 'full';
    this.#update();
  }

  /** Suggestions close when the composer loses focus (a click on one keeps it: see composer-ui). */
  readonly #onFocusOut = (event: FocusEvent): void => {
    if (!this.#mention.query || event.target !== this.#host.textarea()) return;
    this.#mention.query = undefined;
    this.#host.element.requestUpdate();
  };

  readonly #onPaste = (event: ClipboardEvent): void => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (!files.length || !this.#host.canAttach()) return;
    // Files (a screenshot, copied files) are attached; a text paste stays the textarea's.
    event.preventDefault();
    this.add(files, 'paste');
  };

  readonly #onDragOver = (event: DragEvent): void => {
    if (!event.dataTransfer?.types.includes('Files') || !this.#host.canAttach()) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.#loadUi();
    if (!this.#dragging) {
      this.#dragging = true;
      this.#host.element.requestUpdate();
    }
  };

  readonly #onDragLeave = (event: DragEvent): void => {
    // Leaving a child for another is no leaving.
    const to = event.relatedTarget as Node | null;
    if (to && this.#host.element.contains(to)) return;
    this.#stopDragging();
  };

  readonly #onDrop = (event: DragEvent): void => {
    this.#stopDragging();
    const files = [...(event.dataTransfer?.files ?? [])];
    if (!files.length || !this.#host.canAttach()) return;
    // Or the browser would open the file in place of the page.
    event.preventDefault();
    this.add(files, 'drop');
    this.#host.textarea()?.focus();
  };

  #stopDragging(): void {
    if (!this.#dragging) return;
    this.#dragging = false;
    this.#host.element.requestUpdate();
  }

  #update(): void {
    this.#host.element.requestUpdate();
    this.#host.changed();
  }

  /** The drop zone shown over the chat while files are dragged over it. */
  renderDropZone(): TemplateResult | typeof nothing {
    return this.#dragging && this.#ui ? this.#ui.renderDropZone(this.#host.localizer().lang) : nothing;
  }

  /** The status line of an attachment still to upload; undefined (and loading) until its template is here. */
  pendingUpload(message: ChatMessage, actions: PendingUploadActions): TemplateResult | undefined {
    const ui = this.#ui;
    if (!ui || !message.upload) {
      this.#loadUi();
      return undefined;
    }
    return ui.renderPendingUpload({ ...message, upload: message.upload }, actions, this.#host.localizer());
  }

  /** The staged files above the composer. */
  renderTray(): TemplateResult | typeof nothing {
    const ui = this.#ui;
    if (!ui) return nothing;
    return ui.renderTray({ files: this.#staged, note: this.#note, max: MAX_STAGED, localizer: this.#host.localizer(), remove: (index) => this.remove(index) });
  }

  // ---- emoji ------------------------------------------------------------------

  /** The emoji button, and the picker while it is open. */
  renderEmoji(): TemplateResult {
    const { t } = this.#host.localizer();
    const close = (refocus = true): void => {
      this.#emojiOpen = false;
      this.#host.element.requestUpdate();
      if (refocus) this.#host.textarea()?.focus();
    };
    return html`<button
        type="button"
        class="attach emoji"
        part="emoji-button"
        aria-label=${t('composer.emoji')}
        title=${t('composer.emoji')}
        aria-expanded=${this.#emojiOpen ? 'true' : 'false'}
        @click=${() => void this.#toggleEmoji()}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
          <circle cx="12" cy="12" r="9" /><path d="M8.5 14.5a4.5 4.5 0 0 0 7 0M9 9.5v.01M15 9.5v.01" />
        </svg></button
      >${this.#emojiOpen && this.#emoji ? this.#emoji({ label: t('composer.emoji'), pick: (emoji) => (this.insert(emoji), close()), close }) : nothing}`;
  }

  async #toggleEmoji(): Promise<void> {
    this.#emojiOpen = !this.#emojiOpen;
    // Loaded on the first opening only: the first load does not carry the grid.
    this.#emoji ??= (await import('./emoji-panel.js')).renderEmojiPanel;
    this.#host.element.requestUpdate();
    if (!this.#emojiOpen) return;
    await this.#host.element.updateComplete;
    this.#host.element.shadowRoot?.querySelector<HTMLElement>('.emoji-panel button[tabindex="0"]')?.focus();
  }

  /** Inserts text at the caret (replacing a selection, or from `from`), as if typed. */
  insert(text: string, from?: number): void {
    const textarea = this.#host.textarea();
    if (!textarea) return;
    textarea.setRangeText(text, from ?? textarea.selectionStart, textarea.selectionEnd, 'end');
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
    textarea.focus();
  }

  // ---- mentions ---------------------------------------------------------------

  /** The draft changed (typed, the caret moved): finds the mention being typed (the `@` and what follows it). */
  track(): void {
    const textarea = this.#host.textarea();
    const before = textarea ? textarea.value.slice(0, textarea.selectionStart) : '';
    const match = MENTION_QUERY.exec(before);
    const query = match ? { start: before.length - match[1]!.length - 1, text: match[1]! } : undefined;
    const state = this.#mention;
    if (query?.text !== state.query?.text || query?.start !== state.query?.start) state.active = 0;
    // The suggestions' code loads with the first `@` where someone can be mentioned.
    if (query && this.#host.mentionable().length) this.#loadUi();
    state.query = query;
    this.#host.element.requestUpdate();
  }

  /** Keys while suggestions show (arrows, Enter, Tab, Escape); true when the key was theirs and the composer must not send. */
  keydown(event: KeyboardEvent): boolean {
    return this.#ui?.mentionKeydown(event, this.#mentionHost) ?? false;
  }

  /** The mentions a draft carries: those picked whose `@name` is still in it. */
  mentionsIn(text: string): { list: string[]; all: boolean } | undefined {
    return this.#ui?.mentionsIn(this.#mention.picked, text);
  }

  /** The draft was sent: its mentions are done with. */
  sent(): void {
    this.#mention.picked.clear();
    this.#mention.query = undefined;
  }

  /** The suggestions over the composer. */
  renderMentions(): TemplateResult | typeof nothing {
    return this.#ui ? this.#ui.renderMentions(this.#mentionHost) : nothing;
  }
}

function previewOf(file: File): string | undefined {
  return file.type.startsWith('image/') ? URL.createObjectURL(file) : undefined;
}
