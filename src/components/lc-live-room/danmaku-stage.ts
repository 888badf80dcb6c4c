/**
 * The danmaku (bullet comment) engine behind `<lc-live-room>`: places
 * comments in lanes so they never overlap, moves them with compositor-only
 * animations (a `transform` animated by the Web Animations API, so the main
 * thread does no per-frame work), reuses their elements, and keeps the
 * density under `maxOnScreen` by dropping LOW comments before NORMAL ones
 * and never HIGH ones.
 *
 * Vocabulary from the W3C bullet-chatting proposal: `mode`
 * (scroll/top/bottom), `area` (fraction of the height used), `duration`
 * (of top/bottom comments), `play-state`, `allow-overlap`.
 */
import { MessagePriority } from '../../sdk/index.js';

export type DanmakuMode = 'scroll' | 'top' | 'bottom';

/** A comment to show. */
export interface DanmakuInput {
  id: string;
  text: string;
  from: string;
  mode: DanmakuMode;
  /** `MessagePriority`: 1 HIGH, 2 NORMAL, 3 LOW. */
  priority: number;
  /** Sent by the current user: outlined. */
  own: boolean;
  /** A CSS color for the text. */
  color?: string | undefined;
}

export interface DanmakuOptions {
  /** Pixels per second of scrolling comments. */
  speed: number;
  /** Seconds a top or bottom comment stays. */
  duration: number;
  /** Fraction of the height comments may use, from the top. */
  area: number;
  /** At most this many comments on screen (HIGH ones may exceed it). */
  maxOnScreen: number;
  /** Place comments even when no lane is free (they may overlap). */
  allowOverlap: boolean;
  /** Height of one lane (px). */
  laneHeight: number;
  /** Horizontal gap kept between comments of one lane (px). */
  gap: number;
  /** How long a comment may wait for a lane before it is dropped (ms); HIGH ones wait as long as needed. */
  maxWait: number;
}

export interface DanmakuCallbacks {
  start(danmaku: DanmakuInput): void;
  end(danmaku: DanmakuInput): void;
  drop(danmaku: DanmakuInput, reason: 'density'): void;
}

interface Live {
  input: DanmakuInput;
  element: HTMLElement;
  animation: Animation;
  lane: number;
  width: number;
  /** Distance travelled at the start (px): the stage width. */
  from: number;
}

interface Waiting {
  input: DanmakuInput;
  since: number;
}

/** Placement order: the user's own comments and HIGH first, then NORMAL, then LOW. */
const ORDER = (input: DanmakuInput): number => (input.own ? -1 : input.priority === MessagePriority.HIGH ? 0 : input.priority === MessagePriority.NORMAL ? 1 : 2);

export class DanmakuStage {
  readonly #layer: HTMLElement;
  readonly #callbacks: DanmakuCallbacks;
  options: DanmakuOptions;
  #width = 0;
  #height = 0;
  #paused = false;
  /** Per mode, the comment last placed in each lane. */
  #lanes: Record<DanmakuMode, Array<Live | undefined>> = { scroll: [], top: [], bottom: [] };
  #live = new Set<Live>();
  #pool: HTMLElement[] = [];
  #queue: Waiting[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Lanes paused by hovering a comment in them. */
  #hovered = new Set<string>();
  #scheduled = false;

  constructor(layer: HTMLElement, options: DanmakuOptions, callbacks: DanmakuCallbacks) {
    this.#layer = layer;
    this.options = options;
    this.#callbacks = callbacks;
  }

  /** Comments on screen now. */
  get onScreen(): number {
    return this.#live.size;
  }

  /** Comments waiting for a lane. */
  get waiting(): number {
    return this.#queue.length;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Sets the stage size (on resize); lanes follow. */
  resize(width: number, height: number): void {
    this.#width = width;
    this.#height = height;
    this.#schedule();
  }

  /** How many lanes fit in the area. */
  laneCount(): number {
    const usable = this.#height * Math.min(1, Math.max(0, this.options.area));
    return Math.max(1, Math.floor(usable / this.options.laneHeight));
  }

  /** Queues a comment; it shows as soon as a lane is free and the density allows. */
  add(input: DanmakuInput): void {
    this.#queue.push({ input, since: performance.now() });
    this.#schedule();
  }

  /** One pass over the queue per task, however many comments arrived in it. */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => this.#pump());
  }

  pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    for (const live of this.#live) live.animation.pause();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    for (const live of this.#live) if (!this.#hovered.has(this.#laneKey(live))) live.animation.play();
    this.#schedule();
  }

  /** Removes every comment (and drops nothing: the queue is simply cleared). */
  clear(): void {
    for (const live of [...this.#live]) this.#finish(live, false);
    this.#queue = [];
    this.#lanes = { scroll: [], top: [], bottom: [] };
  }

  destroy(): void {
    clearTimeout(this.#timer);
    this.clear();
    this.#pool = [];
  }

  /** Pauses every comment of the lane under the pointer (so the rest of the lane cannot run into it). */
  hover(element: HTMLElement, on: boolean): void {
    const live = [...this.#live].find((candidate) => candidate.element === element);
    if (!live) return;
    const key = this.#laneKey(live);
    if (on) this.#hovered.add(key);
    else this.#hovered.delete(key);
    for (const other of this.#live) {
      if (this.#laneKey(other) !== key) continue;
      if (on) other.animation.pause();
      else if (!this.#paused) other.animation.play();
    }
    element.classList.toggle('hovered', on);
    if (!on) this.#schedule();
  }

  #laneKey(live: Live): string {
    return `${live.input.mode}:${live.lane}`;
  }

  /**
   * Places what can be placed and drops what cannot show: LOW gives way
   * first (it shows only while the screen is under three-quarters of the
   * limit), NORMAL at the limit, HIGH and the user's own never (they wait for a lane). The
   * backlog is bounded by the limit too, lowest priority dropped first, and
   * nothing waits longer than `maxWait` (but HIGH). Cheap when nothing fits:
   * lanes are checked before anything is measured.
   */
  #pump(): void {
    this.#scheduled = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#width || !this.#height || this.#paused) return;
    const now = performance.now();
    const { maxOnScreen } = this.options;
    const lowLimit = Math.max(1, Math.ceil(maxOnScreen * 0.75));
    // Highest priority first, then oldest first.
    this.#queue.sort((a, b) => ORDER(a.input) - ORDER(b.input) || a.since - b.since);
    const remaining: Waiting[] = [];
    for (const waiting of this.#queue) {
      const { priority, mode, own } = waiting.input;
      // The user's own comments are never dropped either: they just sent them.
      const high = priority === MessagePriority.HIGH || own;
      const limit = high ? Infinity : priority === MessagePriority.NORMAL ? maxOnScreen : lowLimit;
      if (this.#live.size >= limit || (!high && remaining.length >= maxOnScreen)) {
        this.#callbacks.drop(waiting.input, 'density');
        continue;
      }
      let lane = this.#freeLane(mode);
      if (lane < 0 && this.options.allowOverlap) lane = Math.floor(Math.random() * this.laneCount());
      if (lane >= 0) {
        this.#place(waiting.input, lane);
        continue;
      }
      if (!high && now - waiting.since > this.options.maxWait) {
        this.#callbacks.drop(waiting.input, 'density');
        continue;
      }
      remaining.push(waiting);
    }
    this.#queue = remaining;
    if (remaining.length) this.#timer = setTimeout(() => this.#pump(), 50);
  }

  /** A free lane for a comment of `width`, or -1. */
  #freeLane(mode: DanmakuMode): number {
    const lanes = this.laneCount();
    // Lane 0 is the top one, or for bottom comments the bottom one: the first free lane wins.
    for (let lane = 0; lane < lanes; lane += 1) {
      const last = this.#lanes[mode][lane];
      if (!last || !this.#live.has(last)) return lane;
      if (mode !== 'scroll') continue;
      if (this.#hovered.has(`scroll:${lane}`)) continue;
      // Every comment moves at the same speed: one that has fully entered (plus the gap) can never be caught.
      const travelled = (Number(last.animation.currentTime ?? 0) / 1000) * this.options.speed;
      if (travelled >= last.width + this.options.gap) return lane;
    }
    return -1;
  }

  #place(input: DanmakuInput, lane: number): void {
    const element = this.#pool.pop() ?? this.#create();
    element.textContent = input.text;
    element.className = `danmaku ${input.mode}${input.own ? ' own' : ''}${input.priority === MessagePriority.HIGH ? ' high' : input.priority === MessagePriority.NORMAL ? ' normal' : ''}`;
    element.style.color = input.color ?? '';
    element.style.visibility = 'hidden';
    if (!element.isConnected) this.#layer.append(element);
    // The one measurement per comment (the overlay is `contain: strict`, so the layout is its own).
    const width = element.offsetWidth;
    const top = input.mode === 'bottom' ? this.#height - (lane + 1) * this.options.laneHeight : lane * this.options.laneHeight;
    const adjustedTop = input.mode === 'bottom' ? Math.max(0, top) : top;
    element.style.top = `${adjustedTop}px`;
    element.style.visibility = '';
    let animation: Animation;
    if (input.mode === 'scroll') {
      const distance = this.#width + width;
      animation = element.animate([{ transform: `translate3d(${this.#width}px, 0, 0)` }, { transform: `translate3d(${-width}px, 0, 0)` }], {
        duration: (distance / this.options.speed) * 1000,
        easing: 'linear',
        fill: 'both',
      });
    } else {
      const x = Math.max(0, (this.#width - width) / 2);
      animation = element.animate([{ transform: `translate3d(${x}px, 0, 0)` }, { transform: `translate3d(${x}px, 0, 0)` }], {
        duration: this.options.duration * 1000,
        fill: 'both',
      });
    }
    const live: Live = { input, element, animation, lane, width, from: this.#width };
    element.dataset.lane = `${input.mode}:${lane}`;
    this.#live.add(live);
    this.#lanes[input.mode][lane] = live;
    if (this.#paused || this.#hovered.has(this.#laneKey(live))) animation.pause();
    animation.onfinish = () => this.#finish(live, true);
    this.#callbacks.start(input);
  }

  #create(): HTMLElement {
    const element = document.createElement('div');
    element.setAttribute('part', 'danmaku');
    return element;
  }

  #finish(live: Live, ended: boolean): void {
    if (!this.#live.delete(live)) return;
    this.#hovered.delete(this.#laneKey(live));
    live.animation.onfinish = null;
    live.animation.cancel();
    this.#release(live.element);
    if (ended) this.#callbacks.end(live.input);
    if (this.#queue.length) this.#schedule();
  }

  #release(element: HTMLElement): void {
    element.style.visibility = 'hidden';
    element.classList.remove('hovered');
    element.textContent = '';
    if (this.#pool.length < 200) this.#pool.push(element);
    else element.remove();
  }
}
