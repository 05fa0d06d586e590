import { unstorableNumber, unstorableText } from '@triggers/db';
import type { FieldProblem } from './api-error.js';
import { pointerToken } from './json-pointer.js';

/** Deeper documents are refused: nothing legitimate needs more, and Postgres' jsonb parser has a stack limit. */
export const MAX_JSON_DEPTH = 32;

/**
 * Finds what JSON allows but the store cannot keep or consumers should never receive: nesting past
 * MAX_JSON_DEPTH, `\u0000` and lone UTF-16 surrogates (refused by Postgres), numbers JSON cannot
 * carry exactly (`1e309`, integers past 2^53) and `__proto__` keys (prototype pollution in
 * consumers that merge documents). Checked per value before anything is shared, so one bad value
 * fails only the request, or the batch item, that carries it.
 */
export function checkStorableJson(value: unknown, pointer: string): FieldProblem | undefined {
  return walk(value, pointer, 1);
}

function walk(value: unknown, pointer: string, depth: number): FieldProblem | undefined {
  if (typeof value === 'string') return problem(pointer, unstorableText(value));
  if (typeof value === 'number') return problem(pointer, unstorableNumber(value));
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > MAX_JSON_DEPTH) {
    return { pointer, message: `nests deeper than ${MAX_JSON_DEPTH} levels` };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], `${pointer}/${i}`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const keyPointer = `${pointer}/${pointerToken(key)}`;
    if (key === '__proto__') return { pointer: keyPointer, message: 'the key "__proto__" is not allowed' };
    const keyProblem = unstorableText(key);
    if (keyProblem) return { pointer: keyPointer, message: `key ${keyProblem}` };
    const found = walk((value as Record<string, unknown>)[key], keyPointer, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function problem(pointer: string, message: string | undefined): FieldProblem | undefined {
  return message === undefined ? undefined : { pointer, message };
}
