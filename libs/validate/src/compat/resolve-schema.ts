import { isDeepStrictEqual } from 'node:util';
import { childPointer, resolveLocalRef } from '../lib/json-pointer';

export type JsonType = 'null' | 'boolean' | 'object' | 'array' | 'number' | 'integer' | 'string';
const JSON_TYPES: readonly JsonType[] = ['null', 'boolean', 'object', 'array', 'number', 'integer', 'string'];

/** A subschema as written, with the schema pointer (`#/properties/x`) it was found at. */
export interface Located {
  schema: unknown;
  at: string;
}

export interface Bound {
  value: number;
  exclusive: boolean;
}

/**
 * One schema level with `$ref` followed and `allOf` folded in: what an instance at this place must
 * satisfy, keyword by keyword. Children (properties, items, ...) stay `Located` and are resolved
 * when the comparison reaches them, so recursive schemas are fine.
 */
export interface SchemaNode {
  at: string;
  /** Nothing validates here (`false`, or allOf conjuncts that contradict each other). */
  never: boolean;
  /** undefined: any type. */
  types?: JsonType[];
  /** `enum`, or `const` as a one-value list. */
  values?: { keyword: 'enum' | 'const'; list: unknown[] };
  lower?: Bound;
  upper?: Bound;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  patterns: string[];
  format?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems: boolean;
  prefixItems: Located[];
  /** Elements after `prefixItems`; undefined: anything. */
  items?: Located;
  properties: Map<string, Located>;
  required: Set<string>;
  /** undefined: any extra property is allowed. */
  additionalProperties?: Located;
  minProperties?: number;
  maxProperties?: number;
  /** Each `anyOf` / `oneOf` met at this level: a list of alternative subschemas. */
  alternatives: Located[][];
  /** Keywords this comparison does not reason about, with every value met, to flag changes to them. */
  uncompared: Record<string, unknown[]>;
  /** `$ref`s that point nowhere this comparison can follow (remote documents, anchors). */
  unresolvedRefs: string[];
}

/** Annotations and containers that never change what validates. */
const ANNOTATIONS = new Set([
  '$schema', '$id', '$comment', '$anchor', '$defs', 'definitions', 'title', 'description', 'default',
  'examples', 'readOnly', 'writeOnly', 'deprecated', '$vocabulary', '$dynamicAnchor',
]);
const HANDLED = new Set([
  '$ref', 'allOf', 'anyOf', 'oneOf', 'type', 'enum', 'const', 'minimum', 'maximum', 'exclusiveMinimum',
  'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'pattern', 'format', 'minItems', 'maxItems',
  'uniqueItems', 'items', 'prefixItems', 'additionalItems', 'properties', 'required', 'additionalProperties',
  'minProperties', 'maxProperties',
]);

export const ANY: unknown = true;

export function emptyNode(at: string): SchemaNode {
  return {
    at,
    never: false,
    patterns: [],
    uniqueItems: false,
    prefixItems: [],
    properties: new Map(),
    required: new Set(),
    alternatives: [],
    uncompared: {},
    unresolvedRefs: [],
  };
}

/** Whether a value of type `type` is allowed by a type list (undefined: all; `number` admits `integer`). */
export function admits(types: JsonType[] | undefined, type: JsonType): boolean {
  return types === undefined || types.includes(type) || (type === 'integer' && types.includes('number'));
}

/** Whether a node may hold a value of this kind at all (numbers count integers). */
export function mayBe(node: SchemaNode, type: JsonType): boolean {
  if (node.types === undefined) return true;
  return type === 'number' ? node.types.includes('number') || node.types.includes('integer') : node.types.includes(type);
}

/** Resolves one level of a schema inside `document`. */
export function resolveNode(document: unknown, located: Located, chain: string[] = []): SchemaNode {
  const { schema, at } = located;
  if (schema === false) return { ...emptyNode(at), never: true };
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return emptyNode(at);
  const s = schema as Record<string, unknown>;

  let node = readKeywords(s, at);
  if (typeof s.$ref === 'string') {
    const ref = s.$ref;
    const target = chain.includes(ref) ? ANY : resolveLocalRef(document, ref);
    if (target === undefined) {
      node.unresolvedRefs.push(ref);
    } else {
      const refAt = ref === '#' || ref === '' ? '#' : ref;
      node = mergeNodes(node, resolveNode(document, { schema: target, at: refAt }, [...chain, ref]));
    }
  }
  if (Array.isArray(s.allOf)) {
    s.allOf.forEach((member, i) => {
      node = mergeNodes(node, resolveNode(document, { schema: member, at: childPointer(childPointer(at, 'allOf'), i) }, chain));
    });
  }
  return node;
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function readKeywords(s: Record<string, unknown>, at: string): SchemaNode {
  const node = emptyNode(at);
  const sub = (keyword: string, value: unknown, ...more: (string | number)[]): Located => ({
    schema: value,
    at: more.reduce<string>((p, t) => childPointer(p, t), childPointer(at, keyword)),
  });

  if (typeof s.type === 'string' || Array.isArray(s.type)) {
    const list = (Array.isArray(s.type) ? s.type : [s.type]).filter((t): t is JsonType => JSON_TYPES.includes(t as JsonType));
    node.types = [...new Set(list)];
    if (node.types.length === 0) node.never = true;
  }
  if ('const' in s) node.values = { keyword: 'const', list: [s.const] };
  else if (Array.isArray(s.enum)) node.values = { keyword: 'enum', list: [...s.enum] };
  if (node.values?.list.length === 0) node.never = true;

  // draft-04 wrote exclusiveMinimum: true next to minimum; draft-06+ writes the bound itself.
  const minimum = numberOr(s.minimum);
  const maximum = numberOr(s.maximum);
  if (minimum !== undefined) node.lower = { value: minimum, exclusive: s.exclusiveMinimum === true };
  if (maximum !== undefined) node.upper = { value: maximum, exclusive: s.exclusiveMaximum === true };
  const exclusiveMinimum = numberOr(s.exclusiveMinimum);
  const exclusiveMaximum = numberOr(s.exclusiveMaximum);
  if (exclusiveMinimum !== undefined) node.lower = stricterLower(node.lower, { value: exclusiveMinimum, exclusive: true });
  if (exclusiveMaximum !== undefined) node.upper = stricterUpper(node.upper, { value: exclusiveMaximum, exclusive: true });
  node.multipleOf = numberOr(s.multipleOf);

  node.minLength = numberOr(s.minLength);
  node.maxLength = numberOr(s.maxLength);
  if (typeof s.pattern === 'string') node.patterns = [s.pattern];
  if (typeof s.format === 'string') node.format = s.format;

  node.minItems = numberOr(s.minItems);
  node.maxItems = numberOr(s.maxItems);
  node.uniqueItems = s.uniqueItems === true;
  if (Array.isArray(s.items)) {
    // draft-07 tuple: items is the list of positions, additionalItems the rest.
    node.prefixItems = s.items.map((item, i) => sub('items', item, i));
    if ('additionalItems' in s) node.items = sub('additionalItems', s.additionalItems);
  } else {
    if (Array.isArray(s.prefixItems)) node.prefixItems = s.prefixItems.map((item, i) => sub('prefixItems', item, i));
    if ('items' in s) node.items = sub('items', s.items);
  }

  if (s.properties !== null && typeof s.properties === 'object') {
    for (const [name, value] of Object.entries(s.properties as Record<string, unknown>)) {
      node.properties.set(name, sub('properties', value, name));
    }
  }
  if (Array.isArray(s.required)) node.required = new Set(s.required.filter((r): r is string => typeof r === 'string'));
  if ('additionalProperties' in s && s.additionalProperties !== true) {
    node.additionalProperties = sub('additionalProperties', s.additionalProperties);
  }
  node.minProperties = numberOr(s.minProperties);
  node.maxProperties = numberOr(s.maxProperties);

  for (const keyword of ['anyOf', 'oneOf']) {
    const list = s[keyword];
    if (Array.isArray(list)) node.alternatives.push(list.map((alt, i) => sub(keyword, alt, i)));
  }

  for (const [keyword, value] of Object.entries(s)) {
    if (!HANDLED.has(keyword) && !ANNOTATIONS.has(keyword) && !keyword.startsWith('x-')) node.uncompared[keyword] = [value];
  }
  return node;
}

export function stricterLower(a: Bound | undefined, b: Bound | undefined): Bound | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.value !== b.value) return a.value > b.value ? a : b;
  return a.exclusive ? a : b;
}

export function stricterUpper(a: Bound | undefined, b: Bound | undefined): Bound | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.value !== b.value) return a.value < b.value ? a : b;
  return a.exclusive ? a : b;
}

const maxOf = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));
const minOf = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

// Synthesised `allOf` pairs are cached so the same pair is the same object every time: the
// comparison recognises recursion by object identity.
const conjunctions = new WeakMap<object, WeakMap<object, Located>>();

/** A subschema that must satisfy both `a` and `b`. */
function conjoin(a: Located | undefined, b: Located | undefined): Located | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.schema === true) return b;
  if (b.schema === true) return a;
  if (a.schema === false) return a;
  if (b.schema === false) return b;
  if (typeof a.schema !== 'object' || a.schema === null || typeof b.schema !== 'object' || b.schema === null) return a;
  let inner = conjunctions.get(a.schema);
  if (!inner) conjunctions.set(a.schema, (inner = new WeakMap()));
  let pair = inner.get(b.schema);
  if (!pair) inner.set(b.schema, (pair = { schema: { allOf: [a.schema, b.schema] }, at: a.at }));
  return pair;
}

/**
 * `allOf` as one node. Exact for types, enums, bounds, lengths, required and properties; two
 * approximations: `additionalProperties: false` in any conjunct closes the merged object (JSON Schema
 * would judge each conjunct against its own properties only), and two different `format`s keep the first.
 */
export function mergeNodes(a: SchemaNode, b: SchemaNode): SchemaNode {
  const merged = emptyNode(a.at);
  merged.never = a.never || b.never;

  if (a.types === undefined || b.types === undefined) merged.types = a.types ?? b.types;
  else {
    merged.types = [...new Set([...a.types.filter((t) => admits(b.types, t)), ...b.types.filter((t) => admits(a.types, t))])];
    if (merged.types.includes('integer') && merged.types.includes('number') && !(a.types.includes('number') && b.types.includes('number'))) {
      merged.types = merged.types.filter((t) => t !== 'number');
    }
    if (merged.types.length === 0) merged.never = true;
  }

  if (a.values && b.values) {
    const list = a.values.list.filter((v) => b.values!.list.some((w) => isDeepStrictEqual(v, w)));
    merged.values = { keyword: a.values.keyword === 'const' || b.values.keyword === 'const' ? 'const' : 'enum', list };
    if (list.length === 0) merged.never = true;
  } else merged.values = a.values ?? b.values;

  merged.lower = stricterLower(a.lower, b.lower);
  merged.upper = stricterUpper(a.upper, b.upper);
  if (a.multipleOf !== undefined && b.multipleOf !== undefined) {
    const [x, y] = [a.multipleOf, b.multipleOf];
    merged.multipleOf = Number.isInteger(x) && Number.isInteger(y) ? (x * y) / gcd(x, y) : Math.max(x, y);
  } else merged.multipleOf = a.multipleOf ?? b.multipleOf;

  merged.minLength = maxOf(a.minLength, b.minLength);
  merged.maxLength = minOf(a.maxLength, b.maxLength);
  merged.patterns = [...new Set([...a.patterns, ...b.patterns])];
  merged.format = a.format ?? b.format;

  merged.minItems = maxOf(a.minItems, b.minItems);
  merged.maxItems = minOf(a.maxItems, b.maxItems);
  merged.uniqueItems = a.uniqueItems || b.uniqueItems;
  const positions = Math.max(a.prefixItems.length, b.prefixItems.length);
  for (let i = 0; i < positions; i++) {
    merged.prefixItems.push(conjoin(a.prefixItems[i] ?? a.items, b.prefixItems[i] ?? b.items) ?? { schema: ANY, at: a.at });
  }
  merged.items = conjoin(a.items, b.items);

  for (const [name, loc] of a.properties) merged.properties.set(name, loc);
  for (const [name, loc] of b.properties) merged.properties.set(name, conjoin(merged.properties.get(name), loc)!);
  merged.required = new Set([...a.required, ...b.required]);
  merged.additionalProperties = conjoin(a.additionalProperties, b.additionalProperties);
  merged.minProperties = maxOf(a.minProperties, b.minProperties);
  merged.maxProperties = minOf(a.maxProperties, b.maxProperties);

  merged.alternatives = [...a.alternatives, ...b.alternatives];
  merged.uncompared = { ...a.uncompared };
  for (const [k, v] of Object.entries(b.uncompared)) merged.uncompared[k] = [...(merged.uncompared[k] ?? []), ...v];
  merged.unresolvedRefs = [...a.unresolvedRefs, ...b.unresolvedRefs];
  return merged;
}
