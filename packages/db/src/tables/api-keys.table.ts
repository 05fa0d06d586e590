import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export interface ApiKeysTable {
  id: Generated<string>;
  organizationId: string;
  name: string;
  /** The first characters of the key, kept to let people tell keys apart; not enough to use it. */
  prefix: string;
  /** SHA-256 of the whole key, hex; the key itself is shown once and never stored. */
  keyHash: string;
  createdAt: ColumnType<Date, never, never>;
  revokedAt: Date | null;
}

export type ApiKey = Selectable<ApiKeysTable>;
export type NewApiKey = Insertable<ApiKeysTable>;
