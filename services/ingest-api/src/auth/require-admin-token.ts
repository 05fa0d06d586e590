import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { errors } from '../http/api-error.js';

/** Guards the admin routes with the deployment's `ADMIN_TOKEN`, compared in constant time. */
export function requireAdminToken(adminToken: string): RequestHandler {
  // Comparing digests gives equal lengths, so neither the token nor its length leaks through timing.
  const expected = createHash('sha256').update(adminToken).digest();
  return (req, _res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const given = createHash('sha256')
      .update(match?.[1] ?? '')
      .digest();
    next(match && timingSafeEqual(given, expected) ? undefined : errors.adminUnauthorized());
  };
}
