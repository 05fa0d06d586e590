import { inboxCursor, keysetCursor } from './cursor.js';

const ID = '0191d3a4-0000-7000-8000-000000000000';
const forged = (parts: string[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
const events = keysetCursor('events');

describe('keysetCursor', () => {
  it('reads back a cursor it wrote', () => {
    const position = { at: '2026-11-28T09:00:00.123456Z', id: ID };
    expect(events.decode(events.encode(position))).toEqual(position);
  });

  it.each([
    ['year 0000', '0000-01-01T00:00:00.000000Z'],
    ['month 13', '2026-13-01T00:00:00.000000Z'],
    ['February 30, which Date rolls over to March', '2026-02-30T00:00:00.000000Z'],
    ['a leap second', '2016-12-31T23:59:60.000000Z'],
    ['hour 24', '2026-01-01T24:00:00.000000Z'],
  ])('refuses a forged timestamp: %s', (_name, at) => {
    expect(() => events.decode(forged(['events', at, ID]))).toThrow(
      expect.objectContaining({ status: 400, code: 'invalid_query' }),
    );
  });

  it('refuses a cursor of another listing', () => {
    expect(() => events.decode(forged(['deliveries', '2026-11-28T09:00:00.000000Z', ID]))).toThrow(
      expect.objectContaining({ code: 'invalid_query' }),
    );
  });
});

describe('inboxCursor', () => {
  it('accepts the largest xid8 and refuses one past it', () => {
    const at = '2026-11-28T09:00:00.000000Z';
    expect(inboxCursor.decode(forged(['inbox', '18446744073709551615', at, ID])).xid).toBe(
      '18446744073709551615',
    );
    expect(() => inboxCursor.decode(forged(['inbox', '18446744073709551616', at, ID]))).toThrow(
      expect.objectContaining({ code: 'invalid_query' }),
    );
  });
});
