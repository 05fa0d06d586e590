import { bisectRefusedGroups, isRefusedRowError } from './refused-rows.js';

const refusal = (group: number) => Object.assign(new Error(`group ${group} refused`), { code: '22021' });

/** A write that refuses any part holding one of `bad`, recording every part it was given. */
function partWriter(bad: ReadonlySet<number>) {
  const parts: number[][] = [];
  const written: number[] = [];
  const writePart = async (part: readonly number[]) => {
    parts.push([...part]);
    const refused = part.find((g) => bad.has(g));
    if (refused !== undefined) throw refusal(refused);
    written.push(...part);
    return `wrote ${part.join(',')}`;
  };
  return { parts, written, writePart };
}

describe('bisectRefusedGroups', () => {
  it('fails only the refused group, in about 2·log2(n) parts rather than one per group', async () => {
    const { parts, written, writePart } = partWriter(new Set([37]));
    const outcomes = await bisectRefusedGroups(64, writePart, refusal(37));
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([
      { status: 'rejected', reason: expect.objectContaining({ message: 'group 37 refused' }) },
    ]);
    expect(outcomes[37]?.status).toBe('rejected');
    expect(parts.length).toBeLessThanOrEqual(2 * Math.log2(64));
    // Every other group was written exactly once.
    expect(written.sort((a, b) => a - b)).toEqual(
      Array.from({ length: 64 }, (_, g) => g).filter((g) => g !== 37),
    );
  });

  it('gives each group the result of the part that carried it', async () => {
    const { writePart } = partWriter(new Set([1]));
    const outcomes = await bisectRefusedGroups(4, writePart, refusal(1));
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 'wrote 0' },
      { status: 'rejected', reason: expect.any(Error) },
      { status: 'fulfilled', value: 'wrote 2,3' },
      { status: 'fulfilled', value: 'wrote 2,3' },
    ]);
  });

  it('finds several refused groups', async () => {
    const { writePart } = partWriter(new Set([0, 5, 6]));
    const outcomes = await bisectRefusedGroups(8, writePart, refusal(0));
    expect(outcomes.map((o) => o.status === 'rejected')).toEqual([
      true,
      false,
      false,
      false,
      false,
      true,
      true,
      false,
    ]);
  });

  it('does not write again a single group whose batch was refused', async () => {
    const { parts, writePart } = partWriter(new Set([0]));
    const outcomes = await bisectRefusedGroups(1, writePart, refusal(0));
    expect(outcomes).toEqual([{ status: 'rejected', reason: expect.any(Error) }]);
    expect(parts).toEqual([]);
  });

  it('stops and throws on an error that is not a refusal', async () => {
    const down = Object.assign(new Error('connection lost'), { code: 'ECONNRESET' });
    await expect(bisectRefusedGroups(4, () => Promise.reject(down), refusal(0))).rejects.toBe(down);
  });
});

describe('isRefusedRowError', () => {
  it('knows data exceptions and limits from other failures', () => {
    expect(isRefusedRowError({ code: '22021' })).toBe(true); // NUL in text
    expect(isRefusedRowError({ code: '22P02' })).toBe(true); // malformed uuid
    expect(isRefusedRowError({ code: '23503' })).toBe(true); // foreign key: its parent was deleted
    expect(isRefusedRowError({ code: '54000' })).toBe(true);
    expect(isRefusedRowError({ code: '40P01' })).toBe(false); // deadlock: transient
    expect(isRefusedRowError({ code: 'ECONNRESET' })).toBe(false);
    expect(isRefusedRowError(new RangeError('Invalid time value'))).toBe(false);
  });
});
