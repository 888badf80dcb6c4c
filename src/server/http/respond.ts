import type { ServerResponse } from 'node:http';

/**
 * A JSON answer that any origin may read (the SDKs call from web pages).
 * Not cached unless `cacheControl` says otherwise.
 */
export function json(response: ServerResponse, status: number, body: unknown, cacheControl = 'no-store'): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Access-Control-Allow-Origin': '*',
    'Cache-Control': cacheControl,
  });
  response.end(text);
}
