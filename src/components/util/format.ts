/** Formatting shared by renderers and the list; all of it locale-aware through Intl. */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** `1536` → `1.5 KB`. */
export function formatBytes(bytes: number, lang: string): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: unit === 0 || value >= 10 ? 0 : 1 }).format(value);
  return `${number} ${UNITS[unit]}`;
}

/** `75` → `1:15`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

export function formatTime(timestamp: number, lang: string): string {
  return new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' }).format(timestamp);
}

/** A time to the second: when something is due in the next minutes. */
export function formatTimeSeconds(timestamp: number, lang: string): string {
  return new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit', second: '2-digit' }).format(timestamp);
}

export function formatDateTime(timestamp: number, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(timestamp);
}

/** Local calendar day, for grouping: `2026-11-26`. */
export function dayKey(timestamp: number): string {
  const date = new Date(timestamp);
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}

/** "Today", "Yesterday", or the date in the reader's language. */
export function formatDay(timestamp: number, lang: string, words: { today: string; yesterday: string }, now = Date.now()): string {
  const key = dayKey(timestamp);
  if (key === dayKey(now)) return words.today;
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (key === dayKey(yesterday.getTime())) return words.yesterday;
  const sameYear = new Date(timestamp).getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(lang, { weekday: 'long', month: 'long', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }) }).format(timestamp);
}
