import type { IncomingMessage, ServerResponse } from 'node:http';
import { header, safeEqual } from '../http/headers.js';
import { json } from '../http/respond.js';
import type { ServerMetrics } from './metrics.js';

/**
 * `GET /metrics`: the Prometheus text exposition. With a token, only a
 * scraper presenting `Authorization: Bearer <token>` gets it (compared in
 * constant time); others get 401 and learn nothing else.
 */
export function metricsEndpoint(metrics: ServerMetrics, token: string | null) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (token !== null) {
      const given = /^Bearer (\S+)$/.exec(header(request, 'authorization') ?? '')?.[1];
      if (given === undefined || !safeEqual(given, token)) {
        response.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
        return json(response, 401, { code: 401, error: 'metrics require Authorization: Bearer <metrics token>' });
      }
    }
    const { contentType, body } = await metrics.exposition();
    response.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
}
