import type { ApiKey, Organization } from '@triggers/db';

/** Wire shapes (snake_case) of admin resources. */
export function toOrganizationJson(org: Organization) {
  return {
    id: org.id,
    name: org.name,
    rate_limit_per_second: org.rateLimitPerSecond,
    strict_event_types: org.strictEventTypes,
    created_at: org.createdAt.toISOString(),
  };
}

export function toApiKeyJson(key: Omit<ApiKey, 'keyHash'>) {
  return {
    id: key.id,
    organization_id: key.organizationId,
    name: key.name,
    prefix: key.prefix,
    created_at: key.createdAt.toISOString(),
    revoked_at: key.revokedAt?.toISOString() ?? null,
  };
}
