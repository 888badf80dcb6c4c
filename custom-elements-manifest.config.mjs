/**
 * `npm run manifest` writes custom-elements.json (committed; a test fails
 * when it is stale) from the elements' JSDoc: attributes and properties
 * from `static properties`, events (@fires), slots, CSS parts and custom
 * properties.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { customElementJsxPlugin } from 'custom-element-jsx-integration';
import { customElementSveltePlugin } from 'custom-element-svelte-integration';
import { customElementVuejsPlugin } from 'custom-element-vuejs-integration';

/**
 * Module-level constants (stylesheets, icon templates, string tables) would
 * carry their whole source as `default`: noise for readers, and every CSS
 * tweak would stale the manifest. Their names and types stay.
 */
const noLongDefaults = {
  name: 'lc-chat-no-long-defaults',
  packageLinkPhase({ customElementsManifest }) {
    for (const declaration of customElementsManifest.modules.flatMap((module) => module.declarations ?? [])) {
      if (declaration.kind === 'variable' && typeof declaration.default === 'string' && declaration.default.length > 120) delete declaration.default;
    }
  },
};

/**
 * The analyzer also lists ES private members and the protected hooks of the
 * widgets' shared base (client/lc-widget-element.ts), reports internal reactive
 * state (`_state`, declared with `state: true`) as attributes and guesses event names from
 * `dispatchEvent(new LcXEvent(…))` calls; the documented API is what the
 * JSDoc says, so those guesses are dropped.
 */
const publicApiOnly = {
  name: 'lc-chat-public-api-only',
  packageLinkPhase({ customElementsManifest }) {
    for (const declaration of customElementsManifest.modules.flatMap((module) => module.declarations ?? [])) {
      // ES private members (#x) are not API of any class.
      // Nor protected ones: what the elements share among themselves, not what a page calls.
      if (declaration.members) declaration.members = declaration.members.filter((member) => !member.name.startsWith('#') && member.privacy !== 'protected' && member.privacy !== 'private');
      if (!declaration.customElement) continue;
      if (declaration.attributes) declaration.attributes = declaration.attributes.filter((attribute) => !attribute.name.startsWith('_'));
      if (declaration.members) declaration.members = declaration.members.filter((member) => !member.name.startsWith('_'));
      if (declaration.events) declaration.events = declaration.events.filter((event) => event.name?.startsWith('lc-'));
    }
  },
};

/**
 * The analyzer visits files concurrently, so modules come out in a
 * different order from run to run: sort them, so the file only changes
 * when the API does.
 */
const stableOrder = {
  name: 'lc-chat-stable-order',
  packageLinkPhase({ customElementsManifest }) {
    customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  },
};

/**
 * Elements are defined through `defineElement(tag, Class)`
 * (src/components/define-element.ts: nothing is defined where there is no
 * DOM), which the analyzer does not know as it knows
 * `customElements.define`: record those calls as definitions.
 */
const defineElementCalls = {
  name: 'lc-chat-define-element',
  analyzePhase({ ts, node, moduleDoc }) {
    if (!ts.isCallExpression(node) || node.expression.getText() !== 'defineElement') return;
    const [tag, constructor] = node.arguments;
    if (!tag || !ts.isStringLiteral(tag) || !constructor || !ts.isIdentifier(constructor)) return;
    const name = constructor.getText();
    moduleDoc.exports ??= [];
    moduleDoc.exports.push({ kind: 'custom-element-definition', name: tag.text, declaration: { name, module: moduleDoc.path } });
    const declaration = moduleDoc.declarations?.find((candidate) => candidate.name === name);
    if (declaration) {
      declaration.tagName = tag.text;
      declaration.customElement = true;
    }
  },
};

/**
 * The analyzer reads src/, but the package ships lib/ (compiled) and no
 * src/: module paths and references name the files a consumer has.
 */
const shippedPaths = {
  name: 'lc-chat-shipped-paths',
  packageLinkPhase({ customElementsManifest }) {
    const shipped = (path) => path.replace(/^src\/(.*)\.[jt]s$/, 'lib/$1.js');
    const visit = (value) => {
      if (Array.isArray(value)) return value.forEach(visit);
      if (!value || typeof value !== 'object') return;
      for (const [key, child] of Object.entries(value)) {
        if ((key === 'path' || key === 'module') && typeof child === 'string') value[key] = shipped(child);
        else visit(child);
      }
    };
    visit(customElementsManifest.modules);
  },
};

/**
 * Typings for JSX (React 19), Vue and Svelte templates, generated from the
 * manifest so they follow the elements' JSDoc; shipped in types/ and named
 * by package.json exports (`lc-chat/types/react`, …). Paths are relative to
 * types/.
 */
const outdirFlag = process.argv.indexOf('--outdir');
const typings = {
  // Beside the manifest: test/custom-elements.test.ts writes both to a scratch directory to compare.
  outdir: join(outdirFlag > 0 ? process.argv[outdirFlag + 1] : '.', 'types'),
  globalTypePath: '../lib/components/index.js',
  hideLogs: true,
};

/**
 * What the generators get wrong for these elements, put right in the files
 * they wrote: our events are Event subclasses with their own fields, not
 * CustomEvents with a `detail`; a list property (`string[]` from an
 * attribute) also takes the attribute's string, as frameworks set it; an
 * event type used by two elements is imported once; Vue's checker wants
 * camelCase props; Svelte's namespace is global and has no JSX.
 */
const typingsFixes = {
  name: 'lc-chat-typings-fixes',
  packageLinkPhase({ customElementsManifest }) {
    const lists = [];
    for (const declaration of customElementsManifest.modules.flatMap((module) => module.declarations ?? [])) {
      if (!declaration.customElement) continue;
      for (const member of declaration.members ?? []) {
        if (member.attribute && member.type?.text === 'string[]') lists.push(`${declaration.name}["${member.name}"]`);
      }
    }
    for (const file of ['jsx.d.ts', 'vue.d.ts', 'svelte.d.ts']) {
      const path = `${typings.outdir}/${file}`;
      let text = readFileSync(path, 'utf8')
        .replace(/CustomEvent<(\w+)>/g, '$1')
        .replace(/import type \{([^}]*)\} from "([^"]*)";/, (_all, names, from) => {
          const unique = [...new Set(names.split(',').map((name) => name.trim()).filter(Boolean))];
          return `import type {\n${unique.map((name) => `  ${name},`).join('\n')}\n} from "${from}";`;
        });
      for (const list of lists) text = text.replaceAll(`?: ${list};`, `?: ${list} | string;`);
      // Vue's template checker reads `app-id` and `@lc-message` as the props `appId` and `onLcMessage`.
      if (file === 'vue.d.ts') {
        const camel = (name) => name.replace(/-(\w)/g, (_dash, letter) => letter.toUpperCase());
        text = text
          .replace(/^(\s*)"on([a-z][\w-]*)"\?:/gm, (_all, indent, event) => `${indent}on${camel(`-${event}`)}?:`)
          .replace(/^(\s*)"([a-z][\w-]*)"\?:/gm, (_all, indent, attribute) => `${indent}${camel(attribute)}?:`);
      }
      // Svelte 5 listens with `onlc-message={…}`; the generator writes Svelte 4's `on:lc-message` only.
      if (file === 'svelte.d.ts') text = text.replace(/^(\s*)"on:([\w-]+)"(\?: .*)$/gm, '$1"on:$2"$3\n$1"on$2"$3');
      // Svelte: the file is a module, so the namespace must be declared global to reach svelte-check; no JSX there.
      text = text
        .replace(/^declare namespace svelteHTML \{\n([\s\S]*?)\n\}/m, (_all, body) => `declare global {\n  namespace svelteHTML {\n${body.replace(/^/gm, '  ')}\n  }\n}`)
        .replace('children?: JSX.Element;', 'children?: import("svelte").Snippet;');
      writeFileSync(path, text);
    }
  },
};

export default {
  globs: ['src/components/**/*.ts'],
  // The Web Push toggle and worker are internal: `<lc-chat push>` documents what a page sees of them.
  exclude: ['**/*.test.ts', 'src/components/push/**'],
  outdir: '.',
  litelement: true,
  packagejson: false,
  plugins: [
    defineElementCalls,
    publicApiOnly,
    noLongDefaults,
    stableOrder,
    shippedPaths,
    customElementJsxPlugin({ ...typings, fileName: 'jsx.d.ts' }),
    customElementVuejsPlugin({ ...typings, fileName: 'vue.d.ts' }),
    customElementSveltePlugin({ ...typings, fileName: 'svelte.d.ts' }),
    typingsFixes,
  ],
};
