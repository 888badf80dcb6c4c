/**
 * The build step that minifies Lit's css`…` templates
 * (scripts/minify-css-templates.mjs) must not change a single rule: for
 * every css`…` template of src/, esbuild's own CSS minifier, a real CSS
 * parser, gives the same output for the original text and for ours.
 * Interpolations stand in as a custom property, as they do in our sources
 * (declarations inside a rule).
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { transformSync } from 'esbuild';
// @ts-expect-error: a plain ES module of the build, without declarations
import { minifyCssTemplates } from '../scripts/minify-css-templates.mjs';

const minify = minifyCssTemplates as (code: string) => string;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The css`…` templates of a module, interpolations replaced by a declaration. */
function templates(code: string): string[] {
  return [...code.matchAll(/\bcss`((?:[^`\\]|\\.)*)`/g)].map((match) => match[1].replace(/\$\{[^}]*\}/g, '--interpolated:0;'));
}

// A template that is a list of declarations (nested into a rule by another
// template) is parsed as the body of a rule, as the browser will.
const canonical = (css: string) =>
  transformSync(css.includes('{') ? css : `x{${css}}`, { loader: 'css', minify: true, logLevel: 'silent' }).code;

test('minified css`…` templates parse to the same rules as the originals', () => {
  let compared = 0;
  for (const file of sources('src')) {
    const code = readFileSync(file, 'utf8');
    if (!code.includes('css`')) continue;
    const before = templates(code);
    const after = templates(minify(code));
    assert.equal(after.length, before.length, file);
    before.forEach((css, index) => {
      assert.equal(canonical(after[index]), canonical(css), `${file}, template ${index + 1}`);
      assert.ok(after[index].length <= css.length, `${file}, template ${index + 1} grew`);
      compared++;
    });
  }
  assert.ok(compared >= 10, `only ${compared} templates found`);
});

test('strings, comments and interpolations', () => {
  const code = "const a = css`\n  /* why */\n  .x::before {\n    content: '  a ; b  ';\n    margin: calc(1px + 2px) 0;\n  }\n  :host([theme='dark']) {\n    ${unsafeCSS(dark)}\n  }\n  .a :is(.b, .c) > .d { color: red !important; }\n`;";
  assert.equal(
    minify(code),
    "const a = css`.x::before{content:'  a ; b  ';margin:calc(1px + 2px) 0}:host([theme='dark']){${unsafeCSS(dark)}}.a :is(.b,.c) >.d{color:red !important}`;",
  );
  assert.equal(minify('const s = `not css  {  }`;'), 'const s = `not css  {  }`;');
});
