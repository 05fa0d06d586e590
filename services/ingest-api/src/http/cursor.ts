import { isUuid, toStorableDate, type InboxPosition, type KeysetPosition } from '@triggers/db';
import { errors } from './api-error.js';

type Check = (part: string) => boolean;
const matches =
  (re: RegExp): Check =>
  (part) =>
    re.test(part);

const EXACT_TIMESTAMP_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
/**
 * A timestamp as the listings write it (microseconds, UTC) naming an instant Date and Postgres
 * hold: the form alone lets through year 0000 and month 13, and Date quietly rolls 02-30 over to
 * March, so the date must also read back as written.
 */
const EXACT_TIMESTAMP: Check = (part) =>
  EXACT_TIMESTAMP_FORM.test(part) && toStorableDate(part)?.toISOString().slice(0, 19) === part.slice(0, 19);
/** A Postgres xid8: an unsigned 64-bit integer. */
const XID: Check = (part) => /^\d{1,20}$/.test(part) && BigInt(part) < 2n ** 64n;
const EVENT_TYPE_NAME = matches(/^[A-Za-z0-9_.-]{1,128}$/);

/**
 * Opaque cursors: base64url of a JSON array whose first element names the listing, so a cursor
 * of one listing is refused by another. Clients must not build or parse them; a cursor that does
 * not decode to the expected shape is a 400, never a query.
 */
function encode(kind: string, parts: string[]): string {
  return Buffer.from(JSON.stringify([kind, ...parts])).toString('base64url');
}

function decode(kind: string, cursor: string, checks: Check[]): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.length === checks.length + 1 &&
    parsed[0] === kind &&
    checks.every((check, i) => typeof parsed[i + 1] === 'string' && check(parsed[i + 1] as string));
  if (!valid) throw errors.invalidQuery('The cursor is not valid for this listing.');
  return (parsed as string[]).slice(1);
}

/** Cursor of a listing ordered by (timestamp, id): events, deliveries, endpoints. */
export const keysetCursor = (kind: string) => ({
  encode: (p: KeysetPosition) => encode(kind, [p.at, p.id]),
  decode: (cursor: string): KeysetPosition => {
    const [at, id] = decode(kind, cursor, [EXACT_TIMESTAMP, isUuid]);
    return { at: at!, id: id! };
  },
});

export const inboxCursor = {
  encode: (p: InboxPosition) => encode('inbox', [p.xid, p.at, p.id]),
  decode: (cursor: string): InboxPosition => {
    const [xid, at, id] = decode('inbox', cursor, [XID, EXACT_TIMESTAMP, isUuid]);
    return { xid: xid!, at: at!, id: id! };
  },
};

export const nameCursor = {
  encode: (name: string) => encode('name', [name]),
  decode: (cursor: string): string => decode('name', cursor, [EVENT_TYPE_NAME])[0]!,
};
