import { Router } from 'express';
import type { Kysely } from 'kysely';
import {
  findOrganization,
  insertApiKey,
  insertOrganization,
  listApiKeys,
  revokeApiKey,
  updateOrganization,
  type Database,
} from '@triggers/db';
import { generateApiKey } from '../auth/api-keys.js';
import type { ApiKeyAuthenticator } from '../auth/api-key-authenticator.js';
import { bodyValidator } from '../http/ajv.js';
import { errors } from '../http/api-error.js';
import { jsonBody } from '../http/json-body.js';
import { uuidParam } from '../http/uuid-param.js';
import { toApiKeyJson, toOrganizationJson } from './admin.json.js';

export interface AdminRoutesDeps {
  db: Kysely<Database>;
  authenticator: ApiKeyAuthenticator;
}

export const createOrganizationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    rate_limit_per_second: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    strict_event_types: { type: 'boolean' },
  },
} as const;

const parseCreateOrganization = bodyValidator<{
  name: string;
  rate_limit_per_second?: number;
  strict_event_types?: boolean;
}>(createOrganizationSchema);

export const updateOrganizationSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    rate_limit_per_second: { type: ['integer', 'null'], minimum: 1, maximum: 1_000_000 },
    strict_event_types: {
      type: 'boolean',
      description:
        'Refuse events of unregistered types with 422. Takes effect on every instance within API_KEY_CACHE_TTL_MS.',
    },
  },
} as const;

const parseUpdateOrganization = bodyValidator<{
  name?: string;
  rate_limit_per_second?: number | null;
  strict_event_types?: boolean;
}>(updateOrganizationSchema);

export const createApiKeySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { name: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

const parseCreateApiKey = bodyValidator<{ name?: string }>(createApiKeySchema);

/** Organizations and API keys, for operators holding the ADMIN_TOKEN (mounted behind it). */
export function adminRoutes(deps: AdminRoutesDeps): Router {
  const router = Router();
  const body = jsonBody(16 * 1024);

  router.post('/organizations', ...body, async (req, res) => {
    const input = parseCreateOrganization(req.body);
    const org = await insertOrganization(deps.db, {
      name: input.name,
      rateLimitPerSecond: input.rate_limit_per_second ?? null,
      strictEventTypes: input.strict_event_types ?? false,
    });
    res.status(201).location(`/admin/organizations/${org.id}`).json(toOrganizationJson(org));
  });

  router.get('/organizations/:id', async (req, res) => {
    const org = await findOrganization(deps.db, uuidParam(req.params.id, 'organization'));
    if (!org) throw errors.notFound('organization');
    res.json(toOrganizationJson(org));
  });

  router.patch('/organizations/:id', ...body, async (req, res) => {
    const id = uuidParam(req.params.id, 'organization');
    const input = parseUpdateOrganization(req.body);
    const org = await updateOrganization(deps.db, id, {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.rate_limit_per_second !== undefined && { rateLimitPerSecond: input.rate_limit_per_second }),
      ...(input.strict_event_types !== undefined && { strictEventTypes: input.strict_event_types }),
    });
    if (!org) throw errors.notFound('organization');
    // Here at once; other instances within API_KEY_CACHE_TTL_MS.
    deps.authenticator.forgetOrganization(id);
    res.json(toOrganizationJson(org));
  });

  router.post('/organizations/:id/api-keys', ...body, async (req, res) => {
    const organizationId = uuidParam(req.params.id, 'organization');
    const input = parseCreateApiKey(req.body);
    if (!(await findOrganization(deps.db, organizationId))) throw errors.notFound('organization');
    const { key, hash, prefix } = generateApiKey();
    const row = await insertApiKey(deps.db, {
      organizationId,
      name: input.name ?? 'default',
      prefix,
      keyHash: hash,
      revokedAt: null,
    });
    // The only time the key is ever shown.
    res.status(201).json({ ...toApiKeyJson(row), key });
  });

  router.get('/organizations/:id/api-keys', async (req, res) => {
    const organizationId = uuidParam(req.params.id, 'organization');
    if (!(await findOrganization(deps.db, organizationId))) throw errors.notFound('organization');
    res.json({ data: (await listApiKeys(deps.db, organizationId)).map(toApiKeyJson) });
  });

  router.post('/api-keys/:id/revoke', async (req, res) => {
    const revoked = await revokeApiKey(deps.db, uuidParam(req.params.id, 'API key'));
    if (!revoked) throw errors.notFound('API key');
    deps.authenticator.forget(revoked.keyHash);
    res.json({ id: req.params.id, revoked: true });
  });

  return router;
}
