/**
 * `$regex` on PostgreSQL: query/regex.ts turns a client's pattern into a
 * JavaScript source from a small subset (no backreferences, lookarounds or
 * `i` flag; classes with plain ranges), which SQLite runs in JavaScript.
 * This rewrites that subset into a PostgreSQL ARE that matches the same
 * strings, spelling out what the engines read differently: JavaScript's
 * `\d \w \s` and word boundaries are ASCII (PostgreSQL's follow the
 * locale), `.` stops at line terminators, `^ $` under `m`, `\b` (a
 * backspace in an ARE), `\xhh` (greedy in an ARE). PostgreSQL's engine has
 * no catastrophic backtracking, so any pattern is safe to run.
 *
 * JavaScript matches UTF-16 code units and PostgreSQL code points, so a
 * pattern naming half of a surrogate pair cannot be carried over: it is
 * refused (CONVERSATION_QUERY_FAILED) rather than matched differently.
 */
import { ProtocolError } from '../../../protocol/errors.js';

const LINE_TERMINATORS = '\\n\\r\\u2028\\u2029';
/** JavaScript's \s, as ARE bracket content. */
const SPACE = '\\t\\n\\u000b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
const CLASS_ESCAPES: Record<string, { positive: string; negated: boolean }> = {
  d: { positive: '0-9', negated: false },
  D: { positive: '0-9', negated: true },
  w: { positive: 'A-Za-z0-9_', negated: false },
  W: { positive: 'A-Za-z0-9_', negated: true },
  s: { positive: SPACE, negated: false },
  S: { positive: SPACE, negated: true },
};
const WORD = '[A-Za-z0-9_]';
const BOUNDARY = `(?:(?<!${WORD})(?=${WORD})|(?<=${WORD})(?!${WORD}))`;
const NOT_BOUNDARY = `(?:(?<!${WORD})(?!${WORD})|(?<=${WORD})(?=${WORD}))`;
/** PostgreSQL text never holds U+0000: a class of only that never matches. */
const NEVER = '[^\\u0001-\\U0010FFFF]';
const ANY = '[\\u0001-\\U0010FFFF]';

function refuse(reason: string): ProtocolError {
  return ProtocolError.of('CONVERSATION_QUERY_FAILED', `this $regex cannot run on this store: ${reason}`);
}

/** One code unit as ARE bracket content. */
function classChar(code: number): string {
  if (code >= 0xd800 && code <= 0xdfff) throw refuse('a character class names half of a surrogate pair');
  if (code < 0x20 || code === 0x7f || code > 0x7e) return `\\u${code.toString(16).padStart(4, '0')}`;
  const ch = String.fromCharCode(code);
  return /[A-Za-z0-9 ]/.test(ch) ? ch : `\\${ch}`;
}

/** A translated JS source and its flags (a subset of `ms`) as a PostgreSQL ARE. */
export function toPostgresRegex(source: string, flags: string): string {
  const dotAll = flags.includes('s');
  const multiline = flags.includes('m');
  let out = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '\\') {
      const next = source[i + 1]!;
      const escape = CLASS_ESCAPES[next];
      if (escape) out += `[${escape.negated ? '^' : ''}${escape.positive}]`;
      else if (next === 'b') out += BOUNDARY;
      else if (next === 'B') out += NOT_BOUNDARY;
      else out += next === '\0' ? NEVER : `\\${next}`;
      i += 2;
    } else if (ch === '[') {
      const end = classEnd(source, i);
      out += bracket(source.slice(i + 1, end));
      i = end + 1;
    } else if (ch === '.') {
      out += dotAll ? ANY : `[^${LINE_TERMINATORS}]`;
      i += 1;
    } else if (ch === '^' && multiline) {
      out += `(?:^|(?<=[${LINE_TERMINATORS}]))`;
      i += 1;
    } else if (ch === '$' && multiline) {
      out += `(?:$|(?=[${LINE_TERMINATORS}]))`;
      i += 1;
    } else if (ch === '(' && source.startsWith('(?<', i) && !source.startsWith('(?<=', i) && !source.startsWith('(?<!', i)) {
      // A named group: AREs have none; the name is never referred to.
      out += '(';
      i = source.indexOf('>', i) + 1;
    } else {
      const code = ch.charCodeAt(0);
      if (code >= 0xd800 && code <= 0xdbff && /[\udc00-\udfff]/.test(source[i + 1] ?? '')) {
        // A whole astral character: one code point to PostgreSQL.
        out += ch + source[i + 1];
        i += 2;
        continue;
      }
      if (code >= 0xd800 && code <= 0xdfff) throw refuse('the pattern names half of a surrogate pair');
      out += code === 0 ? NEVER : ch;
      i += 1;
    }
  }
  return out;
}

/** Index of the `]` closing the class opened at `start`. */
function classEnd(source: string, start: number): number {
  let i = start + 1;
  while (source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
  return i;
}

/** A class body as query/regex.ts writes it (escapes first, then ranges) as an ARE. */
function bracket(body: string): string {
  let i = 0;
  const negated = body[0] === '^';
  if (negated) i = 1;
  const positive: string[] = [];
  const negatedEscapes: string[] = [];
  const ranges: Array<[number, number]> = [];
  const readCode = (): number => {
    if (body[i] !== '\\') return body.charCodeAt(i++);
    const next = body[i + 1]!;
    if (next === 'x') {
      const code = parseInt(body.slice(i + 2, i + 4), 16);
      i += 4;
      return code;
    }
    i += 2;
    return next.charCodeAt(0);
  };
  while (i < body.length) {
    const escape = body[i] === '\\' ? CLASS_ESCAPES[body[i + 1]!] : undefined;
    if (escape) {
      (escape.negated ? negatedEscapes : positive).push(escape.positive);
      i += 2;
      continue;
    }
    const low = readCode();
    let high = low;
    if (body[i] === '-' && i + 1 < body.length) {
      i += 1;
      high = readCode();
    }
    // U+0000 cannot occur in PostgreSQL text: leave it out.
    if (high >= 1) ranges.push([Math.max(low, 1), high]);
  }
  const listed = [...positive, ...ranges.map(([a, b]) => (a === b ? classChar(a) : `${classChar(a)}-${classChar(b)}`))].join('');
  // [X\D]: X, or any non-digit. [^X\D]: not X and a digit.
  const alternatives = negatedEscapes.map((escape) => `[^${escape}]`);
  if (!negated) {
    if (listed) alternatives.unshift(`[${listed}]`);
    if (alternatives.length === 0) return NEVER;
    return alternatives.length === 1 ? alternatives[0]! : `(?:${alternatives.join('|')})`;
  }
  const must = negatedEscapes.map((escape) => `(?=[${escape}])`).join('');
  if (!listed && !must) return ANY;
  if (!must) return `[^${listed}]`;
  return `(?:${listed ? `(?![${listed}])` : ''}${must}${ANY})`;
}
