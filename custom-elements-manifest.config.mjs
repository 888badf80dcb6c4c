/**
 * `npm run manifest` writes custom-elements.json (committed; a test fails
 * when it is stale) from the elements' JSDoc: attributes and properties
 * from `static properties`, events (@fires), slots, CSS parts and custom
 * properties.
 */

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
 * The analyzer also lists ES private members, reports internal reactive
 * state (`_state`, declared with `state: true`) as attributes and guesses event names from
 * `dispatchEvent(new LcXEvent(…))` calls; the documented API is what the
 * JSDoc says, so those guesses are dropped.
 */
const publicApiOnly = {
  name: 'lc-chat-public-api-only',
  packageLinkPhase({ customElementsManifest }) {
    for (const declaration of customElementsManifest.modules.flatMap((module) => module.declarations ?? [])) {
      // ES private members (#x) are not API of any class.
      if (declaration.members) declaration.members = declaration.members.filter((member) => !member.name.startsWith('#'));
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

export default {
  globs: ['src/components/**/*.ts'],
  exclude: ['**/*.test.ts'],
  outdir: '.',
  litelement: true,
  packagejson: false,
  plugins: [defineElementCalls, publicApiOnly, noLongDefaults, stableOrder],
};
