import type { ValidateFunction } from 'ajv';
import { ANY, admits, mayBe, resolveNode, type JsonType, type Located } from '../compat/resolve-schema';
import { childPointer, showPointer } from './json-pointer';

export interface InvalidRequest {
  /** What is wrong with it, with the JSON pointer, e.g. `missing required /instances/0/petal_width`. */
  name: string;
  body: unknown;
}

type Path = (string | number)[];

const SAMPLES: [JsonType, unknown][] = [
  ['string', 'ephenv-wrong-type'],
  ['number', 12345.5],
  ['boolean', true],
  ['object', { ephenv: 'wrong-type' }],
  ['array', ['ephenv-wrong-type']],
  ['null', null],
];

const UNKNOWN_PROPERTY = 'ephenv_unknown_property';
/** Past this, a too-long string or array makes a request bigger than it is useful to send. */
const LARGEST = 10_000;

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

const REMOVE = Symbol('remove');

/** A copy of `document` with the value at `path` replaced (or removed when `value` is `REMOVE`). */
function mutate(document: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(document);
  if (path.length === 0) return value;
  let parent = copy as Record<string | number, unknown>;
  for (const token of path.slice(0, -1)) parent = parent[token] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === REMOVE) delete parent[last];
  else parent[last] = value;
  return copy;
}

const pointerOf = (path: Path) => path.reduce<string>((p, t) => childPointer(p, t), '');

/**
 * Requests the gateway must answer with 400, derived from a valid request by one mutation each:
 * a required property left out, a value of the wrong type, a number past its minimum/maximum, an
 * array past minItems/maxItems, a string past maxLength, a value outside an enum, an unknown
 * property where additionalProperties is false. Walks the request and the schema
 * together (following $ref and allOf; the first element of each array stands for the others;
 * anyOf/oneOf levels are not descended, as which alternative applies is ambiguous). Only mutations
 * the input schema itself rejects are returned, so a 200 to any of them is the gateway's fault.
 */
export function deriveInvalidRequests(schema: unknown, valid: unknown, validate: ValidateFunction, limit = 60): InvalidRequest[] {
  const candidates: InvalidRequest[] = [];
  const add = (name: string, path: Path, value: unknown) => candidates.push({ name, body: mutate(valid, path, value) });

  const walk = (located: Located, value: unknown, path: Path, depth: number): void => {
    if (depth > 32) return;
    const node = resolveNode(schema, located);
    if (node.never || node.alternatives.length > 0) return;
    const at = showPointer(pointerOf(path));

    if (node.types) {
      const wrong = SAMPLES.find(([t]) => !admits(node.types, t));
      if (wrong) add(`wrong type at ${at} (${wrong[0]} instead of ${node.types.join(' or ')})`, path, wrong[1]);
    }
    if (typeof value === 'number' && mayBe(node, 'number')) {
      if (node.upper) add(`${at} above ${node.upper.exclusive ? 'exclusiveMaximum' : 'maximum'} ${node.upper.value}`, path, node.upper.value + (node.upper.exclusive ? 0 : 1));
      if (node.lower) add(`${at} below ${node.lower.exclusive ? 'exclusiveMinimum' : 'minimum'} ${node.lower.value}`, path, node.lower.value - (node.lower.exclusive ? 0 : 1));
    }
    if (node.values && typeOf(value) === 'string') add(`${at} not one of ${JSON.stringify(node.values.list)}`, path, 'ephenv-not-an-allowed-value');
    if (typeof value === 'string' && node.maxLength !== undefined && node.maxLength < LARGEST) add(`${at} longer than maxLength ${node.maxLength}`, path, 'x'.repeat(node.maxLength + 1));
    if (Array.isArray(value) && value.length > 0) {
      if (node.minItems !== undefined && node.minItems > 0) add(`${at} with fewer than minItems ${node.minItems} elements`, path, value.slice(0, node.minItems - 1));
      if (node.maxItems !== undefined && node.maxItems < LARGEST) add(`${at} with more than maxItems ${node.maxItems} elements`, path, Array.from({ length: node.maxItems + 1 }, (_, i) => value[i % value.length]));
    }

    if (Array.isArray(value) && value.length > 0) {
      walk(node.prefixItems[0] ?? node.items ?? { schema: ANY, at: located.at }, value[0], [...path, 0], depth + 1);
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const object = value as Record<string, unknown>;
      for (const name of node.required) {
        if (name in object) add(`missing required ${showPointer(pointerOf([...path, name]))}`, [...path, name], REMOVE);
      }
      if (node.additionalProperties?.schema === false && !(UNKNOWN_PROPERTY in object)) {
        add(`unknown property ${showPointer(pointerOf([...path, UNKNOWN_PROPERTY]))} (additionalProperties is false)`, [...path, UNKNOWN_PROPERTY], 1);
      }
      for (const [name, propValue] of Object.entries(object)) {
        const prop = node.properties.get(name) ?? node.additionalProperties;
        if (prop) walk(prop, propValue, [...path, name], depth + 1);
      }
    }
  };
  walk({ schema, at: '#' }, valid, [], 0);

  const seen = new Set<string>();
  return candidates.filter((c) => {
    if (seen.has(c.name) || validate(c.body)) return false;
    seen.add(c.name);
    return true;
  }).slice(0, limit);
}
