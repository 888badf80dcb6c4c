/**
 * Mistakes in how a page set a widget up (a missing or misspelled
 * attribute, an app id the server does not know, a signature endpoint
 * that does not exist): trying again cannot fix them, so the widgets say
 * which attribute to look at, once, instead of spinning or offering Retry.
 *
 * The class is in the first load (it is exported); the checks that find
 * such mistakes, with their messages, are `setup-check.ts`, loaded when a
 * login fails or an element has some connection attributes but not all.
 */
import type { ConnectionAttributes } from './client-options.js';

/** What is wrong; each has its own localized message. */
export type SetupProblem = 'missing' | 'unknown-app' | 'invalid-client-id' | 'signature-endpoint' | 'signature-refused' | 'signature-required' | 'origin';

/** A setup mistake: `attribute` names what to fix. Fatal: no retry can help. */
export class SetupError extends Error {
  override readonly name = 'SetupError';

  constructor(
    readonly problem: SetupProblem,
    /** The attribute to fix, e.g. `app-id`. */
    readonly attribute: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const REQUIRED = ['server', 'appId', 'clientId'] as const;

/**
 * Whether an element has some of `server`, `app-id` and `client-id` but
 * not all (`missingAttributeError` in setup-check.ts then says which is
 * missing). One with none waits for an `<lc-realtime>`.
 */
export function partialAttributes(element: Pick<ConnectionAttributes, 'server' | 'appId' | 'clientId'>): boolean {
  const present = REQUIRED.filter((name) => element[name]).length;
  return present > 0 && present < REQUIRED.length;
}
