import type { PoisonExpectation } from './poison-events.js';

/** An answer of the ingest API as a client read it (`status` is not a number when none came). */
export interface AnswerSeen {
  status: number | string;
  contentType: string;
  body: Record<string, unknown> | undefined;
}

interface ItemResult {
  index?: number;
  status?: string;
  errors?: { pointer?: string }[];
}

/**
 * Why `answer` is not the documented answer `expect` describes; undefined when it is. A single
 * poison event must get its 4xx problem (problem+json, the stable `code`, a field pointer under
 * the one expected); a batch must refuse exactly its poison items, each with its pointer, and take
 * the rest.
 */
export function poisonAnswerProblem(expect: PoisonExpectation, answer: AnswerSeen): string | undefined {
  const seen = `${answer.status} ${JSON.stringify(answer.body)?.slice(0, 300)}`;
  if (answer.status !== expect.status) return `expected ${expect.status}, got ${seen}`;
  const body = answer.body ?? {};
  if ('code' in expect) {
    if (!answer.contentType.startsWith('application/problem+json'))
      return `expected problem+json, got ${answer.contentType}`;
    if (body.code !== expect.code) return `expected code ${expect.code}, got ${seen}`;
    const pointers = ((body.errors ?? []) as { pointer?: string }[]).map((e) => e.pointer ?? '');
    if (!pointers.some((p) => p.startsWith(expect.pointer)))
      return `expected a problem at ${expect.pointer}, got ${seen}`;
    return undefined;
  }
  const results = (body.results ?? []) as ItemResult[];
  const refused = new Map(expect.rejected.map((r) => [r.index, r.pointer]));
  for (const [index, item] of results.entries()) {
    const pointer = refused.get(index);
    if (pointer === undefined) {
      if (item.status !== 'accepted') return `item ${index} should be accepted: ${seen}`;
    } else if (item.status !== 'rejected' || !item.errors?.some((e) => e.pointer?.startsWith(pointer))) {
      return `item ${index} should be refused at ${pointer}: ${seen}`;
    }
  }
  return undefined;
}
