import type { ApiAnswer } from './api-post.js';
import type { PoisonExpectation, PoisonRequest } from './poison-events.js';

/** What of an answer the check reads (a client that does not time requests has no `ms`). */
export type AnswerSeen = Pick<ApiAnswer, 'status' | 'contentType' | 'body'>;

interface ItemResult {
  index?: number;
  status?: string;
  errors?: { pointer?: string }[];
}

/**
 * Why `answer` is not the documented answer `expect` describes; undefined when it is. A single
 * poison event must get its 4xx problem (problem+json, the stable `code`, a field pointer under
 * the one expected); a batch must answer one result per item sent, refuse exactly its poison
 * items, each at its pointer, and take every other item.
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
  if (!('items' in expect))
    return typeof body.id === 'string' ? undefined : `expected an event id, got ${seen}`;
  // Every item sent is checked, not every result that came back: a short list must not pass.
  const results = Array.isArray(body.results) ? (body.results as ItemResult[]) : [];
  if (results.length !== expect.items)
    return `expected ${expect.items} results, one per item sent, got ${seen}`;
  const refused = new Map(expect.rejected.map((r) => [r.index, r.pointer]));
  for (const [index, item] of results.entries()) {
    const pointer = refused.get(index);
    if (item.index !== index) return `result ${index} names item ${item.index}: ${seen}`;
    if (pointer === undefined) {
      if (item.status !== 'accepted') return `item ${index} should be accepted: ${seen}`;
    } else if (item.status !== 'rejected' || !item.errors?.some((e) => e.pointer?.startsWith(pointer))) {
      return `item ${index} should be refused at ${pointer}: ${seen}`;
    }
  }
  return undefined;
}

/** A poison request and the answer it got. */
export interface PoisonAnswer {
  name: PoisonRequest['name'];
  expect: PoisonExpectation;
  answer: ApiAnswer;
}

/** `name: why` for each answer that is not the documented one; empty when every answer is. */
export function wrongPoisonAnswers(answers: readonly PoisonAnswer[]): string[] {
  return answers.flatMap(({ name, expect, answer }) => {
    const problem = poisonAnswerProblem(expect, answer);
    return problem === undefined ? [] : [`${name}: ${problem}`];
  });
}
