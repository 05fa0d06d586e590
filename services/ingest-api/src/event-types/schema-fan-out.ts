import type { FieldProblem } from '../http/api-error.js';
import { pointerToken } from '../http/json-pointer.js';
import { MAX_JSON_DEPTH } from '../http/storable-json.js';

// How many checks a single payload value can cost: subschemas it is checked against, each weighted by
// the names and values its keywords compare the value with (`required`, `enum`) and the patterns it
// is matched against. Applicators multiply it:
// `anyOf` of n branches checks one value n times, and a `$ref` that recurses through `items`
// multiplies again at each level of the payload, so a schema of a few lines can ask for 2^30 checks
// of a payload nested 30 deep (seconds of the shared event loop at depth 20). The count is bounded
// per depth of the payload, which MAX_JSON_DEPTH bounds; validation then costs at most this many
// checks per value of a payload that the body limit bounds.

// Applied to the value itself; `dependencies` holds schemas in draft-07 (its string arrays are skipped).
const IN_PLACE_LISTS = ['allOf', 'anyOf', 'oneOf'];
const IN_PLACE = ['not', 'if', 'then', 'else', '$ref', '$dynamicRef'];
const IN_PLACE_MAPS = ['dependentSchemas', 'dependencies'];
// Applied to the value's children: one of `properties` or `prefixItems` at most per child, all the others.
const TO_ONE_CHILD_MAPS = ['properties'];
const TO_ONE_CHILD_LISTS = ['prefixItems', 'items'];
const TO_CHILDREN = [
  'items',
  'additionalItems',
  'contains',
  'additionalProperties',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
];
const TO_CHILDREN_MAPS = ['patternProperties'];

type SchemaNode = Record<string, unknown> | boolean;

/**
 * The checks the payload's root value can cost (`atRoot`: there is one such value) and the most
 * that any value below it can (`fanOut`: a body holds ~128k of them), or a problem
 * when it cannot be bounded: a reference that leaves the schema (never resolved anyway), a nested
 * `$id` (which would change what `#` means below it), or a cycle of references that never descends
 * into the payload.
 */
export function schemaFanOut(
  root: Record<string, unknown>,
  pointer: string,
): { atRoot: number; fanOut: number } | { problem: FieldProblem } {
  const anchors = new Map<string, SchemaNode>();
  const nested = findAnchorsAndNestedIds(root, anchors, true);
  if (nested) return { problem: { pointer: `${pointer}${nested}`, message: 'nested $id is not supported' } };
  const memo = new Map<SchemaNode, number[]>();
  const inProgress = new Map<SchemaNode, Set<number>>();
  let problem: FieldProblem | undefined;
  // Beyond this, the exact count no longer matters: the schema is refused.
  const cap = Number.MAX_SAFE_INTEGER;

  const resolve = (ref: string, at: string): SchemaNode | undefined => {
    if (ref === '#') return root;
    if (ref.startsWith('#/')) {
      let node: unknown = root;
      for (const raw of ref.slice(2).split('/')) {
        const token = decodeToken(raw);
        node =
          token !== undefined && typeof node === 'object' && node !== null && Object.hasOwn(node, token)
            ? (node as Record<string, unknown>)[token]
            : undefined;
      }
      if (typeof node === 'boolean' || (typeof node === 'object' && node !== null)) return node as SchemaNode;
    } else if (ref.startsWith('#') && anchors.has(ref.slice(1))) {
      return anchors.get(ref.slice(1));
    }
    problem ??= { pointer: at, message: 'must reference a part of this schema (#/… or #anchor)' };
    return undefined;
  };

  const visits = (node: SchemaNode, depth: number, at: string): number => {
    if (problem) return 0;
    if (typeof node === 'boolean') return depth === 0 ? 1 : 0;
    const known = memo.get(node)?.[depth];
    if (known !== undefined) return known;
    const depths = inProgress.get(node) ?? new Set<number>();
    if (depths.has(depth)) {
      problem ??= { pointer: at, message: 'refers to itself without descending into the payload' };
      return 0;
    }
    inProgress.set(node, depths.add(depth));
    let total = depth === 0 ? localChecks(node) : 0;
    const add = (n: number) => (total = Math.min(cap, total + n));
    const schemaAt = (child: unknown, childAt: string, d: number): number => {
      if (typeof child === 'boolean') return d === 0 ? 1 : 0;
      if (typeof child !== 'object' || child === null || Array.isArray(child)) return 0;
      return visits(child as SchemaNode, d, childAt);
    };
    for (const [key, value] of Object.entries(node)) {
      const keyAt = `${at}/${pointerToken(key)}`;
      if (key === '$ref' || key === '$dynamicRef') {
        if (typeof value !== 'string') continue;
        const target = resolve(value, keyAt);
        if (target !== undefined) add(schemaAt(target, keyAt, depth));
        continue;
      }
      if (IN_PLACE.includes(key)) add(schemaAt(value, keyAt, depth));
      if (IN_PLACE_LISTS.includes(key) && Array.isArray(value)) {
        // A branch of anyOf or oneOf that fails records its error before the next is tried.
        if (depth === 0 && key !== 'allOf') add(BRANCH_CHECKS * value.length);
        value.forEach((c, i) => add(schemaAt(c, `${keyAt}/${i}`, depth)));
      }
      if (IN_PLACE_MAPS.includes(key) && isMap(value)) {
        for (const [k, c] of Object.entries(value)) add(schemaAt(c, `${keyAt}/${pointerToken(k)}`, depth));
      }
      if (depth === 0) continue;
      if (TO_CHILDREN.includes(key) && !Array.isArray(value)) add(schemaAt(value, keyAt, depth - 1));
      if (TO_CHILDREN_MAPS.includes(key) && isMap(value)) {
        // Every key of the object is matched against every pattern, whichever it matches.
        if (depth === 1) add(PATTERN_CHECKS * Object.keys(value).length);
        for (const [k, c] of Object.entries(value))
          add(schemaAt(c, `${keyAt}/${pointerToken(k)}`, depth - 1));
      }
      if (TO_ONE_CHILD_MAPS.includes(key) && isMap(value)) {
        add(
          Math.max(
            0,
            ...Object.entries(value).map(([k, c]) => schemaAt(c, `${keyAt}/${pointerToken(k)}`, depth - 1)),
          ),
        );
      }
      if (TO_ONE_CHILD_LISTS.includes(key) && Array.isArray(value)) {
        add(Math.max(0, ...value.map((c, i) => schemaAt(c, `${keyAt}/${i}`, depth - 1))));
      }
    }
    depths.delete(depth);
    const row = memo.get(node) ?? [];
    row[depth] = total;
    memo.set(node, row);
    return total;
  };

  const atRoot = visits(root, 0, pointer);
  let fanOut = 0;
  for (let depth = 1; depth <= MAX_JSON_DEPTH && !problem; depth++) {
    fanOut = Math.max(fanOut, visits(root, depth, pointer));
  }
  return problem ? { problem } : { atRoot, fanOut };
}

function findAnchorsAndNestedIds(
  node: unknown,
  anchors: Map<string, SchemaNode>,
  isRoot: boolean,
  at = '',
  keysAreNames = false,
): string | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const record = node as Record<string, unknown>;
  if (!Array.isArray(node) && !keysAreNames) {
    for (const name of [record.$anchor, record.$dynamicAnchor]) {
      if (typeof name === 'string') anchors.set(name, record);
    }
    if (typeof record.$id === 'string') {
      // draft-07 spells an anchor as an $id of "#name".
      if (record.$id.startsWith('#')) anchors.set(record.$id.slice(1), record);
      else if (!isRoot) return `${at}/$id`;
    }
  }
  for (const [key, child, childKeysAreNames] of schemaEntries(record, keysAreNames)) {
    const found = findAnchorsAndNestedIds(
      child,
      anchors,
      false,
      `${at}/${pointerToken(key)}`,
      childKeysAreNames,
    );
    if (found) return found;
  }
  return undefined;
}

// A pattern or format is matched by RE2 in pure JavaScript: ~200 ns a call even on a short string,
// where a type check or a comparison costs a few nanoseconds.
const PATTERN_CHECKS = 32;
// Measured: a failing branch costs ~15 times a comparison (ajv allocates its error).
const BRANCH_CHECKS = 16;

// One check per visit, plus one per name or value a keyword compares the value with each time.
function localChecks(node: Record<string, unknown>): number {
  let checks = 1;
  if (typeof node.pattern === 'string') checks += PATTERN_CHECKS;
  if (typeof node.format === 'string') checks += PATTERN_CHECKS;
  for (const key of ['required', 'enum']) {
    const list = node[key];
    if (Array.isArray(list)) checks += list.length;
  }
  for (const key of ['dependentRequired', 'dependencies']) {
    const map = node[key];
    if (isMap(map)) for (const names of Object.values(map)) if (Array.isArray(names)) checks += names.length;
  }
  return checks;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// A reference is a URI fragment: percent-encoded, then a JSON pointer's escapes.
function decodeToken(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
  } catch {
    return undefined;
  }
}

// Keywords whose values are data, not schemas: a "pattern" or "$ref" inside them means nothing.
const DATA_KEYWORDS: ReadonlySet<string> = new Set(['const', 'enum', 'default', 'examples']);
// Keywords whose values map names (of properties, definitions, patterns) to schemas: a key `const`
// there names a property or a definition, whose schema ajv compiles like any other.
const SCHEMA_MAPS: ReadonlySet<string> = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'dependencies',
]);

/**
 * The entries of an object or array met while walking a schema, leaving out the data keywords'
 * values (`const`, `enum`, `default`, `examples`), each with whether the child's own keys are names
 * rather than keywords. `keysAreNames`: `node` is the value of `properties`, `$defs` or another map
 * of named schemas, whose keys are never data keywords, whatever they are called.
 */
export function schemaEntries(
  node: object,
  keysAreNames: boolean,
): [key: string, child: unknown, childKeysAreNames: boolean][] {
  return Object.entries(node).flatMap(([key, child]): [string, unknown, boolean][] => {
    if (keysAreNames) return [[key, child, false]];
    return DATA_KEYWORDS.has(key) ? [] : [[key, child, SCHEMA_MAPS.has(key)]];
  });
}
