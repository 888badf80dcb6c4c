/**
 * Office hours, as `<lc-support office-hours>` takes them: rules separated
 * by `;`, each days then one or more time ranges, and optionally an IANA time
 * zone as the last part (default `UTC`):
 *
 * ```
 * Mon-Fri 09:00-12:30 13:30-18:00; Sat 10:00-14:00; Europe/Berlin
 * daily 00:00-24:00; Asia/Shanghai
 * Mon,Wed,Fri 08:00-16:00; America/New_York
 * ```
 *
 * Days are `Mon`…`Sun` (English, any case), a range `Mon-Fri` (it may wrap:
 * `Fri-Mon`), a list `Mon,Wed`, or `daily`. Times are 24-hour `HH:MM`; a
 * range ends after it starts, on the same day (`24:00` is midnight at the
 * end): hours past midnight are a second rule for the next day.
 */

/** One opening, in minutes of the day in the schedule's time zone. */
interface Opening {
  /** 0 = Sunday … 6 = Saturday. */
  day: number;
  start: number;
  end: number;
}

/** Parsed office hours. */
export interface OfficeHours {
  timeZone: string;
  openings: readonly Opening[];
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** Bounds the work of parsing and of every check: a page's attribute, not a calendar. */
const MAX_RULES = 50;
const MAX_LENGTH = 2000;

function day(name: string, source: string): number {
  const index = DAYS.indexOf(name.toLowerCase());
  if (index < 0) throw new SyntaxError(`office-hours: "${name}" is not a day (Mon…Sun) in "${source}"`);
  return index;
}

function days(spec: string, source: string): number[] {
  if (spec.toLowerCase() === 'daily') return [0, 1, 2, 3, 4, 5, 6];
  const found = new Set<number>();
  for (const part of spec.split(',')) {
    const [from, to, extra] = part.split('-');
    if (extra !== undefined || !from) throw new SyntaxError(`office-hours: bad days "${spec}" in "${source}"`);
    const first = day(from, source);
    if (to === undefined) {
      found.add(first);
      continue;
    }
    const last = day(to, source);
    for (let d = first; ; d = (d + 1) % 7) {
      found.add(d);
      if (d === last) break;
    }
  }
  return [...found];
}

function minutes(time: string, source: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(time);
  const hours = Number(match?.[1]);
  const mins = Number(match?.[2]);
  if (!match || mins > 59 || hours > 24 || (hours === 24 && mins !== 0)) throw new SyntaxError(`office-hours: "${time}" is not a time (HH:MM) in "${source}"`);
  return hours * 60 + mins;
}

/** Whether `part` is days alone (a rule missing its hours), not a time zone. */
function isDays(part: string): boolean {
  try {
    days(part, part);
    return true;
  } catch {
    return false;
  }
}

/** Whether the runtime knows `zone` as a time zone. */
function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses an `office-hours` value.
 * @throws SyntaxError naming what is wrong (an unknown day, a bad time, an unknown time zone)
 */
export function parseOfficeHours(source: string): OfficeHours {
  if (source.length > MAX_LENGTH) throw new SyntaxError(`office-hours: longer than ${MAX_LENGTH} characters`);
  const parts = source.split(';').map((part) => part.trim()).filter(Boolean);
  let timeZone = 'UTC';
  const last = parts[parts.length - 1];
  if (last && !/\d:\d/.test(last) && !isDays(last)) {
    if (!validZone(last)) throw new SyntaxError(`office-hours: "${last}" is not a time zone (an IANA name such as Europe/Berlin, or UTC)`);
    timeZone = last;
    parts.pop();
  }
  if (!parts.length) throw new SyntaxError('office-hours: no opening hours (e.g. "Mon-Fri 09:00-18:00; Europe/Berlin")');
  if (parts.length > MAX_RULES) throw new SyntaxError(`office-hours: more than ${MAX_RULES} rules`);
  const openings: Opening[] = [];
  for (const part of parts) {
    const [daySpec, ...ranges] = part.split(/\s+/);
    if (!daySpec || !ranges.length) throw new SyntaxError(`office-hours: "${part}" needs days and hours, e.g. "Mon-Fri 09:00-18:00"`);
    const which = days(daySpec, part);
    for (const range of ranges) {
      const [from, to, extra] = range.split('-');
      if (!from || !to || extra !== undefined) throw new SyntaxError(`office-hours: "${range}" is not a time range (HH:MM-HH:MM) in "${part}"`);
      const start = minutes(from, part);
      const end = minutes(to, part);
      if (end <= start) throw new SyntaxError(`office-hours: "${range}" ends before it starts; split hours past midnight into a rule for the next day`);
      for (const d of which) openings.push({ day: d, start, end });
    }
  }
  return { timeZone, openings };
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The weekday (0 = Sunday) and minute of the day of `at` in `timeZone`. */
function wallClock(at: Date, timeZone: string): { day: number; minute: number } {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return { day: DAYS.indexOf(get('weekday').toLowerCase()), minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** Whether the desk is open at `at`. */
export function isOpen(hours: OfficeHours, at: Date): boolean {
  const { day: today, minute } = wallClock(at, hours.timeZone);
  return hours.openings.some((opening) => opening.day === today && opening.start <= minute && minute < opening.end);
}

/**
 * When the desk opens next after `at` (to the minute), or `at` itself when
 * it is open; undefined when the rules never open (within a week and a day).
 */
export function nextOpening(hours: OfficeHours, at: Date): Date | undefined {
  let time = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
  // Each step lands on the next start of the day, else the next midnight: a
  // handful of steps a day; daylight-saving shifts are caught by checking again.
  for (let step = 0; step < 40; step++) {
    const { day: today, minute } = wallClock(time, hours.timeZone);
    if (hours.openings.some((opening) => opening.day === today && opening.start <= minute && minute < opening.end)) return step === 0 ? at : time;
    const later = hours.openings.filter((opening) => opening.day === today && opening.start > minute).map((opening) => opening.start);
    const target = later.length ? Math.min(...later) : 24 * 60;
    time = new Date(time.getTime() + (target - minute) * 60_000);
  }
  return undefined;
}
