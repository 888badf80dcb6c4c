/**
 * The checks that find setup mistakes, and their messages: loaded on demand
 * (setup-error.ts says when).
 */
import { ProtocolError } from '../../sdk/index.js';
import type { ClientOptions, ConnectionAttributes } from './client-options.js';
import { partialAttributes, SetupError } from './setup-error.js';
import { SignatureError } from './signature.js';

/** Signature endpoint answers that mean "there is no such endpoint here", not "try later". */
const MISSING_ENDPOINT = new Set([404, 405, 410, 501]);

/**
 * The setup mistake a failed login reveals, or undefined when the failure
 * may pass (network, server busy, an endpoint's 500).
 */
export function setupErrorOf(error: unknown, options: Pick<ClientOptions, 'appId' | 'clientId' | 'server' | 'signatureUrl'>): SetupError | undefined {
  if (error instanceof SignatureError) {
    const url = options.signatureUrl ?? '';
    if (MISSING_ENDPOINT.has(error.status)) {
      return new SetupError('signature-endpoint', 'signature-url', `signature-url ${url} answered ${error.status}: is it the right address?`, { cause: error });
    }
    // 200 with something that is not a signature (an HTML page, a login form…).
    if (error.status >= 200 && error.status < 300) {
      return new SetupError('signature-endpoint', 'signature-url', `signature-url ${url} did not answer {signature, timestamp, nonce}: ${error.message}`, { cause: error });
    }
    return undefined;
  }
  if (!(error instanceof ProtocolError)) return undefined;
  switch (error.code) {
    case 4100:
      return new SetupError('unknown-app', 'app-id', `app-id "${options.appId}" is not an app on ${options.server}`, { cause: error });
    case 4103:
      return new SetupError('invalid-client-id', 'client-id', `client-id "${options.clientId}" is not a valid clientId (1 to 64 characters)`, { cause: error });
    case 4102:
      return options.signatureUrl
        ? new SetupError('signature-refused', 'signature-url', `the server refused the signature from signature-url ${options.signatureUrl}: does it sign with this app's master key?`, { cause: error })
        : new SetupError('signature-required', 'signature-url', `app ${options.appId} requires signed logins: set signature-url`, { cause: error });
    case 4110:
      return new SetupError('origin', 'server', `${options.server} does not allow this page's origin (${globalThis.location?.origin ?? 'unknown'})`, { cause: error });
    default:
      return undefined;
  }
}

const REQUIRED = ['server', 'app-id', 'client-id'] as const;
const PROPERTY = { server: 'server', 'app-id': 'appId', 'client-id': 'clientId' } as const;
/** Every connection attribute, to recognise a misspelled one. */
const KNOWN = ['server', 'app-id', 'app-key', 'client-id', 'signature-url', 'conversation-signature-url', 'tag', 'no-binary', 'cache-limit'];
const squash = (name: string): string => name.toLowerCase().replace(/[^a-z]/g, '');

/**
 * A standalone element that has some of `server`, `app-id` and
 * `client-id` but not all: it cannot connect, and would otherwise wait
 * forever. (One with none waits for an `<lc-realtime>`.) Read from the
 * properties, so an element set up by properties (as `<lc-support>` sets
 * up its `<lc-chat>`) is checked too; a misspelled attribute (`appid`,
 * `app_id`, `clientId`) is named in the message.
 */
export function missingAttributeError(element: Element & Pick<ConnectionAttributes, 'server' | 'appId' | 'clientId'>): SetupError | undefined {
  if (!partialAttributes(element)) return undefined;
  const has = (name: (typeof REQUIRED)[number]): boolean => Boolean(element[PROPERTY[name]]);
  const missing = REQUIRED.find((name) => !has(name))!;
  const misspelt = [...element.attributes].find((attribute) => !KNOWN.includes(attribute.name) && squash(attribute.name) === squash(missing));
  const hint = misspelt ? ` (found "${misspelt.name}": the attribute is spelt "${missing}")` : '';
  return new SetupError('missing', missing, `the ${missing} attribute is missing${hint}`);
}
