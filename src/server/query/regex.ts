/**
 * Turns a client's `$regex` (Java/Mongo syntax as the SDKs send it, or a JS
 * RegExp source) into a JS RegExp source and flags that are safe to run on
 * the server.
 *
 * Safety: patterns come from any client and run against every candidate
 * row on the event loop, so a catastrophic pattern would stall everyone.
 * V8 can fall back to a linear-time engine once a match backtracks too much
 * (enabled in store/sqlite/regexp.ts), but only for patterns that engine
 * supports. We therefore admit only such patterns: no backreferences, no
 * lookarounds, no nested quantifiers, repetition counts of at most
 * MAX_REPEAT, and no `i` flag (case-insensitivity is folded into the pattern
 * as character classes instead).
 */

export interface TranslatedRegex {
  source: string;
  /** A subset of `ms`. */
  flags: string;
}

export class RegexError extends Error {}

export const MAX_PATTERN_LENGTH = 1000;
/** V8's linear engine replicates counted repetitions; above this it declines. */
const MAX_REPEAT = 15;
const SYNTAX_CHARS = new Set('\\^$.*+?()[]{}|/');
const CLASS_SPECIAL = new Set('\\]^-[');
const COUNTED = /\{(\d+)(,(\d*))?\}/y;
const NAMED_GROUP = /\(\?<[A-Za-z_$][\w$]*>/y;

export function translateRegex(pattern: string, options: string): TranslatedRegex {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new RegexError(`pattern longer than ${MAX_PATTERN_LENGTH} characters`);
  let fold = false;
  let flags = '';
  for (const option of options) {
    if (option === 'i') fold = true;
    else if (option === 'm' || option === 's') flags += flags.includes(option) ? '' : option;
    else throw new RegexError(`unsupported option ${JSON.stringify(option)} (supported: i, m, s)`);
  }
  const source = new Translator(pattern, fold).run();
  try {
    new RegExp(source, flags);
  } catch (error) {
    throw new RegexError(`invalid pattern: ${(error as Error).message}`);
  }
  return { source, flags: [...flags].sort().join('') };
}

/** What a quantifier at this point would repeat. */
type Repeatable = 'nothing' | 'atom' | 'group' | 'group-with-quantifier';

class Translator {
  private out = '';
  private i = 0;
  /** One entry per open group (the first is the whole pattern): whether it holds a quantifier. */
  private readonly groups: boolean[] = [false];
  private last: Repeatable = 'nothing';

  constructor(
    private readonly src: string,
    private readonly fold: boolean,
  ) {}

  run(): string {
    const { src } = this;
    while (this.i < src.length) {
      const ch = src[this.i]!;
      if (ch === '\\') this.escape();
      else if (ch === '[') this.charClass();
      else if (ch === '(') this.openGroup();
      else if (ch === ')') this.closeGroup();
      else if (ch === '*' || ch === '+' || ch === '?') this.quantifier(ch, 1);
      else if (ch === '{') this.brace();
      else if (ch === '|' || ch === '^' || ch === '$') this.emit(ch, 'nothing', 1);
      else if (ch === '.') this.emit(ch, 'atom', 1);
      else {
        this.literal(ch);
        this.i += 1;
      }
    }
    if (this.groups.length > 1) throw new RegexError('unterminated group');
    return this.out;
  }

  private emit(text: string, last: Repeatable, advance: number): void {
    this.out += text;
    this.last = last;
    this.i += advance;
  }

  private literal(ch: string): void {
    const variants = this.fold ? caseVariants(ch) : [ch];
    this.out += variants.length === 1 ? (SYNTAX_CHARS.has(ch) ? '\\' + ch : ch) : '[' + variants.map(classChar).join('') + ']';
    this.last = 'atom';
  }

  private escape(): void {
    const { src } = this;
    const next = src[this.i + 1];
    if (next === undefined) throw new RegexError('pattern ends with a backslash');
    if (next === 'Q') {
      // Java's \Q…\E quotes everything up to \E (or the end) literally.
      const end = src.indexOf('\\E', this.i + 2);
      const text = src.slice(this.i + 2, end === -1 ? src.length : end);
      for (let k = 0; k < text.length; k++) this.literal(text[k]!);
      this.i = end === -1 ? src.length : end + 2;
      return;
    }
    if ('dDwWsS'.includes(next)) return this.emit('\\' + next, 'atom', 2);
    if (next === 'b' || next === 'B') return this.emit('\\' + next, 'nothing', 2);
    const decoded = this.escapedChar(this.i, false);
    this.literal(decoded.char);
    this.i += decoded.length;
  }

  /** The character the escape at `i` (`\n`, `\x41`, `\.`…) stands for, and the escape's length. */
  private escapedChar(i: number, inClass: boolean): { char: string; length: number } {
    const { src } = this;
    const next = src[i + 1]!;
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v' };
    if (inClass && next === 'b') return { char: '\b', length: 2 };
    if (simple[next] !== undefined) return { char: simple[next]!, length: 2 };
    if (next === '0') {
      if (/[0-9]/.test(src[i + 2] ?? '')) throw new RegexError('octal escapes are not supported');
      return { char: '\0', length: 2 };
    }
    if (/[1-9]/.test(next) || next === 'k') throw new RegexError('backreferences are not supported');
    if (next === 'x' || next === 'u') {
      const digits = next === 'x' ? 2 : 4;
      const hex = src.slice(i + 2, i + 2 + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) throw new RegexError(`invalid \\${next} escape`);
      return { char: String.fromCharCode(parseInt(hex, 16)), length: 2 + digits };
    }
    if (next === 'c') {
      const letter = src[i + 2] ?? '';
      if (!/[A-Za-z]/.test(letter)) throw new RegexError('invalid \\c escape');
      return { char: String.fromCharCode(letter.charCodeAt(0) % 32), length: 3 };
    }
    // Letters are either Java/JS-specific (\A, \z, \p{…}, \R…) or would be
    // read differently by the two engines: refuse rather than guess.
    if (/[A-Za-z]/.test(next)) throw new RegexError(`unsupported escape \\${next}`);
    return { char: next, length: 2 };
  }

  private openGroup(): void {
    let opener = '(';
    if (this.src[this.i + 1] === '?') {
      NAMED_GROUP.lastIndex = this.i;
      const rest = this.src.slice(this.i + 1, this.i + 4);
      if (rest.startsWith('?:')) opener = '(?:';
      else if (NAMED_GROUP.test(this.src)) opener = this.src.slice(this.i, NAMED_GROUP.lastIndex);
      else if (/^\?(=|!|<=|<!)/.test(rest)) throw new RegexError('lookaround assertions are not supported');
      else throw new RegexError(`unsupported group syntax (${rest.slice(0, 2)}`);
    }
    this.groups.push(false);
    this.emit(opener, 'nothing', opener.length);
  }

  private closeGroup(): void {
    if (this.groups.length === 1) throw new RegexError('unmatched )');
    const hadQuantifier = this.groups.pop()!;
    if (hadQuantifier) this.groups[this.groups.length - 1] = true;
    this.emit(')', hadQuantifier ? 'group-with-quantifier' : 'group', 1);
  }

  /** `{n}`, `{n,}`, `{n,m}`; anything else is a literal brace, as in JS. */
  private brace(): void {
    COUNTED.lastIndex = this.i;
    const match = COUNTED.exec(this.src);
    if (!match) {
      this.literal('{');
      this.i += 1;
      return;
    }
    const bounds = [match[1], match[3]].filter((n): n is string => !!n).map(Number);
    if (bounds.some((n) => n > MAX_REPEAT)) throw new RegexError(`repetition counts above ${MAX_REPEAT} are not supported`);
    if (bounds.length === 2 && bounds[0]! > bounds[1]!) throw new RegexError('repetition range out of order');
    this.quantifier(match[0], match[0].length);
  }

  private quantifier(text: string, length: number): void {
    if (this.last === 'nothing') throw new RegexError(`nothing to repeat before ${text}`);
    if (this.last === 'group-with-quantifier') throw new RegexError('nested quantifiers are not supported');
    this.groups[this.groups.length - 1] = true;
    let suffix = '';
    const after = this.src[this.i + length];
    if (after === '?') suffix = '?';
    else if (after === '+') throw new RegexError('possessive quantifiers are not supported');
    this.emit(text + suffix, 'nothing', length + suffix.length);
  }

  private charClass(): void {
    const { src } = this;
    let i = this.i + 1;
    const negated = src[i] === '^';
    if (negated) i += 1;
    const escapes: string[] = [];
    const ranges: Array<[number, number]> = [];
    const readChar = (): number | string => {
      const ch = src[i];
      if (ch === undefined) throw new RegexError('unterminated character class');
      if (ch === '[') throw new RegexError('nested character classes are not supported (escape [ as \\[)');
      if (ch === '&' && src[i + 1] === '&') throw new RegexError('character class intersection is not supported');
      if (ch !== '\\') {
        i += 1;
        return ch.charCodeAt(0);
      }
      const next = src[i + 1];
      if (next === undefined) throw new RegexError('pattern ends with a backslash');
      if ('dDwWsS'.includes(next)) {
        i += 2;
        return '\\' + next;
      }
      const decoded = this.escapedChar(i, true);
      i += decoded.length;
      return decoded.char.charCodeAt(0);
    };
    while (src[i] !== ']') {
      const low = readChar();
      if (typeof low === 'string') {
        escapes.push(low);
        continue;
      }
      if (src[i] === '-' && src[i + 1] !== ']' && src[i + 1] !== undefined) {
        i += 1;
        const high = readChar();
        if (typeof high === 'string') throw new RegexError('a class escape cannot end a range');
        if (high < low) throw new RegexError('character range out of order');
        ranges.push([low, high]);
      } else {
        ranges.push([low, low]);
      }
    }
    const folded = this.fold ? foldRanges(ranges) : ranges;
    const body = mergeRanges(folded)
      .map(([a, b]) => (a === b ? classChar(String.fromCharCode(a)) : `${classChar(String.fromCharCode(a))}-${classChar(String.fromCharCode(b))}`))
      .join('');
    this.out += `[${negated ? '^' : ''}${escapes.join('')}${body}]`;
    this.last = 'atom';
    this.i = i + 1;
  }
}

function classChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (CLASS_SPECIAL.has(ch)) return '\\' + ch;
  if (code < 0x20 || code === 0x7f) return '\\x' + code.toString(16).padStart(2, '0');
  return ch;
}

function mergeRanges(ranges: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const top = merged[merged.length - 1];
    if (top && a <= top[1] + 1) top[1] = Math.max(top[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

/**
 * JS's non-unicode `i` matching: two code units match when their
 * canonical (upper-case) forms are equal. Built once, on first use.
 */
let caseTable: { classes: Map<number, number[]>; cased: number[] } | undefined;

function caseTableOnce(): { classes: Map<number, number[]>; cased: number[] } {
  if (caseTable) return caseTable;
  const byCanon = new Map<number, number[]>();
  for (let code = 0; code <= 0xffff; code++) {
    const upper = String.fromCharCode(code).toUpperCase();
    // The spec keeps a character as is when upper-casing would change its
    // length or map a non-ASCII character into ASCII.
    const canon = upper.length !== 1 || (code >= 128 && upper.charCodeAt(0) < 128) ? code : upper.charCodeAt(0);
    const members = byCanon.get(canon);
    if (members) members.push(code);
    else byCanon.set(canon, [code]);
  }
  const classes = new Map<number, number[]>();
  for (const members of byCanon.values()) {
    if (members.length > 1) for (const code of members) classes.set(code, members);
  }
  caseTable = { classes, cased: [...classes.keys()].sort((a, b) => a - b) };
  return caseTable;
}

function caseVariants(ch: string): string[] {
  const members = caseTableOnce().classes.get(ch.charCodeAt(0));
  return members ? members.map((code) => String.fromCharCode(code)) : [ch];
}

function foldRanges(ranges: Array<[number, number]>): Array<[number, number]> {
  const { classes, cased } = caseTableOnce();
  const out = [...ranges];
  for (const [low, high] of ranges) {
    // First cased code unit >= low, by binary search.
    let lo = 0;
    let hi = cased.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cased[mid]! < low) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < cased.length && cased[k]! <= high; k++) {
      for (const code of classes.get(cased[k]!)!) out.push([code, code]);
    }
  }
  return out;
}
