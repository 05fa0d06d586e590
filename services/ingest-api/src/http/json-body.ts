import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { errors } from './api-error.js';

/**
 * Accepts only UTF-8 JSON bodies up to `limitBytes`: 415 for another media type, 413 past the
 * limit, 400 for bytes that are not UTF-8 (which body-parser would otherwise silently replace).
 */
export function jsonBody(limitBytes: number): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    next(req.is(['application/json', 'application/*+json']) ? undefined : errors.unsupportedMediaType());
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
  return [requireJson, parse];
}
