import type { QueueInsertRow } from '@triggers/db';
import { claimInserted } from './queue-committer.js';

const row = (id: string) => ({ id }) as QueueInsertRow;

describe('claimInserted', () => {
  it('gives each inserted id to the first submission that claims it', () => {
    const inserted = new Set(['a', 'b']);
    expect(claimInserted(inserted, [row('a')])).toEqual(new Set(['a']));
    expect(claimInserted(inserted, [row('a'), row('b')])).toEqual(new Set(['b']));
    expect(claimInserted(inserted, [row('b')])).toEqual(new Set());
  });

  it('gives a duplicate within one submission to its first occurrence only', () => {
    const inserted = new Set(['x']);
    const own = claimInserted(inserted, [row('x'), row('x')]);
    expect(own).toEqual(new Set(['x']));
  });
});
