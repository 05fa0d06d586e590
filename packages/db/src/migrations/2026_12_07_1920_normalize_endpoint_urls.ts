import { sql, type Kysely } from 'kysely';

// Endpoint URLs are stored in their WHATWG-normalized form (`new URL(url).href`: what the deliverer
// connects to) since the API normalizes them; rows written before are brought to the same form, so
// no endpoint keeps showing a URL (with line breaks, tabs, upper-case host, default port) other
// than the one its deliveries go to. A URL that does not parse is left as it is (its deliveries
// fail, as before). Endpoints are few (capped per organization): one pass, one UPDATE per change.
export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ id: string; url: string }>`SELECT id, url FROM endpoints`.execute(db);
  for (const { id, url } of rows) {
    if (!URL.canParse(url)) continue;
    const normalized = new URL(url).href;
    if (normalized !== url) await sql`UPDATE endpoints SET url = ${normalized} WHERE id = ${id}`.execute(db);
  }
}

// The verbatim spellings are not kept: the normalized URL names the same target.
export async function down(): Promise<void> {}
