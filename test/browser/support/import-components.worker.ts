/**
 * A module worker has no DOM (no HTMLElement, document or customElements),
 * as edge and worker runtimes that render on the server: it imports the
 * components and reports what it saw.
 */
try {
  const components = await import('../../../src/components/index.js');
  postMessage({
    error: null,
    LcChat: typeof components.LcChat,
    Realtime: typeof components.Realtime,
    globals: [typeof HTMLElement, typeof document, typeof window, typeof customElements],
  });
} catch (error) {
  postMessage({ error: String(error), stack: (error as Error).stack });
}
