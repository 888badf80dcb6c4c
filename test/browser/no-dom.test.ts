/**
 * Server rendering in edge and worker runtimes imports the components where
 * there is no DOM and gets Lit's browser build: importing them there
 * defines nothing, throws nothing and leaves no stand-in globals behind.
 * A module worker in Chromium is such a place.
 */
import { expect } from '@esm-bundle/chai';

describe('importing the components without a DOM', () => {
  it('in a module worker: the exports are there, nothing throws, no DOM globals are left', async () => {
    const worker = new Worker(new URL('./support/import-components.worker.ts', import.meta.url), { type: 'module' });
    try {
      const report = await new Promise<Record<string, unknown>>((resolve, reject) => {
        worker.onmessage = (event: MessageEvent<Record<string, unknown>>) => resolve(event.data);
        worker.onerror = (event) => reject(new Error(`the worker failed to load: ${event.message}`));
      });
      expect(report).to.deep.equal({ error: null, LcChat: 'function', Realtime: 'function', globals: ['undefined', 'undefined', 'undefined', 'undefined'] });
    } finally {
      worker.terminate();
    }
  });
});
