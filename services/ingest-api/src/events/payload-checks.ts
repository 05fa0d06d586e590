import type { FieldProblem } from '../http/api-error.js';

/** Deeper documents are refused: nothing legitimate needs more, and Postgres' jsonb parser has a stack limit. */
export const MAX_PAYLOAD_DEPTH = 32;

/**
 * Finds what JSON allows but the store cannot keep or consumers should never receive:
 * nesting past MAX_PAYLOAD_DEPTH, `\u0000` (refused by Postgres jsonb), lone UTF-16 surrogates (not
 * valid Unicode, refused by jsonb) and `__proto__` keys (prototype pollution in consumers that merge
 * payloads). Checking here keeps one bad event from failing the INSERT it shares with others.
 */
export function checkPayload(payload: unknown, pointer: string): FieldProblem | undefined {
  return walk(payload, pointer, 1);
}

function walk(value: unknown, pointer: string, depth: number): FieldProblem | undefined {
  if (typeof value === 'string') return checkString(value, pointer);
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > MAX_PAYLOAD_DEPTH) {
    return { pointer, message: `nests deeper than ${MAX_PAYLOAD_DEPTH} levels` };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = walk(value[i], `${pointer}/${i}`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const keyPointer = `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (key === '__proto__') return { pointer: keyPointer, message: 'the key "__proto__" is not allowed' };
    const keyProblem = checkString(key, keyPointer);
    if (keyProblem) return { pointer: keyPointer, message: `key ${keyProblem.message}` };
    const problem = walk((value as Record<string, unknown>)[key], keyPointer, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

function checkString(value: string, pointer: string): FieldProblem | undefined {
  if (value.includes('\u0000')) return { pointer, message: 'contains a NUL character (\\u0000)' };
  if (!value.isWellFormed()) return { pointer, message: 'contains a lone UTF-16 surrogate' };
  return undefined;
}
