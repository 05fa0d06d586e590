import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { errors } from '../http/api-error.js';
import type { ApiKeyAuthenticator, Principal } from './api-key-authenticator.js';

/** The key from `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function readApiKey(req: Request): string | undefined {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1];
  }
  const header = req.headers['x-api-key'];
  return typeof header === 'string' ? header.trim() : undefined;
}

/** Authenticates the request and stores its principal in `res.locals.principal`. */
export function requireApiKey(authenticator: ApiKeyAuthenticator): RequestHandler {
  const admit = (principal: Principal | undefined, res: Response, next: NextFunction) => {
    if (!principal) throw errors.unauthorized('The API key is unknown or revoked.');
    res.locals.principal = principal;
    next();
  };
  return (req, res, next) => {
    const key = readApiKey(req);
    if (!key) throw errors.unauthorized();
    const cached = authenticator.fromCache(key);
    if (cached !== 'not cached') return admit(cached, res, next);
    return authenticator.authenticate(key).then((principal) => admit(principal, res, next));
  };
}

/** The principal set by `requireApiKey`; routes behind it call this. */
export function principalOf(res: { locals: Record<string, unknown> }): Principal {
  return res.locals.principal as Principal;
}
