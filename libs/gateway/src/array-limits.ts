import type { SchemaViolation } from './compile-schema';

/** ephenv.json's default `endpoint.maxBatchSize`: the cap on arrays whose schema sets no `maxItems`. */
export const DEFAULT_MAX_ARRAY_ITEMS = 1000;

/** What the pre-check found: the document's size in nodes and the first array over its limit, if any. */
export interface ArrayLimitResult {
  nodes: number;
  violation?: SchemaViolation;
}

type Schema = Record<string, unknown>;

interface Pending {
  value: unknown;
  schema: Schema | undefined;
  parent: Pending | undefined;
  key: string;
}

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
    const stack: Pending[] = [{ value: document, schema: resolve(root), parent: undefined, key: '' }];
    let nodes = 0;
    while (stack.length > 0) {
      const node = stack.pop() as Pending;
      nodes += 1;
      const { value, schema } = node;
      if (Array.isArray(value)) {
        const limit = typeof schema?.maxItems === 'number' ? schema.maxItems : maxArrayItems;
        if (value.length > limit) {
          const where = typeof schema?.maxItems === 'number' ? 'its schema allows' : 'the gateway allows in an array its schema does not bound';
          return { nodes, violation: { path: pathOf(node), message: `has ${value.length} items, more than the ${limit} ${where}` } };
        }
        const tuple = Array.isArray(schema?.prefixItems) ? schema.prefixItems : Array.isArray(schema?.items) ? schema.items : undefined;
        const rest = tuple ? schema?.additionalItems ?? (Array.isArray(schema?.items) ? undefined : schema?.items) : schema?.items;
        for (let i = value.length - 1; i >= 0; i--) {
          stack.push({ value: value[i], schema: resolve(tuple && i < tuple.length ? tuple[i] : rest), parent: node, key: String(i) });
        }
      } else if (value !== null && typeof value === 'object') {
        const properties = isObject(schema?.properties) ? schema.properties : undefined;
        for (const key of Object.keys(value)) {
          const sub = properties && Object.hasOwn(properties, key) ? properties[key] : schema?.additionalProperties;
          stack.push({ value: (value as Record<string, unknown>)[key], schema: resolve(sub), parent: node, key });
        }
      }
    }
    return { nodes };
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

/** The JSON pointer of a node, built only when reporting it (building every node's path would cost depth × nodes). */
function pathOf(node: Pending): string {
  const parts: string[] = [];
  for (let n: Pending | undefined = node; n?.parent; n = n.parent) parts.push(n.key.replace(/~/g, '~0').replace(/\//g, '~1'));
  return parts.length ? `/${parts.reverse().join('/')}` : '/';
}

/**
 * The most items any array of a valid request can hold: `maxArrayItems` or the largest `maxItems`
 * anywhere in the schema. An array past it is refused before the body is even parsed.
 */
export function largestArrayLimit(inputSchema: object, maxArrayItems: number): number {
  let largest = maxArrayItems;
  const pending: unknown[] = [inputSchema];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') continue;
    if (!Array.isArray(node) && typeof (node as Schema).maxItems === 'number') largest = Math.max(largest, (node as Schema).maxItems as number);
    pending.push(...Object.values(node));
  }
  return largest;
}
