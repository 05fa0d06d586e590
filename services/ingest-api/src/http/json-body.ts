import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { ApiError, errors } from './api-error.js';

/**
 * The encodings the API accepts. body-parser also decodes zstd on a Node whose zlib has it (22.15,
 * 23.8 and later); the API's contract does not change with the Node it runs on.
 */
const ACCEPTED_ENCODINGS = new Set(['identity', 'gzip', 'deflate', 'br']);

/**
 * Accepts only UTF-8 JSON bodies up to `limitBytes`: 415 for another media type or a
 * Content-Encoding other than identity, gzip, deflate or br, 413 past the limit (counted after
 * decompression), 400 for bytes that are not UTF-8 (which body-parser would otherwise silently
 * replace) or that do not decompress.
 */
export function jsonBody(limitBytes: number): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    if (!req.is(['application/json', 'application/*+json'])) return next(errors.unsupportedMediaType());
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    next(ACCEPTED_ENCODINGS.has(encoding) ? undefined : errors.unsupportedContentEncoding());
  };
  const parse = express.json({
    limit: limitBytes,
    strict: true,
    // requireJson has matched the media type already; matching it twice cost every request.
    type: () => true,
    verify: (_req, _res, buf) => {
      if (!isUtf8(buf)) throw errors.invalidEncoding();
    },
  });
  const parseDecoded: RequestHandler = (req, res, next) => {
    parse(req, res, (err?: unknown) => {
      // body-parser passes on zlib's own error, typeless, for a body that is not what its
      // Content-Encoding says; everything else it reports has a `type` the error handler maps.
      const encoding = req.headers['content-encoding'] ?? 'identity';
      const undecodable =
        err !== undefined &&
        !(err instanceof ApiError) &&
        (err as { type?: unknown }).type === undefined &&
        encoding.toLowerCase() !== 'identity';
      next(undecodable ? errors.invalidContentEncoding(encoding) : err);
    });
  };
  return [requireJson, parseDecoded];
}
