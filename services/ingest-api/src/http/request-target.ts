import type { RequestListener } from 'node:http';
import { errors } from './api-error.js';
import { problemDocument } from './problem-response.js';

/**
 * Requests whose target is not a URL (`GET http://[::1 HTTP/1.1`) are answered 400 `invalid_path`
 * before express sees them: its router cannot read their path and hands them straight to its
 * final handler, past every middleware, which answers an HTML 404. WHATWG URL parsing refuses
 * everything the router's parser does, and a few more absolute-form targets that are malformed too.
 */
export function refuseUnreadableTargets(app: RequestListener): RequestListener {
  return (req, res) => {
    if (URL.canParse(req.url ?? '/', 'http://localhost')) {
      app(req, res);
      return;
    }
    const body = problemDocument(errors.invalidPath('The request target is not a URL.'));
    res.writeHead(400, {
      'content-type': 'application/problem+json',
      'content-length': Buffer.byteLength(body),
      // The body, if any, is never read.
      connection: 'close',
    });
    res.end(body);
  };
}
