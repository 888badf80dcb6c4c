// First: before Lit loads (see define-element.ts).
import { defineElement } from '../define-element.js';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { MessagePriority, TextMessage, type Conversation } from '../../sdk/index.js';
import { LcWidgetElement } from '../client/lc-widget-element.js';
import type { SharedClient, SharedClientEvents } from '../client/shared-client.js';
import { LcDanmakuDropEvent, LcDanmakuEndEvent, LcDanmakuStartEvent, LcMessageEvent, type DanmakuInfo } from '../events.js';
import { isRecord, type ChatMessage } from '../model/chat-message.js';
import { renderAvatar } from '../lc-chat/message-list.js';
import { sendIcon } from '../lc-chat/icons.js';
import { previewText } from '../renderers/preview.js';
import { DanmakuStage, type DanmakuInput, type DanmakuMode } from './danmaku-stage.js';
import { styles } from './lc-live-room.styles.js';
import type { ListenerMap } from '../client/listen.js';
import { COMMAS, listConverter, toList, type ListInput } from '../util/list-property.js';
import { addEnglish } from '../i18n/localize.js';
import { enMore } from '../i18n/en-more.js';

addEnglish(enMore);

/** The message attribute that carries a comment's presentation: `{mode, priority, color}`. */
export const DANMAKU_KEY = 'danmaku';

/** Messages kept in the side list. */
const SIDE_LIMIT = 200;


const PRIORITIES = { low: MessagePriority.LOW, normal: MessagePriority.NORMAL, high: MessagePriority.HIGH } as const;
type PriorityName = keyof typeof PRIORITIES;

function info(input: DanmakuInput): DanmakuInfo {
  return { id: input.id, from: input.from, text: input.text, mode: input.mode, priority: input.priority, own: input.own };
}

/** What can be slotted as the picture: its intrinsic size decides where comments go. */
type Picture = HTMLVideoElement | HTMLImageElement | HTMLCanvasElement;

function isPicture(element: Element): element is Picture {
  return element instanceof HTMLVideoElement || element instanceof HTMLImageElement || element instanceof HTMLCanvasElement;
}

function pictureSize(picture: Picture): { width: number; height: number } | undefined {
  const [width, height] =
    picture instanceof HTMLVideoElement
      ? [picture.videoWidth, picture.videoHeight]
      : picture instanceof HTMLImageElement
        ? [picture.naturalWidth, picture.naturalHeight]
        : [picture.width, picture.height];
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/**
 * A live room: joins a chat room and shows its messages as danmaku (bullet
 * comments) over the slotted content, usually a `<video>`, with an online
 * count, an optional side chat and a composer.
 *
 * ```html
 * <lc-live-room server="wss://chat.example.com" app-id="…" client-id="viewer-1" name="Launch stream" chat>
 *   <video src="stream.m3u8" autoplay muted></video>
 * </lc-live-room>
 * ```
 *
 * Comments scroll right to left at `speed` px/s (or stay at the top or
 * bottom for `duration` s, per message), in lanes that never overlap,
 * inside the top `area` of the stage: the rest, where subtitles are, stays
 * clear. All modes share the lanes: bottom comments stack up from the
 * bottom of the area (just above the subtitles) within its lower half, top
 * ones down from the top within its upper half, and no comment ever
 * crosses another. Over `max-on-screen`, LOW comments
 * are dropped before NORMAL ones, HIGH ones never. They pause with the
 * slotted video and under the pointer.
 *
 * Event data is on the event (`event.count`) and, as with `CustomEvent`, in `event.detail` (`event.detail.count`).
 *
 * @summary Danmaku over a video from a chat room, with an online count, a side chat and a composer.
 *
 * @fires {LcDanmakuStartEvent} lc-danmaku-start - A comment started showing (`danmaku`).
 * @fires {LcDanmakuEndEvent} lc-danmaku-end - A comment left the stage (`danmaku`).
 * Comments dropped for density are counted on the stage ("3 hidden", `part="hidden-count"`).
 *
 * @fires {LcDanmakuDropEvent} lc-danmaku-drop - A comment was not shown (`danmaku`, `reason`: `density` or `filter`).
 * @fires {LcMessageEvent} lc-message - A message arrived in the room, or the user's was sent (`message`, `conversation`, `outgoing`).
 * @fires {LcErrorEvent} lc-error - Joining or sending failed (`error`, `operation`).
 *
 * @attr {string} lang - Language of the element's strings (`en`, `zh-CN`).
 *
 * @slot - The content under the comments, usually a `<video>`; its play state drives the comments'.
 * @slot header-actions - Buttons at the end of the header.
 *
 * @csspart header - The header: title and online count.
 * @csspart stage - The area holding the slotted content and the overlay.
 * @csspart overlay - The layer of comments: over the picture itself (a letterboxed video's black bars stay clear).
 * @csspart hidden-count - How many comments were not shown because the screen was full.
 * @csspart danmaku - One comment (also has the classes `scroll`, `top`, `bottom`, `own`, `normal`, `high`).
 * @csspart side - The side chat.
 * @csspart composer - The composer.
 * @csspart input - The comment input.
 * @csspart send-button - The send button.
 *
 * @cssproperty --lc-danmaku-font-size - Size of comments (default 22px).
 * @cssproperty --lc-danmaku-color - Color of comments (default white).
 * @cssproperty --lc-danmaku-opacity - Opacity of comments (default 1).
 * @cssproperty --lc-color-bg - Background of the side chat and composer.
 * @cssproperty --lc-color-text - Text color.
 * @cssproperty --lc-color-accent - Accent: send button, own comments' outline.
 * @cssproperty --lc-radius - Corner radius.
 * @cssproperty --lc-font-family - Font stack.
 */
export class LcLiveRoom extends LcWidgetElement {
  static override styles = styles;

  static override properties = {
    roomId: { type: String, attribute: 'room-id', reflect: true },
    name: { type: String },
    speed: { type: Number },
    duration: { type: Number },
    area: { type: Number },
    maxOnScreen: { type: Number, attribute: 'max-on-screen' },
    allowOverlap: { type: Boolean, attribute: 'allow-overlap' },
    playState: { type: String, attribute: 'play-state', reflect: true },
    blockWords: { converter: listConverter(COMMAS), attribute: 'block-words', noAccessor: true },
    chat: { type: Boolean },
    readOnly: { type: Boolean, attribute: 'readonly' },
    countInterval: { type: Number, attribute: 'count-interval' },
    // Again here: its default and what it covers differ from the other widgets'.
    theme: { type: String, reflect: true },
    _online: { state: true },
    _joined: { state: true },
    _side: { state: true },
    _hidden: { state: true },
    _priority: { state: true },
    _mode: { state: true },
  };

  /** The chat room to join. */
  declare roomId: string | undefined;
  /** Without `room-id`: the name of the room to join, created when no room has it. Also the title. */
  declare name: string | undefined;
  /** Speed of scrolling comments, pixels per second (independent of the stage width). */
  declare speed: number;
  /** Seconds a top or bottom comment stays. */
  declare duration: number;
  /**
   * Fraction of the stage's height comments may use, from the top (default
   * 0.8). No comment of any mode enters the bottom `1 - area`, which keeps
   * subtitles clear: bottom comments sit at the bottom of the area.
   */
  declare area: number;
  /** At most this many comments on screen: LOW ones are dropped first, then NORMAL; HIGH never. */
  declare maxOnScreen: number;
  /** Place comments even when no lane is free (they may overlap). */
  declare allowOverlap: boolean;
  /** `running` or `paused`: follows the slotted video; set it to pause the comments yourself. */
  declare playState: 'running' | 'paused';
  #blockWords: string[] = [];
  /** Comments containing any of these words (case-insensitive) are not shown: an array, or comma-separated. */
  get blockWords(): string[] {
    return this.#blockWords;
  }
  set blockWords(value: ListInput) {
    const old = this.#blockWords;
    this.#blockWords = toList(value, COMMAS, '<lc-live-room>.blockWords');
    this.requestUpdate('blockWords', old);
  }
  /** Shows the side chat with every message. */
  declare chat: boolean;
  /** Hides the composer. */
  declare readOnly: boolean;
  /** Seconds between online-count refreshes. */
  declare countInterval: number;
  /** Color theme of the side chat and composer: `light`, `dark` (default), or `auto`. */
  declare theme: 'light' | 'dark' | 'auto';

  declare private _online: number | undefined;
  declare private _joined: boolean;
  declare private _side: ChatMessage[];
  /** Comments dropped for density since the room was shown. */
  declare private _hidden: number;
  declare private _priority: PriorityName;
  declare private _mode: DanmakuMode;

  #conversation: Conversation | undefined;
  #joinKey = '';
  #stage: DanmakuStage | undefined;
  #resize: ResizeObserver | undefined;
  #countTimer: ReturnType<typeof setInterval> | undefined;
  #video: HTMLMediaElement | undefined;
  #picture: Picture | undefined;
  readonly #fitListener = (): void => this.#fitOverlay();
  #stageSize: ResizeObserver | undefined;
  #videoListener = (): void => this.#followVideo();
  #localCounter = 0;

  constructor() {
    super();
    this.speed = 140;
    this.duration = 4;
    this.area = 0.8;
    this.maxOnScreen = 60;
    this.allowOverlap = false;
    this.playState = 'running';
    this.blockWords = [];
    this.chat = false;
    this.readOnly = false;
    this.countInterval = 15;
    this.theme = 'dark';
    this._joined = false;
    this._side = [];
    this._hidden = 0;
    this._priority = 'low';
    this._mode = 'scroll';
  }

  /** The chat room, once joined. */
  get conversation(): Conversation | undefined {
    return this.#conversation;
  }

  /** The online count, as last fetched. */
  get onlineCount(): number | undefined {
    return this._online;
  }

  /** Comments on screen now. */
  get onScreen(): number {
    return this.#stage?.onScreen ?? 0;
  }

  /**
   * Shows a comment locally, without sending it (a page's own notices,
   * gifts, replays). It goes through the same filter and density rules.
   */
  show(text: string, options: { mode?: DanmakuMode; priority?: number; from?: string; own?: boolean; color?: string } = {}): void {
    this.#localCounter += 1;
    this.#enqueue({
      id: `local-${this.#localCounter}`,
      text,
      from: options.from ?? '',
      mode: options.mode ?? 'scroll',
      priority: options.priority ?? MessagePriority.NORMAL,
      own: options.own ?? false,
      color: options.color,
    });
  }

  /**
   * Sends a comment to the room and shows it (outlined, as the user's own).
   * LOW for ordinary comments, HIGH for gifts and pinned notices.
   */
  async send(text: string, options: { mode?: DanmakuMode; priority?: number; color?: string } = {}): Promise<void> {
    const conversation = this.#conversation;
    const client = this.client;
    const trimmed = text.trim();
    if (!conversation || !client || !trimmed) return;
    const mode = options.mode ?? 'scroll';
    const priority = options.priority ?? MessagePriority.LOW;
    const message = new TextMessage(trimmed);
    message.setAttributes({ [DANMAKU_KEY]: { mode, priority, ...(options.color ? { color: options.color } : {}) } });
    try {
      await conversation.send(message, { priority: priority as MessagePriority });
    } catch (error) {
      this.emitError(error, 'send');
      return;
    }
    const record: ChatMessage = {
      id: message.id,
      cid: conversation.id,
      from: client.clientId,
      timestamp: message.timestamp?.getTime() ?? Date.now(),
      type: -1,
      text: trimmed,
      attributes: { [DANMAKU_KEY]: { mode, priority } },
      payload: message.toJSON(),
      status: 'sent',
    };
    this.#arrived(record, true);
    this.dispatchEvent(new LcMessageEvent(record, conversation, true));
  }

  /** Refreshes the online count now. */
  async refreshCount(): Promise<void> {
    const conversation = this.#conversation;
    if (!conversation || this._state !== 'online') return;
    try {
      this._online = await conversation.count();
    } catch {
      // Shown again on the next interval.
    }
  }

  // ---- lifecycle -------------------------------------------------------------

  override connectedCallback(): void {
    super.connectedCallback();
    this.#restartCount();
    // Back in the document after a removal: the stage is built again on the next update.
    if (this.hasUpdated && !this.#stage) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#countTimer);
    this.#resize?.disconnect();
    this.#resize = undefined;
    this.#stageSize?.disconnect();
    this.#stageSize = undefined;
    this.#stage?.destroy();
    this.#stage = undefined;
    this.#watchVideo(undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('roomId') || changed.has('name')) void this.#join();
    if (changed.has('countInterval')) this.#restartCount();
    if (this.#stage) this.#stage.options = this.#stageOptions();
  }

  protected override updated(changed: PropertyValues<this>): void {
    const layer = this.renderRoot.querySelector<HTMLElement>('.overlay');
    if (layer && !this.#stage) {
      this.#stage = new DanmakuStage(layer, this.#stageOptions(), {
        start: (input) => this.dispatchEvent(new LcDanmakuStartEvent(info(input))),
        end: (input) => this.dispatchEvent(new LcDanmakuEndEvent(info(input))),
        drop: (input, reason) => this.#dropped(input, reason),
      });
      this.#resize = new ResizeObserver(() => this.#stage?.resize(layer.clientWidth, layer.clientHeight));
      this.#resize.observe(layer);
      this.#stage.resize(layer.clientWidth, layer.clientHeight);
      const stage = this.renderRoot.querySelector<HTMLElement>('.stage');
      this.#stageSize = new ResizeObserver(() => this.#fitOverlay());
      if (stage) this.#stageSize.observe(stage);
      this.#followVideo();
    }
    if (changed.has('playState') && this.#stage) {
      if (this.playState === 'paused') this.#stage.pause();
      else this.#stage.resume();
    }
    if ((changed as Map<PropertyKey, unknown>).has('_side')) {
      const side = this.renderRoot.querySelector<HTMLElement>('.side-list');
      if (side && side.scrollHeight - side.scrollTop - side.clientHeight < 80) side.scrollTop = side.scrollHeight;
    }
  }

  #stageOptions() {
    return {
      speed: Math.max(10, this.speed || 140),
      duration: Math.max(0.5, this.duration || 4),
      area: Math.min(1, Math.max(0.1, this.area || 0.8)),
      maxOnScreen: Math.max(1, this.maxOnScreen || 60),
      allowOverlap: this.allowOverlap,
      gap: 24,
      maxWait: 1500,
    };
  }

  #restartCount(): void {
    clearInterval(this.#countTimer);
    if (!this.isConnected) return;
    this.#countTimer = setInterval(() => void this.refreshCount(), Math.max(1, this.countInterval || 15) * 1000);
  }

  // ---- the video -------------------------------------------------------------

  #onSlotChange(event: Event): void {
    const slot = event.target as HTMLSlotElement;
    const assigned = slot.assignedElements({ flatten: true });
    this.#setPicture(
      assigned
        .map((element) => (isPicture(element) ? element : element.querySelector('video, img, canvas')))
        .find((element): element is Picture => element !== null && isPicture(element)),
    );
    const media = assigned
      .map((element) => (element instanceof HTMLMediaElement ? element : element.querySelector('video, audio')))
      .find((element): element is HTMLMediaElement => element instanceof HTMLMediaElement);
    this.#watchVideo(media);
  }

  #watchVideo(video: HTMLMediaElement | undefined): void {
    if (video === this.#video) return;
    for (const type of ['play', 'playing', 'pause', 'waiting', 'ended', 'seeking', 'seeked']) {
      this.#video?.removeEventListener(type, this.#videoListener);
      video?.addEventListener(type, this.#videoListener);
    }
    this.#video = video;
    this.#followVideo();
  }

  #setPicture(picture: Picture | undefined): void {
    if (picture === this.#picture) return;
    for (const type of ['loadedmetadata', 'resize', 'load']) {
      this.#picture?.removeEventListener(type, this.#fitListener);
      picture?.addEventListener(type, this.#fitListener);
    }
    this.#picture = picture;
    this.#fitOverlay();
  }

  /**
   * The overlay covers the picture, not the stage: a 16:9 video on a phone
   * is letterboxed (object-fit: contain), and comments belong on the
   * picture, not on the black bars above and below it.
   */
  #fitOverlay(): void {
    const stage = this.renderRoot.querySelector<HTMLElement>('.stage');
    const overlay = this.renderRoot.querySelector<HTMLElement>('.overlay');
    if (!stage || !overlay) return;
    const size = this.#picture ? pictureSize(this.#picture) : undefined;
    const width = stage.clientWidth;
    const height = stage.clientHeight;
    if (!size || !width || !height) {
      overlay.style.cssText = '';
    } else {
      const scale = Math.min(width / size.width, height / size.height);
      const fitted = { width: size.width * scale, height: size.height * scale };
      overlay.style.cssText = `inset: auto; left: ${(width - fitted.width) / 2}px; top: ${(height - fitted.height) / 2}px; width: ${fitted.width}px; height: ${fitted.height}px`;
    }
    // Now, not at the next resize report: a comment placed meanwhile would use the old lanes.
    this.#stage?.resize(overlay.clientWidth, overlay.clientHeight);
  }

  /** Comments run while the video plays (or when there is no video). */
  #followVideo(): void {
    const video = this.#video;
    if (!video) return;
    this.playState = video.paused || video.ended || video.seeking ? 'paused' : 'running';
  }

  // ---- the room --------------------------------------------------------------

  protected override clientChanged(client: SharedClient | undefined, previous: SharedClient | undefined): void {
    // Leave the room when the client stays open for others (a chat room counts who is in it).
    if (this.#conversation && previous?.state === 'online') void this.#conversation.quit().catch(() => {});
    this.#conversation = undefined;
    this.#joinKey = '';
    this._joined = false;
    if (client) void this.#join();
  }

  async #join(force = false): Promise<void> {
    const client = this.client;
    if (!client || (!this.roomId && !this.name)) return;
    const key = `${client.key}|${this.roomId ?? ''}|${this.name ?? ''}`;
    if (key === this.#joinKey && !force) return;
    this.#joinKey = key;
    this._joined = false;
    try {
      const im = await client.ready();
      if (this.#joinKey !== key) return;
      let room: Conversation | null = null;
      if (this.roomId) {
        room = await im.getConversation(this.roomId);
        if (!room) throw new Error(`no chat room ${this.roomId}`);
      } else {
        const [found] = await im.getQuery().equalTo('tr', true).equalTo('name', this.name!).limit(1).find();
        room = found ?? (await im.createConversation({ name: this.name!, transient: true }));
      }
      await room.join();
      if (this.#joinKey !== key) return;
      this.#conversation = room;
      this._joined = true;
      if (!this.roomId) this.roomId = room.id;
      this.#joinKey = `${client.key}|${this.roomId ?? ''}|${this.name ?? ''}`;
      await this.refreshCount();
    } catch (error) {
      if (this.#joinKey === key) this.#joinKey = '';
      this.emitError(error, 'join');
    }
  }

  protected override clientListeners(): ListenerMap<SharedClientEvents> {
    return {
      state: (state, previous) => {
        // A chat room's membership ends with the session: join again after any reconnect.
        if (state === 'online' && previous !== 'online' && (this.#conversation || this.#joinKey)) {
          void this.#join(true);
        }
      },
      message: (message, conversation) => {
        if (conversation.id !== this.#conversation?.id) return;
        this.#arrived(message, false);
        this.dispatchEvent(new LcMessageEvent(message, conversation, false));
      },
    };
  }

  #arrived(message: ChatMessage, own: boolean): void {
    if (this.chat) {
      const side = [...this._side, message];
      this._side = side.length > SIDE_LIMIT ? side.slice(side.length - SIDE_LIMIT) : side;
    }
    const spec = isRecord(message.attributes?.[DANMAKU_KEY]) ? (message.attributes[DANMAKU_KEY] as Record<string, unknown>) : {};
    const mode: DanmakuMode = spec.mode === 'top' || spec.mode === 'bottom' ? spec.mode : 'scroll';
    const priority = spec.priority === 1 || spec.priority === 2 || spec.priority === 3 ? spec.priority : MessagePriority.NORMAL;
    const color = typeof spec.color === 'string' && /^#[0-9a-f]{3,8}$/i.test(spec.color) ? spec.color : undefined;
    this.#enqueue({
      id: message.id,
      text: previewText(message, this.localize.value.t),
      from: message.from,
      mode,
      priority,
      own: own || message.from === this.client?.clientId,
      color,
    });
  }

  /** A comment not shown for density is counted where the viewer sees it ("3 hidden"); filtered ones are wanted hidden. */
  #dropped(input: DanmakuInput, reason: 'density' | 'filter'): void {
    if (reason === 'density') this._hidden += 1;
    this.dispatchEvent(new LcDanmakuDropEvent(info(input), reason));
  }

  #enqueue(input: DanmakuInput): void {
    const lower = input.text.toLocaleLowerCase();
    if (this.blockWords.some((word) => word && lower.includes(word.toLocaleLowerCase()))) {
      this.dispatchEvent(new LcDanmakuDropEvent(info(input), 'filter'));
      return;
    }
    if (!this.#stage) {
      this.#dropped(input, 'density');
      return;
    }
    this.#stage.add(input);
  }

  // ---- view ------------------------------------------------------------------

  #onOverlayPointer(event: PointerEvent, on: boolean): void {
    const target = event.target as HTMLElement;
    if (target.classList?.contains('danmaku')) this.#stage?.hover(target, on);
  }

  async #submit(event: Event): Promise<void> {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('.composer input');
    if (!input?.value.trim()) return;
    const text = input.value;
    input.value = '';
    await this.send(text, { priority: PRIORITIES[this._priority], mode: this._mode });
  }

  protected override render(): TemplateResult {
    const { t } = this.localize.value;
    const joined = this._joined && this._state === 'online';
    return html`<div class="room">
      <header part="header">
        <h2 class="title">${this.name ?? this.#conversation?.name ?? t('live.label')}</h2>
        <span class="live-dot" data-state=${joined ? 'online' : this._state}></span>
        <span class="online" aria-live="off">${this._online === undefined ? (joined ? '' : t('live.joining')) : t('live.online', { count: this._online })}</span>
        <slot name="header-actions"></slot>
      </header>
      <div class="body">
        <div class="stage" part="stage">
          <slot @slotchange=${this.#onSlotChange}></slot>
          <div
            class="overlay"
            part="overlay"
            aria-hidden="true"
            data-play-state=${this.playState}
            @pointerover=${(event: PointerEvent) => this.#onOverlayPointer(event, true)}
            @pointerout=${(event: PointerEvent) => this.#onOverlayPointer(event, false)}
          ></div>
          ${this._hidden
            ? html`<span class="hidden-count" part="hidden-count" title=${t('live.hiddenHint')}>${t('live.hidden', { count: this._hidden })}</span>`
            : nothing}
        </div>
        ${this.chat
          ? html`<aside class="side" part="side" aria-label=${t('live.chat')}>
              <div class="side-list" role="log" aria-live="polite">
                ${this._side.map(
                  (message) => html`<p class=${message.from === this.client?.clientId ? 'entry own' : 'entry'}>
                    ${renderAvatar(message.from, this.displayName(message.from), true)}
                    <span class="who">${this.displayName(message.from)}</span>
                    <span class="what" dir="auto">${previewText(message, t)}</span>
                  </p>`,
                )}
              </div>
            </aside>`
          : nothing}
      </div>
      ${this.readOnly
        ? nothing
        : html`<form class="composer" part="composer" @submit=${this.#submit}>
            <select aria-label=${t('live.priority')} .value=${this._priority} @change=${(event: Event) => (this._priority = (event.target as HTMLSelectElement).value as PriorityName)}>
              <option value="low">${t('live.priority.low')}</option>
              <option value="normal">${t('live.priority.normal')}</option>
              <option value="high">${t('live.priority.high')}</option>
            </select>
            <select aria-label=${t('live.mode')} .value=${this._mode} @change=${(event: Event) => (this._mode = (event.target as HTMLSelectElement).value as DanmakuMode)}>
              <option value="scroll">${t('live.mode.scroll')}</option>
              <option value="top">${t('live.mode.top')}</option>
              <option value="bottom">${t('live.mode.bottom')}</option>
            </select>
            <input part="input" type="text" maxlength="100" placeholder=${t('live.placeholder')} aria-label=${t('live.placeholder')} ?disabled=${!joined} />
            <button part="send-button" type="submit" aria-label=${t('live.send')} ?disabled=${!joined}>${sendIcon}</button>
          </form>`}
    </div>`;
  }
}

defineElement('lc-live-room', LcLiveRoom);

declare global {
  interface HTMLElementTagNameMap {
    'lc-live-room': LcLiveRoom;
  }
}
