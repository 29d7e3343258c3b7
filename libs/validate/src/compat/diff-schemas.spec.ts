import { describe, expect, it } from 'vitest';
import { diffSchemas } from './diff-schemas';

const rules = (findings: { rule: string; severity: string; pointer: string }[]) => findings.map((f) => `${f.severity} ${f.rule} ${f.pointer}`);

describe('diffSchemas', () => {
  it('judges the same change in opposite ways for inputs and outputs', () => {
    const before = { type: 'object', properties: { score: { type: 'number', maximum: 1 } } };
    const after = { type: 'object', properties: { score: { type: 'number', maximum: 10 } } };
    expect(rules(diffSchemas(before, after, 'input'))).toEqual(['info request-property-max-increased /score']);
    expect(rules(diffSchemas(before, after, 'output'))).toEqual(['breaking response-property-max-increased /score']);
    expect(rules(diffSchemas(after, before, 'input'))).toEqual(['breaking request-property-max-decreased /score']);
    expect(rules(diffSchemas(after, before, 'output'))).toEqual(['info response-property-max-decreased /score']);
  });

  it('names root-level changes with the -body- vocabulary and the empty pointer', () => {
    expect(rules(diffSchemas({ type: 'object' }, { type: 'array' }, 'input'))).toEqual(['breaking request-body-type-changed ']);
  });

  it('treats integer as a narrowing of number', () => {
    expect(rules(diffSchemas({ type: 'integer' }, { type: 'number' }, 'input'))).toEqual(['info request-body-type-generalized ']);
    expect(rules(diffSchemas({ type: 'integer' }, { type: 'number' }, 'output'))).toEqual(['breaking response-body-type-changed ']);
    expect(rules(diffSchemas({ type: 'number' }, { type: 'integer' }, 'output'))).toEqual(['info response-body-type-specialized ']);
  });

  it('reads draft-04 boolean exclusiveMaximum', () => {
    const findings = diffSchemas({ type: 'number', maximum: 5 }, { type: 'number', maximum: 5, exclusiveMaximum: true }, 'input');
    expect(findings).toEqual([expect.objectContaining({ rule: 'request-body-max-decreased', old: 'maximum: 5', new: 'exclusiveMaximum: 5' })]);
  });

  it('judges multipleOf by divisibility', () => {
    expect(rules(diffSchemas({ multipleOf: 0.5 }, { multipleOf: 0.25 }, 'input'))).toEqual(['info request-body-multiple-of-changed ']);
    expect(rules(diffSchemas({ multipleOf: 2 }, { multipleOf: 4 }, 'input'))).toEqual(['breaking request-body-multiple-of-changed ']);
    expect(rules(diffSchemas({ multipleOf: 2 }, { multipleOf: 3 }, 'output'))).toEqual(['breaking response-body-multiple-of-changed ']);
  });

  it('matches anyOf alternatives with the closest counterpart and with union types', () => {
    const union = { anyOf: [{ type: 'string', maxLength: 10 }, { type: 'number' }] };
    expect(diffSchemas(union, { type: ['string', 'number'], maxLength: 10 }, 'output')).toEqual([]);
    expect(diffSchemas({ type: ['string', 'number'] }, { anyOf: [{ type: 'string' }, { type: 'number' }] }, 'input')).toEqual([]);
    expect(rules(diffSchemas(union, { anyOf: [{ type: 'string', maxLength: 5 }, { type: 'number' }] }, 'input'))).toEqual(['breaking request-body-max-length-decreased ']);
    expect(rules(diffSchemas(union, { oneOf: [{ type: 'string', maxLength: 10 }] }, 'input'))).toEqual(['breaking request-body-type-changed ']);
    expect(rules(diffSchemas(union, { anyOf: [...union.anyOf, { type: 'boolean' }] }, 'output'))).toEqual(['breaking response-body-type-changed ']);
    expect(rules(diffSchemas(union, { anyOf: [...union.anyOf, { type: 'boolean' }] }, 'input'))).toEqual(['info request-body-any-of-added ']);
  });

  it('folds allOf into one set of constraints', () => {
    const before = { allOf: [{ type: 'object', properties: { a: { type: 'number' } } }, { required: ['a'] }] };
    const after = { allOf: [{ type: 'object', properties: { a: { type: 'number', minimum: 1 } } }, { required: ['a', 'b'] }] };
    expect(rules(diffSchemas(before, after, 'input')).sort()).toEqual(['breaking new-required-request-property /b', 'breaking request-property-min-set /a']);
  });

  it('stops at recursion in recursive schemas', () => {
    const tree = (max: number) => ({
      $ref: '#/definitions/Node',
      definitions: { Node: { type: 'object', properties: { value: { type: 'number', maximum: max }, children: { type: 'array', items: { $ref: '#/definitions/Node' } } } } },
    });
    expect(rules(diffSchemas(tree(10), tree(5), 'input'))).toEqual(['breaking request-property-max-decreased /value', 'breaking request-property-max-decreased /children/*/value']);
  });

  it('compares tuple positions (draft-07 items array and 2020-12 prefixItems alike)', () => {
    const before = { type: 'array', items: [{ type: 'number' }, { type: 'string' }] };
    const after = { type: 'array', prefixItems: [{ type: 'number' }, { type: 'string', enum: ['a'] }] };
    expect(rules(diffSchemas(before, after, 'input'))).toEqual(['breaking request-property-enum-set /1']);
  });

  it('compares the values of a map (additionalProperties schema)', () => {
    const before = { type: 'object', additionalProperties: { type: 'number', minimum: 0, maximum: 1 } };
    const after = { type: 'object', additionalProperties: { type: 'number', minimum: 0 } };
    expect(rules(diffSchemas(before, after, 'output'))).toEqual(['breaking response-property-max-unset /*']);
  });

  it('warns about keywords it does not judge and references it cannot follow', () => {
    expect(rules(diffSchemas({ not: { type: 'string' } }, { not: { type: 'number' } }, 'input'))).toEqual(['warning keyword-not-compared ']);
    expect(rules(diffSchemas({ type: 'object' }, { $ref: 'https://example.com/other.json' }, 'input'))).toEqual(['warning unresolved-ref ']);
  });

  it('warns when an input property disappears from an open object (it is then silently ignored)', () => {
    const findings = diffSchemas({ type: 'object', properties: { a: { type: 'string' } } }, { type: 'object' }, 'input');
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', rule: 'request-property-removed', pointer: '/a' })]);
  });

  it('escapes property names in pointers (RFC 6901)', () => {
    const findings = diffSchemas({ type: 'object' }, { type: 'object', properties: { 'a/b~c': {} }, required: ['a/b~c'] }, 'input');
    expect(findings[0].pointer).toBe('/a~1b~0c');
  });
});
