import type { SchemaViolation } from './compile-schema';

/** ephenv.json's default `endpoint.maxBatchSize`: the cap on arrays whose schema sets no `maxItems`. */
export const DEFAULT_MAX_ARRAY_ITEMS = 1000;

/** What the pre-check found: the document's size in nodes and the first array over its limit, if any. */
export interface ArrayLimitResult {
  nodes: number;
  violation?: SchemaViolation;
}

type Schema = Record<string, unknown>;

/**
 * A pre-check run before the validator: walks the parsed document once (no recursion, so depth
 * costs nothing extra) and refuses the first array longer than the `maxItems` its schema gives at
 * that place, or than `maxArrayItems` where the schema gives none (or where this walk does not
 * follow the schema: combinators, patternProperties). A length is read before any item is looked
 * at, so a 2-million-item array costs one comparison. The schema is followed through `properties`,
 * `additionalProperties`, `items`, `prefixItems` and local `$ref`s; nothing else is checked here.
 */
export function arrayLimitCheck(inputSchema: object, maxArrayItems: number): (document: unknown) => ArrayLimitResult {
  const root = inputSchema as Schema;
  const resolved = new Map<Schema, Schema | undefined>();

  /** The schema with its `$ref` chain followed (local pointers only; a cycle or a miss gives undefined). */
  function resolve(schema: unknown): Schema | undefined {
    if (!isObject(schema)) return undefined;
    if (resolved.has(schema)) return resolved.get(schema);
    let current: Schema | undefined = schema;
    const seen = new Set<Schema>();
    while (current && typeof current.$ref === 'string' && !seen.has(current)) {
      seen.add(current);
      current = pointer(root, current.$ref);
    }
    const result = current && seen.has(current) ? undefined : current;
    resolved.set(schema, result);
    return result;
  }

  return (document) => {
    // Containers still to visit, as parallel stacks (no object per node: a 100,000-item batch would
    // otherwise allocate 100,000 of them and the walk would cost more in garbage collection than in work).
    const values: unknown[] = [document];
    const schemas: (Schema | undefined)[] = [resolve(root)];
    const visits: number[] = [-1];
    const pendingKeys: (string | number)[] = [''];
    // Every container visited: its parent's visit and its key there, to name a refused array's path.
    const parents: number[] = [];
    const keys: (string | number)[] = [];
    let nodes = 0;
    while (values.length > 0) {
      const value = values.pop();
      const schema = schemas.pop();
      const visit = parents.length;
      parents.push(visits.pop() as number);
      keys.push(pendingKeys.pop() as string | number);
      nodes += 1;
      if (Array.isArray(value)) {
        const limit = typeof schema?.maxItems === 'number' ? schema.maxItems : maxArrayItems;
        if (value.length > limit) {
          const where = typeof schema?.maxItems === 'number' ? 'its schema allows' : 'the gateway allows in an array its schema does not bound';
          return { nodes, violation: { path: pathOf(parents, keys, visit), message: `has ${value.length} items, more than the ${limit} ${where}` } };
        }
        const tuple = Array.isArray(schema?.prefixItems) ? schema.prefixItems : Array.isArray(schema?.items) ? schema.items : undefined;
        const rest = tuple ? schema?.additionalItems ?? (Array.isArray(schema?.items) ? undefined : schema?.items) : schema?.items;
        for (let i = value.length - 1; i >= 0; i--) {
          const item: unknown = value[i];
          // Numbers, strings and the like hold no arrays: counted, never queued.
          if (item === null || typeof item !== 'object') nodes += 1;
          else queue(item, resolve(tuple && i < tuple.length ? tuple[i] : rest), visit, i);
        }
      } else if (value !== null && typeof value === 'object') {
        const properties = isObject(schema?.properties) ? schema.properties : undefined;
        for (const key in value) {
          const item: unknown = (value as Record<string, unknown>)[key];
          if (item === null || typeof item !== 'object') nodes += 1;
          else queue(item, resolve(properties && Object.hasOwn(properties, key) ? properties[key] : schema?.additionalProperties), visit, key);
        }
      }
    }
    return { nodes };

    function queue(value: unknown, schema: Schema | undefined, parent: number, key: string | number) {
      values.push(value);
      schemas.push(schema);
      visits.push(parent);
      pendingKeys.push(key);
    }
  };
}

function isObject(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A local JSON pointer (`#/definitions/x`, `#/$defs/x`) into the root schema; anything else is not followed. */
function pointer(root: Schema, ref: string): Schema | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let current: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(current) || !Object.hasOwn(current, part)) return undefined;
    current = current[part];
  }
  return isObject(current) ? current : undefined;
}

/** The JSON pointer of a visited container, built only when reporting it. */
function pathOf(parents: number[], keys: (string | number)[], visit: number): string {
  const parts: string[] = [];
  for (let v = visit; v > 0; v = parents[v]) parts.push(String(keys[v]).replace(/~/g, '~0').replace(/\//g, '~1'));
  return parts.length ? `/${parts.reverse().join('/')}` : '/';
}

/**
 * The most items or members any array or object of a valid request can hold: `maxArrayItems`, or
 * the largest `maxItems` or `maxProperties` anywhere in the schema, or the most `properties` one
 * object schema names. An array or object past it is refused before the body is even parsed.
 */
export function largestContainerLimit(inputSchema: object, maxArrayItems: number): number {
  let largest = maxArrayItems;
  const pending: unknown[] = [inputSchema];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') continue;
    if (!Array.isArray(node)) {
      const schema = node as Schema;
      for (const limit of [schema.maxItems, schema.maxProperties]) if (typeof limit === 'number') largest = Math.max(largest, limit);
      if (isObject(schema.properties)) largest = Math.max(largest, Object.keys(schema.properties).length);
    }
    pending.push(...Object.values(node));
  }
  return largest;
}
