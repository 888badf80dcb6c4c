/** Starts Web Push for createServer: keys, subscriptions, sender and routes, or null when it is off. */
import type { ServerConfig } from '../config.js';
import type { Logger } from '../observability/logger.js';
import { errorFields } from '../observability/logger.js';
import type { ServerMetrics } from '../observability/metrics.js';
import type { RestHandler } from '../rest/rest-api.js';
import type { Store } from '../store/types.js';
import { createPushRoutes } from './push-routes.js';
import { resolveWebPush } from './settings.js';
import { keysAfterImport } from './legacy-files.js';
import { PushSubscriptions } from './subscriptions.js';
import { WebPush } from './web-push.js';

export interface StartedWebPush {
  service: WebPush;
  /** `handler` with the push paths answered first. */
  withRoutes(handler: RestHandler): RestHandler;
}

export async function startWebPush(config: ServerConfig, store: Store, logger: Logger, metrics: ServerMetrics): Promise<StartedWebPush | null> {
  const settings = resolveWebPush(config.webPush);
  if (!settings) return null;
  const subscriptions = new PushSubscriptions(store, { perClient: settings.perClient, total: settings.total }, (error, what) =>
    logger.error(errorFields(error), `web push: ${what}`),
  );
  // The key pair and the subscriptions are the store's; a data directory of an earlier version has its files imported.
  const keys = await keysAfterImport(config.dataDir, store, subscriptions, { hosts: settings.endpointHosts, allowLoopback: settings.allowLoopback }, logger);
  const service = new WebPush(settings, keys, subscriptions, logger, metrics);
  const routes = createPushRoutes(store, service);
  return {
    service,
    withRoutes: (handler) => async (request, response, url) => (await routes(request, response, url)) || handler(request, response, url),
  };
}
