import type { Request, Response } from 'express';
import { gzipSync } from 'node:zlib';

type Body = { json: Buffer; gzip?: Buffer };

/** The serialized bodies of the answers being served, by answer object. */
const bodies = new WeakMap<object, Body>();

/**
 * Sends `value` as JSON, as `res.json` would, but serializes (and gzips,
 * for a client that accepts it) each answer object once: a warm fleet
 * refresh gets the same kept object (cachedPerCaller), whose ~300 kB body
 * would otherwise be stringified and compressed again per request. A body
 * sent gzipped carries its Content-Encoding, which the backend's
 * compression middleware leaves alone.
 */
export function sendJsonOnce(req: Request, res: Response, value: object) {
  let body = bodies.get(value);
  if (!body) {
    body = { json: Buffer.from(JSON.stringify(value)) };
    bodies.set(value, body);
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.vary('Accept-Encoding');
  if (body.json.length > 1024 && req.acceptsEncodings('gzip') === 'gzip') {
    body.gzip ??= gzipSync(body.json);
    res.setHeader('Content-Encoding', 'gzip');
    res.end(body.gzip);
    return;
  }
  res.end(body.json);
}
