// A Vite (Rollup) plugin for the browser builds: minifies the CSS inside
// Lit's css`…` tagged templates of our own sources at build time. Lit ships
// styles as template strings, so the JavaScript minifier keeps their
// indentation, comments and spaces byte for byte; that was about a tenth of
// the IIFE's raw bytes. No dependency: a small tokenizer that only drops
// what CSS never needs (comments, whitespace runs, spaces next to `{`, `}`,
// `;`, `,` and after `:`, the `;` before `}`), and leaves strings, the
// `${…}` interpolations and everything else as written. It never rewrites
// values (no colour or unit shortening), so what the browser parses is the
// same rules. Sources are typed TypeScript; the plugin runs before esbuild
// strips the types, which is fine since it only looks inside css`…`.

/**
 * Minifies one static piece of a css`…` template. `before` and `after` say
 * whether an interpolation touches this piece on that side, so the
 * whitespace that separates it from the interpolation's text is kept.
 * @param {string} text the raw template text (escapes as written)
 * @returns {string}
 */
export function minifyCssText(text, { before = false, after = false } = {}) {
  let out = '';
  let pendingSpace = false;
  // The functions the text is inside of: in `var(--a, fallback)` the space
  // after the comma is part of the fallback's value, so it stays.
  const functions = [];
  // A custom property's value is kept as written but for whitespace runs,
  // which become one space: it is a token list the page may read back.
  let customValue = false;
  const flushSpace = (next) => {
    if (!pendingSpace) return;
    pendingSpace = false;
    const last = out.at(-1);
    if (customValue && last !== undefined && next !== ';' && next !== '}') {
      out += ' ';
      return;
    }
    const keepAfterComma = last === ',' && functions.at(-1) === 'var';
    if (last === undefined ? before : keepAfterComma || !'{};,:>('.includes(last)) {
      if (next === undefined ? after : !'{};,)'.includes(next)) out += ' ';
    }
  };
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      // A comment separates tokens like whitespace does.
      pendingSpace = true;
      continue;
    }
    if (/\s/.test(c)) {
      pendingSpace = true;
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      flushSpace(c);
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '}' && out.at(-1) === ';') out = out.slice(0, -1);
    flushSpace(c);
    if (c === '(') functions.push(/[\w-]*$/.exec(out)[0]);
    else if (c === ')') functions.pop();
    else if (c === ':' && functions.length === 0 && /(^|[{;])\s*--[\w-]+$/.test(out)) customValue = true;
    else if ((c === ';' || c === '}') && functions.length === 0) customValue = false;
    out += c;
    i++;
  }
  if (pendingSpace && after && out !== '' && !'{};,:>('.includes(out.at(-1))) out += ' ';
  else if (pendingSpace && before && out === '') out = ' ';
  return out;
}

/**
 * Minifies every css`…` template of a module's source. Interpolations
 * (`${unsafeCSS(x)}`) are kept as written; the static pieces around them
 * are minified.
 * @param {string} code
 * @returns {string}
 */
export function minifyCssTemplates(code) {
  let out = '';
  let from = 0;
  for (const match of code.matchAll(/\bcss`/g)) {
    if (match.index < from) continue;
    const start = match.index + match[0].length;
    const pieces = [];
    const interpolations = [];
    let i = start;
    let piece = start;
    for (;;) {
      if (i >= code.length) return code; // unterminated: leave the module alone
      const c = code[i];
      if (c === '\\') i += 2;
      else if (c === '`') break;
      else if (c === '$' && code[i + 1] === '{') {
        pieces.push(code.slice(piece, i));
        const end = closingBrace(code, i + 2);
        if (end < 0) return code;
        interpolations.push(code.slice(i, end + 1));
        i = piece = end + 1;
      } else i++;
    }
    pieces.push(code.slice(piece, i));
    out += code.slice(from, start);
    pieces.forEach((text, index) => {
      out += minifyCssText(text, { before: index > 0, after: index < pieces.length - 1 });
      if (index < interpolations.length) out += interpolations[index];
    });
    out += '`';
    from = i + 1;
  }
  return out + code.slice(from);
}

/** The index of the `}` closing an interpolation opened just before `from`, skipping nested braces, strings and templates. */
function closingBrace(code, from) {
  let depth = 1;
  for (let i = from; i < code.length; i++) {
    const c = code[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
    else if (c === '"' || c === "'" || c === '`') {
      for (i++; i < code.length && code[i] !== c; i++) if (code[i] === '\\') i++;
    }
  }
  return -1;
}

/** The Vite plugin: our `src/` modules that use Lit's `css` tag. */
export function minifyCssTemplatesPlugin() {
  return {
    name: 'lc-minify-css-templates',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !code.includes('css`')) return null;
      const minified = minifyCssTemplates(code);
      return minified === code ? null : { code: minified, map: null };
    },
  };
}
