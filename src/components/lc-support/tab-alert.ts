/**
 * While the page's tab is hidden, new messages show in its title
 * (`(2) Pricing`) and may play a short chime; the title comes back when the
 * tab is visible again. The chime is synthesized with WebAudio: nothing is
 * fetched.
 */

type AudioContextClass = typeof AudioContext;

/** One context for the page: browsers limit how many may exist. */
let audio: AudioContext | undefined;

/** Two short soft notes (about a third of a second). Silently nothing where WebAudio is missing or not allowed yet. */
export function chime(): void {
  const Context = (globalThis as { AudioContext?: AudioContextClass; webkitAudioContext?: AudioContextClass }).AudioContext ??
    (globalThis as { webkitAudioContext?: AudioContextClass }).webkitAudioContext;
  if (!Context) return;
  try {
    audio ??= new Context();
    // Suspended until the user has interacted with the page (autoplay policy): then it stays silent.
    if (audio.state === 'suspended') void audio.resume().catch(() => {});
    const start = audio.currentTime;
    [880, 1318.5].forEach((frequency, index) => {
      const at = start + index * 0.13;
      const oscillator = audio!.createOscillator();
      const gain = audio!.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0, at);
      gain.gain.linearRampToValueAtTime(0.12, at + 0.015);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.22);
      oscillator.connect(gain).connect(audio!.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.24);
    });
  } catch {
    // No audio output: the title still says it.
  }
}

/** What the alert does; read on every change, so attributes apply at once. */
export interface TabAlertOptions {
  title: boolean;
  sound: boolean;
}

/** The title and sound of one element's unread count while the tab is hidden. */
export class TabAlert {
  readonly #options: () => TabAlertOptions;
  #count = 0;
  /** The page's own title while ours shows, and what we set it to. */
  #saved: { title: string; shown: string } | undefined;

  constructor(options: () => TabAlertOptions) {
    this.#options = options;
  }

  start(): void {
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  stop(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#restore();
  }

  /** The unread count changed. */
  update(count: number): void {
    const previous = this.#count;
    this.#count = count;
    if (document.visibilityState !== 'hidden') return;
    const { title, sound } = this.#options();
    if (sound && count > previous) chime();
    if (title && count > 0) {
      const base = this.#saved && document.title === this.#saved.shown ? this.#saved.title : document.title;
      document.title = `(${count > 99 ? '99+' : count}) ${base}`;
      // As the document keeps it (whitespace collapsed), to tell later whether the page changed it.
      this.#saved = { title: base, shown: document.title };
    } else {
      this.#restore();
    }
  }

  readonly #onVisibility = (): void => {
    if (document.visibilityState === 'visible') this.#restore();
  };

  #restore(): void {
    // Unless the page changed its title meanwhile: then its own stays.
    if (this.#saved && document.title === this.#saved.shown) document.title = this.#saved.title;
    this.#saved = undefined;
  }
}
