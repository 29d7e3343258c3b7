import { isDeepStrictEqual } from 'node:util';
import type { CompatFinding, Direction, Severity } from '../types';
import { childPointer } from '../lib/json-pointer';
import { ANY, admits, mayBe, mergeNodes, resolveNode, stricterLower, stricterUpper, type Bound, type JsonType, type Located, type SchemaNode } from './resolve-schema';

/**
 * Compares the base ref's schema with the PR's, from the side of a client:
 * - input (clients send): whatever the old schema accepted and the new one rejects is breaking;
 *   whatever the new one accepts on top is info.
 * - output (clients read): whatever the new schema lets the model answer that the old one did not
 *   is breaking (new enum values: warning); whatever it no longer answers is info.
 * Rule ids follow oasdiff's vocabulary (`request-property-max-decreased`, `response-property-became-optional`, ...).
 */
export function diffSchemas(oldSchema: unknown, newSchema: unknown, direction: Direction): CompatFinding[] {
  const ctx: Context = { oldDoc: oldSchema, newDoc: newSchema, direction, findings: [], active: new Set(), depth: 0 };
  compare(ctx, { schema: oldSchema, at: '#' }, { schema: newSchema, at: '#' }, '');
  // anyOf branches share their parent's keywords, so the same finding can come up more than once.
  const unique = new Map<string, CompatFinding>();
  for (const f of ctx.findings) unique.set(JSON.stringify([f.rule, f.pointer, f.schemaPointer, f.old, f.new, f.severity]), f);
  return [...unique.values()];
}

interface Context {
  oldDoc: unknown;
  newDoc: unknown;
  direction: Direction;
  findings: CompatFinding[];
  /** Pairs of subschemas being compared further up: a schema that recurses stops here. */
  active: Set<string>;
  depth: number;
}

/** Deeper than any real request or answer; a guard against pathological schemas, not a limit users meet. */
const MAX_DEPTH = 64;

/** The two ways a constraint can move; input and output judge them in opposite ways. */
type Move = 'narrowed' | 'widened' | 'changed';

interface Change {
  pointer: string;
  schemaPointer: string;
  /** Suffix after `request-property-` / `response-property-` (or `-body-` at the document root). */
  rule: string;
  old?: string;
  new?: string;
  /** Why it hurts clients: input when narrowed, output when widened, both when changed. */
  breaks: string;
  /** Why it does not (the reason of an info finding). */
  harmless: string;
  /** Output severity when widened, where a client can usually cope (e.g. a new enum value). */
  widenedOutput?: Severity;
}

function severityOf(direction: Direction, move: Move, widenedOutput: Severity = 'breaking'): Severity {
  if (move === 'changed') return 'breaking';
  if (direction === 'input') return move === 'narrowed' ? 'breaking' : 'info';
  return move === 'widened' ? widenedOutput : 'info';
}

function ruleId(direction: Direction, pointer: string, suffix: string): string {
  return `${direction === 'input' ? 'request' : 'response'}-${pointer === '' ? 'body' : 'property'}-${suffix}`;
}

function report(ctx: Context, move: Move, c: Change): void {
  const severity = severityOf(ctx.direction, move, c.widenedOutput);
  push(ctx, {
    severity,
    direction: ctx.direction,
    pointer: c.pointer,
    schemaPointer: c.schemaPointer,
    rule: ruleId(ctx.direction, c.pointer, c.rule),
    ...(c.old !== undefined && { old: c.old }),
    ...(c.new !== undefined && { new: c.new }),
    reason: severity === 'info' ? c.harmless : c.breaks,
  });
}

function push(ctx: Context, finding: CompatFinding): void {
  ctx.findings.push(finding);
}

const ids = new WeakMap<object, number>();
let nextId = 0;
function identity(schema: unknown): string {
  if (schema === null || typeof schema !== 'object') return JSON.stringify(schema) ?? 'undefined';
  if (!ids.has(schema)) ids.set(schema, ++nextId);
  return `#${ids.get(schema)}`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

const ALL_TYPES = 'any type';
const showTypes = (types?: JsonType[]) => (types === undefined ? ALL_TYPES : `type: ${types.length === 1 ? types[0] : show(types)}`);

function compare(ctx: Context, oldLoc: Located, newLoc: Located, pointer: string): void {
  const key = `${identity(oldLoc.schema)}|${identity(newLoc.schema)}`;
  if (ctx.active.has(key) || ctx.depth >= MAX_DEPTH) return;
  ctx.active.add(key);
  ctx.depth++;
  try {
    compareNodes(ctx, resolveNode(ctx.oldDoc, oldLoc), resolveNode(ctx.newDoc, newLoc), pointer);
  } finally {
    ctx.depth--;
    ctx.active.delete(key);
  }
}

function compareNodes(ctx: Context, o: SchemaNode, n: SchemaNode, pointer: string): void {
  const at = n.at;
  const unresolved = [...new Set([...o.unresolvedRefs, ...n.unresolvedRefs])];
  if (unresolved.length > 0) {
    // What such a reference requires is unknown, so nothing at this level can be judged.
    push(ctx, {
      severity: 'warning', direction: ctx.direction, pointer, schemaPointer: at, rule: 'unresolved-ref',
      ...(o.unresolvedRefs.length > 0 && { old: `$ref: ${o.unresolvedRefs.join(', ')}` }),
      ...(n.unresolvedRefs.length > 0 && { new: `$ref: ${n.unresolvedRefs.join(', ')}` }),
      reason: `ephenv follows local references only (#/definitions/..., #/$defs/...); ${unresolved.join(', ')} was not compared: review it by hand or inline it`,
    });
    return;
  }

  if (o.never || n.never) {
    if (o.never !== n.never) {
      report(ctx, n.never ? 'narrowed' : 'widened', {
        pointer, schemaPointer: at, rule: n.never ? 'disallowed' : 'allowed',
        old: o.never ? 'no value allowed' : 'allowed', new: n.never ? 'no value allowed' : 'allowed',
        breaks: n.never
          ? 'no value is accepted here any more: every request that sets it is rejected with 400'
          : 'the model may now answer a value here, where clients never received one',
        harmless: n.never ? 'the model no longer answers anything here' : 'a value is now accepted here',
      });
    }
    return;
  }

  if (o.alternatives.length > 0 || n.alternatives.length > 0) {
    ctx.depth++;
    try {
      if (ctx.depth < MAX_DEPTH) compareAlternatives(ctx, o, n, pointer);
    } finally {
      ctx.depth--;
    }
    return;
  }
  if (!compareTypes(ctx, o, n, pointer, at)) return;
  const exactValues = compareValues(ctx, o, n, pointer, at);
  if (!exactValues) {
    if (mayBe(o, 'number') && mayBe(n, 'number')) compareNumbers(ctx, o, n, pointer, at);
    if (mayBe(o, 'string') && mayBe(n, 'string')) compareStrings(ctx, o, n, pointer, at);
  }
  if (mayBe(o, 'array') && mayBe(n, 'array')) compareArrays(ctx, o, n, pointer, at);
  if (mayBe(o, 'object') && mayBe(n, 'object')) compareObjects(ctx, o, n, pointer, at);
  compareUncompared(ctx, o, n, pointer, at);
}

/** false when the types no longer overlap: nothing deeper is comparable then. */
function compareTypes(ctx: Context, o: SchemaNode, n: SchemaNode, pointer: string, at: string): boolean {
  const everything: JsonType[] = ['null', 'boolean', 'object', 'array', 'number', 'string'];
  const lost = (o.types ?? everything).filter((t) => !admits(n.types, t));
  const gained = (n.types ?? everything).filter((t) => !admits(o.types, t));
  const base = { pointer, schemaPointer: at, old: showTypes(o.types), new: showTypes(n.types) };
  if (lost.length > 0 && gained.length > 0) {
    report(ctx, 'changed', {
      ...base, rule: 'type-changed',
      breaks: ctx.direction === 'input'
        ? `requests sending ${lost.join(' or ')} here are now rejected with 400`
        : `clients reading ${o.types?.join(' or ') ?? 'the old type'} here may now get ${gained.join(' or ')}`,
      harmless: '',
    });
  } else if (lost.length > 0) {
    const onlyNull = lost.length === 1 && lost[0] === 'null';
    report(ctx, 'narrowed', {
      ...base, rule: onlyNull ? 'became-not-nullable' : ctx.direction === 'input' ? 'type-changed' : 'type-specialized',
      breaks: `requests sending ${lost.join(' or ')} here are now rejected with 400`,
      harmless: `the model no longer answers ${lost.join(' or ')} here; clients already handle the rest`,
    });
  } else if (gained.length > 0) {
    const onlyNull = gained.length === 1 && gained[0] === 'null';
    report(ctx, 'widened', {
      ...base, rule: onlyNull ? 'became-nullable' : ctx.direction === 'input' ? 'type-generalized' : 'type-changed',
      breaks: `clients may now read ${gained.join(' or ')} here, which they were never sent before`,
      harmless: `${gained.join(' or ')} is now accepted here as well; existing requests still pass`,
    });
  }
  const overlap = (o.types ?? everything).some((t) => admits(n.types, t)) || (n.types ?? everything).some((t) => admits(o.types, t));
  return overlap;
}

function showValues(node: SchemaNode): string | undefined {
  if (!node.values) return undefined;
  return node.values.keyword === 'const' ? `const: ${show(node.values.list[0])}` : `enum: ${show(node.values.list)}`;
}

/** true when both sides list their values: the lists then say everything about scalars. */
function compareValues(ctx: Context, o: SchemaNode, n: SchemaNode, pointer: string, at: string): boolean {
  const base = { pointer, schemaPointer: at, old: showValues(o), new: showValues(n) };
  if (!o.values && !n.values) return false;
  if (!o.values && n.values) {
    report(ctx, 'narrowed', {
      ...base, rule: `${n.values.keyword}-set`,
      breaks: `only ${show(n.values.list)} is accepted now: requests sending any other value get 400`,
      harmless: `the model now answers only ${show(n.values.list)} here`,
    });
    return false;
  }
  if (o.values && !n.values) {
    report(ctx, 'widened', {
      ...base, rule: `${o.values.keyword}-unset`, widenedOutput: 'warning',
      breaks: `clients may now read values other than ${show(o.values.list)} here; code that switches on them needs a default branch`,
      harmless: `values other than ${show(o.values.list)} are accepted now; existing requests still pass`,
    });
    return false;
  }
  const before = o.values!;
  const after = n.values!;
  const removed = before.list.filter((v) => !after.list.some((w) => isDeepStrictEqual(v, w)));
  const added = after.list.filter((v) => !before.list.some((w) => isDeepStrictEqual(v, w)));
  if (before.keyword === 'const' && after.keyword === 'const' && removed.length > 0) {
    report(ctx, 'changed', {
      ...base, rule: 'const-changed',
      breaks: ctx.direction === 'input'
        ? `requests sending ${show(before.list[0])} are now rejected with 400`
        : `clients expecting ${show(before.list[0])} now read ${show(after.list[0])}`,
      harmless: '',
    });
    return true;
  }
  if (removed.length > 0) {
    report(ctx, 'narrowed', {
      ...base, rule: 'enum-value-removed',
      breaks: `requests sending ${removed.map((v) => show(v)).join(', ')} are now rejected with 400`,
      harmless: `the model no longer answers ${removed.map((v) => show(v)).join(', ')}`,
    });
  }
  if (added.length > 0) {
    report(ctx, 'widened', {
      ...base, rule: 'enum-value-added', widenedOutput: 'warning',
      breaks: `clients may now read ${added.map((v) => show(v)).join(', ')}, a value they have never seen; code that switches on it needs a default branch`,
      harmless: `${added.map((v) => show(v)).join(', ')} is accepted now as well; existing requests still pass`,
    });
  }
  return true;
}

const showLower = (b?: Bound) => (b === undefined ? undefined : `${b.exclusive ? 'exclusiveMinimum' : 'minimum'}: ${b.value}`);
const showUpper = (b?: Bound) => (b === undefined ? undefined : `${b.exclusive ? 'exclusiveMaximum' : 'maximum'}: ${b.value}`);
const sameBound = (a?: Bound, b?: Bound) => a?.value === b?.value && a?.exclusive === b?.exclusive;

function compareNumbers(ctx: Context, o: SchemaNode, n: SchemaNode, pointer: string, at: string): void {
  if (!sameBound(o.lower, n.lower)) {
    const narrowed = stricterLower(o.lower, n.lower) === n.lower;
    report(ctx, narrowed ? 'narrowed' : 'widened', {
      pointer, schemaPointer: at, old: showLower(o.lower), new: showLower(n.lower),
      rule: narrowed ? (o.lower ? 'min-increased' : 'min-set') : n.lower ? 'min-decreased' : 'min-unset',
      breaks: narrowed
        ? `requests with a value ${o.lower ? `from ${o.lower.value} ` : ''}below ${n.lower!.value}${n.lower!.exclusive ? ' or equal to it' : ''} are now rejected with 400`
        : `the model may now answer values below ${o.lower!.value}, which clients never received`,
      harmless: narrowed ? 'the model now answers a narrower range' : 'smaller values are accepted now; existing requests still pass',
    });
  }
  if (!sameBound(o.upper, n.upper)) {
    const narrowed = stricterUpper(o.upper, n.upper) === n.upper;
    report(ctx, narrowed ? 'narrowed' : 'widened', {
      pointer, schemaPointer: at, old: showUpper(o.upper), new: showUpper(n.upper),
      rule: narrowed ? (o.upper ? 'max-decreased' : 'max-set') : n.upper ? 'max-increased' : 'max-unset',
      breaks: narrowed
        ? `requests with a value above ${n.upper!.value}${n.upper!.exclusive ? ' or equal to it' : ''}${o.upper ? ` (up to ${o.upper.value} was accepted)` : ''} are now rejected with 400`
        : `the model may now answer values above ${o.upper!.value}, which clients never received`,
      harmless: narrowed ? 'the model now answers a narrower range' : 'larger values are accepted now; existing requests still pass',
    });
  }
  if (o.multipleOf !== n.multipleOf) {
    // Every multiple of `a` is a multiple of `b` when a / b is a whole number.
    const divides = (a?: number, b?: number) => b === undefined || (a !== undefined && Number.isInteger(a / b));
    const narrowed = !divides(o.multipleOf, n.multipleOf);
    const widened = !divides(n.multipleOf, o.multipleOf);
    report(ctx, narrowed && widened ? 'changed' : narrowed ? 'narrowed' : 'widened', {
      pointer, schemaPointer: at, rule: 'multiple-of-changed',
      old: o.multipleOf === undefined ? undefined : `multipleOf: ${o.multipleOf}`,
      new: n.multipleOf === undefined ? undefined : `multipleOf: ${n.multipleOf}`,
      breaks: ctx.direction === 'input'
        ? `requests with values that are not multiples of ${n.multipleOf} are now rejected with 400`
        : `the model may now answer values that are not multiples of ${o.multipleOf}`,
      harmless: 'values stay within what was allowed before',
    });
  }
}

interface CountRule {
  /** e.g. `length`, `items`, `properties`. */
  noun: string;
  minKeyword: string;
  maxKeyword: string;
  what: string;
}

function compareCounts(ctx: Context, rule: CountRule, o: [number?, number?], n: [number?, number?], pointer: string, at: string): void {
  const [oMin, oMax] = o;
  const [nMin, nMax] = n;
  if (oMin !== nMin) {
    const narrowed = nMin !== undefined && (oMin === undefined || nMin > oMin);
    report(ctx, narrowed ? 'narrowed' : 'widened', {
      pointer, schemaPointer: at,
      old: oMin === undefined ? undefined : `${rule.minKeyword}: ${oMin}`, new: nMin === undefined ? undefined : `${rule.minKeyword}: ${nMin}`,
      rule: `min-${rule.noun}-${narrowed ? (oMin === undefined ? 'set' : 'increased') : nMin === undefined ? 'unset' : 'decreased'}`,
      breaks: narrowed
        ? `requests with fewer than ${nMin} ${rule.what} are now rejected with 400`
        : `the model may now answer fewer than ${oMin} ${rule.what}; clients may count on at least ${oMin}`,
      harmless: narrowed ? `the model now answers at least ${nMin} ${rule.what}` : `fewer ${rule.what} are accepted now; existing requests still pass`,
    });
  }
  if (oMax !== nMax) {
    const narrowed = nMax !== undefined && (oMax === undefined || nMax < oMax);
    report(ctx, narrowed ? 'narrowed' : 'widened', {
      pointer, schemaPointer: at,
      old: oMax === undefined ? undefined : `${rule.maxKeyword}: ${oMax}`, new: nMax === undefined ? undefined : `${rule.maxKeyword}: ${nMax}`,
      rule: `max-${rule.noun}-${narrowed ? (oMax === undefined ? 'set' : 'decreased') : nMax === undefined ? 'unset' : 'increased'}`,
      breaks: narrowed
        ? `requests with more than ${nMax} ${rule.what}${oMax === undefined ? '' : ` (up to ${oMax} was accepted)`} are now rejected with 400`
        : `the model may now answer more than ${oMax} ${rule.what}; clients may size buffers or layouts on ${oMax}`,
      harmless: narrowed ? `the model now answers at most ${nMax} ${rule.what}` : `more ${rule.what} are accepted now; existing requests still pass`,
    });
  }
}

function compareStrings(ctx: Context, o: SchemaNode, n: SchemaNode, pointer: string, at: string): void {
  compareCounts(ctx, { noun: 'length', minKeyword: 'minLength', maxKeyword: 'maxLength', what: 'characters' }, [o.minLength, o.maxLength], [n.minLength, n.maxLength], pointer, at);

  const added = n.patterns.filter((p) => !o.patterns.includes(p));
  const removed = o.patterns.filter((p) => !n.patterns.includes(p));
  const showPatterns = (list: string[]) => (list.length === 0 ? undefined : `pattern: ${list.map((p) => show(p)).join(' and ')}`);
  if (added.length > 0 || removed.length > 0) {
    const move: Move = added.length > 0 && removed.length > 0 ? 'changed' : added.length > 0 ? 'narrowed' : 'widened';
    report(ctx, move, {
      pointer, schemaPointer: at, old: showPatterns(o.patterns), new: showPatterns(n.patterns),
      rule: move === 'changed' ? 'pattern-changed' : added.length > 0 ? 'pattern-added' : 'pattern-removed',
      breaks: ctx.direction === 'input'
        ? `requests with strings that do not match ${added.map((p) => show(p)).join(' and ')} are now rejected with 400`
        : `the model may now answer strings that do not match ${removed.map((p) => show(p)).join(' and ')}, which clients may parse by it`,
      harmless: ctx.direction === 'input' ? 'strings are checked less strictly now; existing requests still pass' : 'answers now follow a stricter pattern',
    });
  }

  if (o.format !== n.format) {
    const move: Move = o.format && n.format ? 'changed' : n.format ? 'narrowed' : 'widened';
    report(ctx, move, {
      pointer, schemaPointer: at,
      old: o.format === undefined ? undefined : `format: ${o.format}`, new: n.format === undefined ? undefined : `format: ${n.format}`,
      rule: move === 'changed' ? 'format-changed' : n.format ? 'format-added' : 'format-removed',
      breaks: ctx.direction === 'input'
        ? `requests with strings that are not a valid ${n.format} are now rejected with 400`
        : `the model may now answer strings that are not a valid ${o.format}, which clients may parse as such`,
      harmless: ctx.direction === 'input' ? 'the format is no longer enforced; existing requests still pass' : `answers are now always a valid ${n.format}`,
    });
  }
}

const anyAt = (at: string): Located => ({ schema: ANY, at });

function compareArrays(ctx: Context, o: SchemaNode, n: SchemaNode, pointer: string, at: string): void {
  compareCounts(ctx, { noun: 'items', minKeyword: 'minItems', maxKeyword: 'maxItems', what: 'elements' }, [o.minItems, o.maxItems], [n.minItems, n.maxItems], pointer, at);
  if (o.uniqueItems !== n.uniqueItems) {
    report(ctx, n.uniqueItems ? 'narrowed' : 'widened', {
      pointer, schemaPointer: at, rule: n.uniqueItems ? 'unique-items-set' : 'unique-items-unset',
      old: `uniqueItems: ${o.uniqueItems}`, new: `uniqueItems: ${n.uniqueItems}`,
      breaks: n.uniqueItems ? 'requests with repeated elements are now rejected with 400' : 'the model may now answer repeated elements',
      harmless: n.uniqueItems ? 'the model now answers distinct elements only' : 'repeated elements are accepted now',
    });
  }
  const positions = Math.max(o.prefixItems.length, n.prefixItems.length);
  for (let i = 0; i < positions; i++) {
    compare(ctx, o.prefixItems[i] ?? o.items ?? anyAt(o.at), n.prefixItems[i] ?? n.items ?? anyAt(n.at), childPointer(pointer, i));
  }
  if (o.items || n.items) compare(ctx, o.items ?? anyAt(o.at), n.items ?? anyAt(n.at), childPointer(pointer, '*'));
}

function compareObjects(ctx: Context, o: SchemaNode, n: SchemaNode, pointer: string, at: string): void {
  const input = ctx.direction === 'input';
  const names = [...new Set([...o.properties.keys(), ...n.properties.keys(), ...o.required, ...n.required])];

  for (const name of names) {
    const path = childPointer(pointer, name);
    const wasRequired = o.required.has(name);
    const isRequired = n.required.has(name);
    const oldProp = o.properties.get(name);
    const newProp = n.properties.get(name);
    const schemaPointer = newProp?.at ?? oldProp?.at ?? childPointer(n.at, 'required');

    if (oldProp && !newProp) {
      compareRemovedProperty(ctx, n, name, path, oldProp, wasRequired);
      continue;
    }
    if (!oldProp && newProp && !wasRequired) {
      push(ctx, {
        severity: input && isRequired ? 'breaking' : 'info', direction: ctx.direction, pointer: path, schemaPointer,
        rule: input ? (isRequired ? 'new-required-request-property' : 'new-optional-request-property') : isRequired ? 'response-required-property-added' : 'response-optional-property-added',
        new: isRequired ? 'required' : 'optional',
        reason: input
          ? isRequired
            ? `"${name}" is a new required property: every request that does not send it is rejected with 400`
            : `"${name}" is a new optional property; existing requests still pass`
          : `the model answers "${name}" as well; clients ignore what they do not read`,
      });
      if (o.additionalProperties && o.additionalProperties.schema !== false) compare(ctx, o.additionalProperties, newProp, path);
      continue;
    }
    if (wasRequired !== isRequired) {
      push(ctx, {
        severity: input === isRequired ? 'breaking' : 'info', direction: ctx.direction, pointer: path, schemaPointer,
        rule: wasRequired || oldProp ? `${input ? 'request' : 'response'}-property-became-${isRequired ? 'required' : 'optional'}` : input ? 'new-required-request-property' : 'response-required-property-added',
        old: wasRequired ? 'required' : 'optional', new: isRequired ? 'required' : 'optional',
        reason: input
          ? isRequired
            ? `"${name}" is now required: requests that leave it out are rejected with 400`
            : `"${name}" may now be left out; existing requests still pass`
          : isRequired
            ? `the model now always answers "${name}"`
            : `the model may now leave "${name}" out; clients that read it get undefined`,
      });
    }
    if (oldProp || newProp) compare(ctx, oldProp ?? o.additionalProperties ?? anyAt(o.at), newProp ?? n.additionalProperties ?? anyAt(n.at), path);
  }

  const oAp = o.additionalProperties;
  const nAp = n.additionalProperties;
  const oClosed = oAp?.schema === false;
  const nClosed = nAp?.schema === false;
  if (oClosed !== nClosed) {
    report(ctx, nClosed ? 'narrowed' : 'widened', {
      pointer, schemaPointer: nAp?.at ?? childPointer(at, 'additionalProperties'),
      rule: nClosed ? 'additional-properties-restricted' : 'additional-properties-allowed',
      old: `additionalProperties: ${oClosed ? 'false' : oAp ? 'schema' : 'true'}`,
      new: `additionalProperties: ${nClosed ? 'false' : nAp ? 'schema' : 'true'}`,
      // Extra properties in an answer are fine for clients, which ignore what they do not read.
      widenedOutput: 'info',
      breaks: 'requests with properties the schema does not list are now rejected with 400',
      harmless: nClosed ? 'the model answers only the listed properties now' : 'properties the schema does not list are accepted now',
    });
  } else if (!oClosed && (oAp || nAp)) {
    compare(ctx, oAp ?? anyAt(o.at), nAp ?? anyAt(n.at), childPointer(pointer, '*'));
  }
  compareCounts(ctx, { noun: 'properties', minKeyword: 'minProperties', maxKeyword: 'maxProperties', what: 'properties' }, [o.minProperties, o.maxProperties], [n.minProperties, n.maxProperties], pointer, at);
}

function compareRemovedProperty(ctx: Context, n: SchemaNode, name: string, path: string, oldProp: Located, wasRequired: boolean): void {
  const old = wasRequired ? 'required' : 'optional';
  if (ctx.direction === 'output') {
    push(ctx, {
      severity: wasRequired ? 'breaking' : 'warning', direction: 'output', pointer: path, schemaPointer: oldProp.at,
      rule: wasRequired ? 'response-required-property-removed' : 'response-optional-property-removed', old,
      reason: wasRequired
        ? `clients read "${name}" from every answer; it is gone from the schema, so they may get undefined`
        : `clients that read "${name}" when present will no longer find it`,
    });
    return;
  }
  const closed = n.additionalProperties?.schema === false;
  push(ctx, {
    severity: closed ? 'breaking' : 'warning', direction: 'input', pointer: path, schemaPointer: oldProp.at, rule: 'request-property-removed', old,
    reason: closed
      ? `"${name}" is no longer a property and additionalProperties is false: requests that still send it are rejected with 400`
      : `"${name}" is no longer described: requests that send it still pass, but the model probably ignores it now, silently`,
  });
  // An open object still checks the value against its additionalProperties schema.
  if (!closed && n.additionalProperties) compare(ctx, oldProp, n.additionalProperties, path);
}

/** The alternatives a node stands for: one per anyOf/oneOf member (with the rest of the node) and per listed type. */
function branches(document: unknown, node: SchemaNode): SchemaNode[] {
  if (node.alternatives.length > 0) {
    const [group, ...rest] = node.alternatives;
    const base: SchemaNode = { ...node, alternatives: rest };
    const all = group.map((alt) => ({ ...mergeNodes(base, resolveNode(document, alt)), at: alt.at }));
    const possible = all.filter((b) => !b.never);
    return possible.length > 0 ? possible : all;
  }
  if (node.types && node.types.length > 1) return node.types.map((t) => ({ ...node, types: [t] }));
  return [node];
}

/**
 * anyOf/oneOf: every alternative on one side is matched with the alternative on the other side it
 * differs from least (fewest breaking findings, then warnings), and that pair's findings are
 * reported. Input: each old alternative must still be accepted by some new one. Output: each new
 * alternative must be something clients already handle. A node with several types counts as one
 * alternative per type, so `type: [string, number]` and `anyOf: [{string}, {number}]` are equal.
 * Limit: oneOf's "exactly one" is judged as anyOf's "at least one".
 */
function compareAlternatives(ctx: Context, o: SchemaNode, n: SchemaNode, pointer: string): void {
  const olds = branches(ctx.oldDoc, o);
  const news = branches(ctx.newDoc, n);
  if (olds.length === 1 && news.length === 1) {
    compareNodes(ctx, olds[0], news[0], pointer);
    return;
  }
  const input = ctx.direction === 'input';
  // Input: walk what clients may send (old); output: what clients may get (new).
  const [from, to] = input ? [olds, news] : [news, olds];
  const used = new Set<number>();
  for (const alt of from) {
    let best: { index: number; findings: CompatFinding[] } | undefined;
    to.forEach((candidate, index) => {
      const trial: Context = { ...ctx, findings: [], active: new Set(ctx.active) };
      if (input) compareNodes(trial, alt, candidate, pointer);
      else compareNodes(trial, candidate, alt, pointer);
      if (!best || rank(trial.findings, pointer) < rank(best.findings, pointer)) best = { index, findings: trial.findings };
    });
    used.add(best!.index);
    ctx.findings.push(...best!.findings);
  }
  to.forEach((alt, index) => {
    if (used.has(index)) return;
    push(ctx, {
      severity: 'info', direction: ctx.direction, pointer, schemaPointer: alt.at,
      rule: ruleId(ctx.direction, pointer, input ? 'any-of-added' : 'any-of-removed'),
      ...(input ? { new: showTypes(alt.types) } : { old: showTypes(alt.types) }),
      reason: input ? 'a new alternative is accepted; existing requests still pass' : 'the model no longer answers this alternative',
    });
  });
}

/** Orders candidate matches: same type first, then fewest breaking findings, fewest warnings, fewest findings. */
function rank(findings: CompatFinding[], pointer: string): number {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const otherType = findings.some((f) => f.pointer === pointer && f.rule.endsWith('-type-changed'));
  return (otherType ? 1e9 : 0) + count('breaking') * 1e6 + count('warning') * 1e3 + findings.length;
}

function compareUncompared(ctx: Context, o: SchemaNode, n: SchemaNode, pointer: string, at: string): void {
  const keywords = [...new Set([...Object.keys(o.uncompared), ...Object.keys(n.uncompared)])];
  for (const keyword of keywords) {
    if (isDeepStrictEqual(o.uncompared[keyword], n.uncompared[keyword])) continue;
    push(ctx, {
      severity: 'warning', direction: ctx.direction, pointer, schemaPointer: at, rule: 'keyword-not-compared',
      ...(o.uncompared[keyword] && { old: `${keyword}: ${show(o.uncompared[keyword].length === 1 ? o.uncompared[keyword][0] : o.uncompared[keyword])}` }),
      ...(n.uncompared[keyword] && { new: `${keyword}: ${show(n.uncompared[keyword].length === 1 ? n.uncompared[keyword][0] : n.uncompared[keyword])}` }),
      reason: `"${keyword}" changed and ephenv does not judge that keyword: check by hand whether existing clients are affected`,
    });
  }
}
