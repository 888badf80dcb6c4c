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
 *
 * Geometry. The top `area` of the stage is cut into lanes one comment
 * high; the rest (the bottom `1 - area`, where subtitles are) is never
 * used, by any mode. All three modes share the same lanes:
 *
 * - scroll comments enter lanes from the top down, behind the lane's last
 *   comment once it (and a gap) has fully entered and cannot be caught;
 * - top comments take lanes from the top down, bottom comments from the
 *   bottom of the area up (bilibili-style: "bottom" is the bottom of the
 *   allowed area, just above the subtitles, not the bottom of the video),
 *   each within its half of the area; both are centered and hold their
 *   lane for `duration`.
 *
 * A fixed (top/bottom) comment goes into a lane only where no scrolling
 * comment will reach its span while it shows, and a scrolling comment
 * enters a lane with a fixed one only if it cannot reach the fixed span
 * before that one ends. Positions are computed from each animation's own
 * keyframes and current time, so they stay right across resizes and
 * speed changes. A fixed comment that finds no lane reserves the lane that
 * clears soonest in its half (lower-priority scrolling
 * comments then stay out of it) and waits for it at most `maxWait` plus
 * the time a comment takes to cross the stage; HIGH ones and the user's
 * own wait as long as needed.
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
  /** Fraction of the height comments may use, from the top; no mode uses the rest. */
  area: number;
  /** At most this many comments on screen (HIGH ones may exceed it). */
  maxOnScreen: number;
  /** Place comments even when no lane is free (they may overlap). */
  allowOverlap: boolean;
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
  /** Left edge (px) when the animation starts: the stage width for scrolling comments, the centered position for fixed ones. */
  x: number;
  /** Pixels per second leftwards; 0 for fixed comments. */
  speed: number;
  /** Length of the animation (s). */
  duration: number;
}

interface Waiting {
  input: DanmakuInput;
  since: number;
  /** Width of a fixed comment, measured once while it waits. */
  width?: number;
}

/** Placement order: the user's own comments and HIGH first, then NORMAL, then LOW. */
const ORDER = (input: DanmakuInput): number => (input.own ? -1 : input.priority === MessagePriority.HIGH ? 0 : input.priority === MessagePriority.NORMAL ? 1 : 2);

/** Comments are one line: line breaks would make one taller than its lane. */
const oneLine = (text: string): string => text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ');

export class DanmakuStage {
  readonly #layer: HTMLElement;
  readonly #callbacks: DanmakuCallbacks;
  #options: DanmakuOptions;
  #width = 0;
  #height = 0;
  /** Height of one lane: the measured height of a comment (px). */
  #laneHeight = 0;
  #paused = false;
  /** The comments in each lane (every mode shares the lanes). */
  #lanes = new Map<number, Set<Live>>();
  #live = new Set<Live>();
  #pool: HTMLElement[] = [];
  #queue: Waiting[] = [];
  /** Lanes held for a waiting fixed comment. */
  #reserved = new Map<number, Waiting>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Lanes paused by hovering a comment in them. */
  #hovered = new Set<number>();
  #scheduled = false;

  constructor(layer: HTMLElement, options: DanmakuOptions, callbacks: DanmakuCallbacks) {
    this.#layer = layer;
    this.#options = options;
    this.#callbacks = callbacks;
  }

  get options(): DanmakuOptions {
    return this.#options;
  }

  /** New options apply to comments placed from now on; a smaller `area` removes the comments now outside it. */
  set options(options: DanmakuOptions) {
    const areaChanged = options.area !== this.#options.area;
    this.#options = options;
    if (areaChanged) this.#fit();
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

  /** Height of one lane (px), as last measured. */
  get laneHeight(): number {
    return this.#laneHeight;
  }

  /** Sets the stage size (on resize); lanes follow, and comments left outside the area are removed. */
  resize(width: number, height: number): void {
    this.#width = width;
    this.#height = height;
    this.#fit();
    this.#schedule();
  }

  /** How many lanes fit in the area. */
  laneCount(): number {
    const usable = this.#height * Math.min(1, Math.max(0, this.#options.area));
    return Math.max(1, Math.floor(usable / (this.#laneHeight || 1)));
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
    for (const live of this.#live) if (!this.#hovered.has(live.lane)) live.animation.play();
    this.#schedule();
  }

  /** Removes every comment (and drops nothing: the queue is simply cleared). */
  clear(): void {
    for (const live of [...this.#live]) this.#finish(live, false);
    this.#queue = [];
    this.#reserved.clear();
    this.#lanes.clear();
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
    if (on) this.#hovered.add(live.lane);
    else this.#hovered.delete(live.lane);
    for (const other of this.#lanes.get(live.lane) ?? []) {
      if (on) other.animation.pause();
      else if (!this.#paused) other.animation.play();
    }
    element.classList.toggle('hovered', on);
    if (!on) this.#schedule();
  }

  /**
   * Measures the lane height (a comment's box: the stylesheet fixes it, so
   * fallback fonts for emoji or CJK cannot make one comment taller than
   * another), and removes comments that no longer fit: outside a smaller
   * area, or everything when the lane height changed.
   */
  #fit(): void {
    const probe = this.#pool.pop() ?? this.#create();
    probe.className = 'danmaku scroll';
    probe.style.visibility = 'hidden';
    probe.textContent = 'Mg';
    if (!probe.isConnected) this.#layer.append(probe);
    const measured = Math.ceil(probe.getBoundingClientRect().height);
    this.#release(probe);
    if (!measured) return;
    const changed = this.#laneHeight !== 0 && measured !== this.#laneHeight;
    this.#laneHeight = measured;
    const lanes = this.laneCount();
    for (const live of [...this.#live]) if (changed || live.lane >= lanes) this.#finish(live, true);
    for (const lane of [...this.#reserved.keys()]) if (lane >= lanes) this.#reserved.delete(lane);
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
    if (!this.#laneHeight) this.#fit();
    if (!this.#laneHeight) return;
    const now = performance.now();
    const { maxOnScreen } = this.#options;
    const lowLimit = Math.max(1, Math.ceil(maxOnScreen * 0.75));
    // Highest priority first, then oldest first.
    this.#queue.sort((a, b) => ORDER(a.input) - ORDER(b.input) || a.since - b.since);
    const queued = new Set(this.#queue);
    for (const [lane, holder] of this.#reserved) if (!queued.has(holder)) this.#reserved.delete(lane);
    const remaining: Waiting[] = [];
    for (const waiting of this.#queue) {
      const { priority, mode, own } = waiting.input;
      // The user's own comments are never dropped either: they just sent them.
      const high = priority === MessagePriority.HIGH || own;
      const limit = high ? Infinity : priority === MessagePriority.NORMAL ? maxOnScreen : lowLimit;
      if (this.#live.size >= limit || (!high && remaining.length >= maxOnScreen)) {
        this.#drop(waiting);
        continue;
      }
      let lane = mode === 'scroll' ? this.#scrollLane(waiting) : this.#fixedLane(waiting);
      if (lane < 0 && this.#options.allowOverlap) lane = Math.floor(Math.random() * this.laneCount());
      if (lane >= 0) {
        this.#unreserve(waiting);
        this.#place(waiting.input, lane);
        continue;
      }
      if (!high && now - waiting.since > this.#patience(waiting)) {
        this.#drop(waiting);
        continue;
      }
      remaining.push(waiting);
    }
    this.#queue = remaining;
    if (remaining.length) this.#timer = setTimeout(() => this.#pump(), 50);
  }

  /**
   * How long a comment may wait (ms): `maxWait`; a fixed one that holds a
   * lane longer, since the lane's scrolling comments must first pass its
   * center, and no lower-priority one enters meanwhile: one stage crossing.
   */
  #patience(waiting: Waiting): number {
    const { maxWait, speed } = this.#options;
    if (waiting.input.mode === 'scroll' || ![...this.#reserved.values()].includes(waiting)) return maxWait;
    return maxWait + (this.#width / speed) * 1000;
  }

  #drop(waiting: Waiting): void {
    this.#unreserve(waiting);
    this.#callbacks.drop(waiting.input, 'density');
  }

  #unreserve(waiting: Waiting): void {
    for (const [lane, holder] of this.#reserved) if (holder === waiting) this.#reserved.delete(lane);
  }

  /** A lane `waiting` may use: not under the pointer, and not held for a comment that comes first. */
  #open(lane: number, waiting: Waiting): boolean {
    if (this.#hovered.has(lane)) return false;
    const holder = this.#reserved.get(lane);
    return !holder || holder === waiting || ORDER(waiting.input) < ORDER(holder.input);
  }

  /** Seconds a comment has run. */
  #elapsed(live: Live): number {
    return Number(live.animation.currentTime ?? 0) / 1000;
  }

  /** Its left edge now (px). */
  #left(live: Live): number {
    return live.x - live.speed * this.#elapsed(live);
  }

  /** The first lane, from the top, a scrolling comment can enter now without ever touching another comment, or -1. */
  #scrollLane(waiting: Waiting): number {
    const { speed, gap } = this.#options;
    const start = this.#width;
    const lanes = this.laneCount();
    next: for (let lane = 0; lane < lanes; lane += 1) {
      if (!this.#open(lane, waiting)) continue;
      for (const other of this.#lanes.get(lane) ?? []) {
        const right = this.#left(other) + other.width;
        if (other.speed === 0) {
          // A fixed comment: the newcomer must not reach its right edge before it ends.
          const left = other.duration - this.#elapsed(other);
          if (start - speed * left < right + gap) continue next;
          continue;
        }
        // Scrolling ones: the gap now, and (if the newcomer is faster) still when the other leaves.
        if (start < right + gap) continue next;
        if (speed > other.speed && start - speed * (Math.max(0, right) / other.speed) < gap) continue next;
      }
      return lane;
    }
    return -1;
  }

  /**
   * A lane for a top comment (in the top half of the area, from the top
   * down) or a bottom one (in the bottom half, from the bottom of the area
   * up), where nothing crosses its span while it shows, or -1. When there is
   * none, holds the lane of that half that clears soonest.
   */
  #fixedLane(waiting: Waiting): number {
    const width = (waiting.width ??= this.#measure(waiting.input));
    const x = Math.max(0, (this.#width - width) / 2);
    const duration = this.#options.duration;
    const gap = this.#options.gap;
    const lanes = this.laneCount();
    // Its half of the area, from the edge inwards: a bottom comment never shows at the top.
    const half = Math.ceil(lanes / 2);
    const order = Array.from({ length: half }, (_, i) => (waiting.input.mode === 'bottom' ? lanes - 1 - i : i));
    let soonest = -1;
    let soonestWait = Infinity;
    for (const lane of order) {
      if (!this.#open(lane, waiting)) continue;
      // Seconds until the lane is clear for this comment.
      let wait = 0;
      for (const other of this.#lanes.get(lane) ?? []) {
        const left = this.#left(other);
        const right = left + other.width;
        if (other.speed === 0) wait = Math.max(wait, other.duration - this.#elapsed(other));
        // Already past the span, or cannot reach it before this one ends.
        else if (right + gap <= x || left - other.speed * duration >= x + width + gap) continue;
        else wait = Math.max(wait, (right + gap - x) / other.speed);
      }
      if (wait <= 0) return lane;
      if (wait < soonestWait) {
        soonestWait = wait;
        soonest = lane;
      }
    }
    if (soonest >= 0 && ![...this.#reserved.values()].includes(waiting)) this.#reserved.set(soonest, waiting);
    return -1;
  }

  /** The width of a comment, measured in a pooled element. */
  #measure(input: DanmakuInput): number {
    const element = this.#pool.pop() ?? this.#create();
    this.#dress(element, input);
    if (!element.isConnected) this.#layer.append(element);
    const width = element.offsetWidth;
    this.#release(element);
    return width;
  }

  #dress(element: HTMLElement, input: DanmakuInput): void {
    element.textContent = oneLine(input.text);
    element.className = `danmaku ${input.mode}${input.own ? ' own' : ''}${input.priority === MessagePriority.HIGH ? ' high' : input.priority === MessagePriority.NORMAL ? ' normal' : ''}`;
    element.style.color = input.color ?? '';
    element.style.visibility = 'hidden';
  }

  #place(input: DanmakuInput, lane: number): void {
    const element = this.#pool.pop() ?? this.#create();
    this.#dress(element, input);
    if (!element.isConnected) this.#layer.append(element);
    // The one measurement per comment (the overlay is `contain: strict`, so the layout is its own).
    const width = element.offsetWidth;
    element.style.top = `${lane * this.#laneHeight}px`;
    element.style.visibility = '';
    let live: Live;
    if (input.mode === 'scroll') {
      const { speed } = this.#options;
      const duration = (this.#width + width) / speed;
      const animation = element.animate([{ transform: `translate3d(${this.#width}px, 0, 0)` }, { transform: `translate3d(${-width}px, 0, 0)` }], {
        duration: duration * 1000,
        easing: 'linear',
        fill: 'both',
      });
      live = { input, element, animation, lane, width, x: this.#width, speed, duration };
    } else {
      const x = Math.max(0, (this.#width - width) / 2);
      const { duration } = this.#options;
      const animation = element.animate([{ transform: `translate3d(${x}px, 0, 0)` }, { transform: `translate3d(${x}px, 0, 0)` }], {
        duration: duration * 1000,
        fill: 'both',
      });
      live = { input, element, animation, lane, width, x, speed: 0, duration };
    }
    element.dataset.lane = String(lane);
    this.#live.add(live);
    let members = this.#lanes.get(lane);
    if (!members) this.#lanes.set(lane, (members = new Set()));
    members.add(live);
    if (this.#paused || this.#hovered.has(lane)) live.animation.pause();
    live.animation.onfinish = () => this.#finish(live, true);
    this.#callbacks.start(input);
  }

  #create(): HTMLElement {
    const element = document.createElement('div');
    element.setAttribute('part', 'danmaku');
    return element;
  }

  #finish(live: Live, ended: boolean): void {
    if (!this.#live.delete(live)) return;
    const members = this.#lanes.get(live.lane);
    members?.delete(live);
    if (members && !members.size) this.#lanes.delete(live.lane);
    // The comment under the pointer went (a resize removed it): its lane runs again.
    if (live.element.classList.contains('hovered') || !members?.size) {
      this.#hovered.delete(live.lane);
      if (!this.#paused) for (const other of members ?? []) other.animation.play();
    }
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
