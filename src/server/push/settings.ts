/** Web Push settings (`ServerConfig.webPush`), their defaults and their checks. */

export interface WebPushSettings {
  /** The VAPID `sub` claim: how a push service reaches the operator (`mailto:` or `https:`). Set a real one: some services refuse made-up contacts. */
  subject: string;
  /**
   * Push service hosts the server POSTs to (exact, or `*.suffix`); null:
   * any public https host. A page can name any URL as its endpoint, so this
   * list is what keeps the server from being sent at internal addresses.
   */
  endpointHosts: readonly string[] | null;
  /** Accept `http://127.0.0.1…` endpoints too (tests with a push service on loopback). Never in production. */
  allowLoopback: boolean;
  /** One push request's time limit, ms. */
  timeoutMs: number;
  /** Retries of a push that failed for a reason that may pass (network, 429, 5xx). */
  retries: number;
  /** First retry's delay, ms; doubled each time, with jitter. */
  retryBaseMs: number;
  /** Subscriptions per client (browsers); a new one past this replaces the client's oldest. */
  perClient: number;
  /** Subscriptions the deployment keeps in all (every app, every node): new ones beyond are refused. */
  total: number;
  /** How long a push service keeps a push for a browser that is off, seconds. */
  ttlSeconds: number;
  /** At most one push per client and conversation within this time, ms: a busy group does not buzz a phone per message. */
  minIntervalMs: number;
}

/** Chrome/Edge (FCM), Firefox (Mozilla autopush), Safari (Apple), Windows (WNS). */
export const PUSH_SERVICE_HOSTS: readonly string[] = ['fcm.googleapis.com', 'updates.push.services.mozilla.com', '*.push.apple.com', '*.notify.windows.com'];

export const WEB_PUSH_DEFAULTS: WebPushSettings = {
  subject: 'mailto:lc-chat@localhost',
  endpointHosts: PUSH_SERVICE_HOSTS,
  allowLoopback: false,
  timeoutMs: 10_000,
  retries: 3,
  retryBaseMs: 1000,
  perClient: 5,
  total: 100_000,
  ttlSeconds: 24 * 3600,
  minIntervalMs: 10_000,
};

/**
 * The settings with defaults filled in, or null when Web Push is off.
 * @throws Error naming the bad setting
 */
export function resolveWebPush(given: Partial<WebPushSettings> | false | undefined): WebPushSettings | null {
  if (given === false) return null;
  if (given !== undefined && (given === null || typeof given !== 'object')) throw new Error('webPush must be an object of settings or false');
  const settings: WebPushSettings = { ...WEB_PUSH_DEFAULTS, ...given };
  if (typeof settings.subject !== 'string' || !/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/.test(settings.subject) || settings.subject.length > 200) {
    throw new Error(`webPush.subject must be a mailto: address or an https: URL, got ${JSON.stringify(String(settings.subject).slice(0, 80))}`);
  }
  if (settings.endpointHosts !== null) {
    if (!Array.isArray(settings.endpointHosts) || settings.endpointHosts.length === 0) throw new Error('webPush.endpointHosts must be a non-empty list of host names, or null for any');
    for (const host of settings.endpointHosts) {
      if (typeof host !== 'string' || !/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host)) throw new Error(`webPush.endpointHosts: ${JSON.stringify(host)} is not a host name (or *.suffix)`);
    }
  }
  if (typeof settings.allowLoopback !== 'boolean') throw new Error('webPush.allowLoopback must be true or false');
  const ranges: [keyof WebPushSettings, number, number][] = [
    ['timeoutMs', 1, 120_000],
    ['retries', 0, 10],
    ['retryBaseMs', 1, 600_000],
    ['perClient', 1, 100],
    ['total', 1, 10_000_000],
    ['ttlSeconds', 0, 28 * 24 * 3600],
    ['minIntervalMs', 0, 3_600_000],
  ];
  for (const [name, min, max] of ranges) {
    const value = settings[name];
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) throw new Error(`webPush.${name} must be an integer in ${min}..${max}, got ${String(value)}`);
  }
  return settings;
}
