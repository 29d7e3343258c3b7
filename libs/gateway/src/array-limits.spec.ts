import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arrayLimitCheck, DEFAULT_MAX_ARRAY_ITEMS, largestContainerLimit } from './array-limits';
import { oversizedContainer } from './raw-container-scan';
import { inputSchema } from './testing/model-server';

describe('the array pre-check', () => {
  it("defaults to ephenv.json's own default batch limit", () => {
    const ephenvSchema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'core', 'ephenv.schema.json'), 'utf8'));
    expect(DEFAULT_MAX_ARRAY_ITEMS).toBe(ephenvSchema.properties.endpoint.properties.maxBatchSize.default);
  });

  it("refuses an array over its schema's maxItems, through $refs, and names its path", () => {
    const schema = {
      type: 'object',
      properties: { batch: { $ref: '#/$defs/batch' }, 'a/b': { type: 'array', items: { type: 'array', maxItems: 2 } } },
      $defs: { batch: { type: 'array', maxItems: 3 } },
    };
    const check = arrayLimitCheck(schema, 100);
    expect(check({ batch: [1, 2, 3] })).toEqual({ nodes: 5 });
    expect(check({ batch: [1, 2, 3, 4] }).violation).toEqual({ path: '/batch', message: 'has 4 items, more than the 3 its schema allows' });
    expect(check({ 'a/b': [[1], [1, 2, 3]] }).violation).toEqual({ path: '/a~1b/1', message: 'has 3 items, more than the 2 its schema allows' });
  });

  it('caps arrays the schema does not bound at the batch limit', () => {
    const check = arrayLimitCheck(inputSchema, 2);
    expect(check({ instances: [{ extra: [1, 2, 3] }] }).violation).toEqual({
      path: '/instances/0/extra',
      message: 'has 3 items, more than the 2 the gateway allows in an array its schema does not bound',
    });
    // The schema's own maxItems (1000) wins over the batch limit where it is set.
    expect(check({ instances: Array(500).fill(1) }).violation).toBeUndefined();
  });

  it('takes the largest limit anywhere in the schema as the ceiling for the raw scan', () => {
    expect(largestContainerLimit(inputSchema, 10)).toBe(1000);
    expect(largestContainerLimit({ type: 'object', maxProperties: 5000 }, 1000)).toBe(5000);
  });
});

describe('the raw scan before parsing', () => {
  it('counts the items of each array and object, not commas or brackets inside strings', () => {
    expect(oversizedContainer('{"a":[1,2,3]}', 3)).toBeUndefined();
    expect(oversizedContainer('{"a":[1,2,3,4]}', 3)).toEqual({ offset: 5, kind: 'array' });
    expect(oversizedContainer('{"a":1,"b":2,"c":3,"d":4}', 3)).toEqual({ offset: 0, kind: 'object' });
    expect(oversizedContainer('["a,b,c,d,[,{", "\\",,,", 3]', 3)).toBeUndefined();
    expect(oversizedContainer('[[1,2],[3,4],[5,6]]', 3)).toBeUndefined();
  });
});
