/**
 * Two copies of the elements on one page (issue 18): the tag keeps its
 * first definition, and a copy of another version says so in the console
 * instead of being skipped silently.
 */
import { expect } from '@esm-bundle/chai';
import '../../src/components/index.js';
import { LcChat } from '../../src/components/index.js';
import { VERSION } from '../../src/sdk/version.js';
import { defineElement } from '../../src/components/define-element.js';

function warningsDuring(run: () => void): string[] {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
  try {
    run();
  } finally {
    console.warn = original;
  }
  return warnings;
}

describe('defineElement', () => {
  it('the same class again: nothing to say', () => {
    expect(warningsDuring(() => defineElement('lc-chat', LcChat))).to.deep.equal([]);
    expect(customElements.get('lc-chat')).to.equal(LcChat);
  });

  it('another copy of the same version: skipped quietly', () => {
    const tag = `lc-test-same-${Math.random().toString(36).slice(2)}`;
    defineElement(tag, class extends HTMLElement {});
    const first = customElements.get(tag);
    expect(warningsDuring(() => defineElement(tag, class extends HTMLElement {}))).to.deep.equal([]);
    expect(customElements.get(tag)).to.equal(first);
  });

  it('another version already defined the tag: a warning naming both versions, and the first definition stays', () => {
    const tag = `lc-test-old-${Math.random().toString(36).slice(2)}`;
    const older = class extends HTMLElement {};
    Object.defineProperty(older, Symbol.for('lc-chat.version'), { value: '0.0.1' });
    customElements.define(tag, older);
    const warnings = warningsDuring(() => defineElement(tag, class extends HTMLElement {}));
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain(`<${tag}> is already defined by lc-chat 0.0.1`);
    expect(warnings[0]).to.contain(`this copy (lc-chat ${VERSION})`);
    expect(customElements.get(tag)).to.equal(older);
  });

  it('a tag taken by something else entirely: a warning too', () => {
    const tag = `lc-test-other-${Math.random().toString(36).slice(2)}`;
    customElements.define(tag, class extends HTMLElement {});
    const warnings = warningsDuring(() => defineElement(tag, class extends HTMLElement {}));
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('already defined by another script');
  });
});
