import fc from 'fast-check';
import type { Json } from './hostile-requests';

const measure = fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.integer({ min: 0, max: 100 }));
const flower = fc.record({ sepal_length: measure, sepal_width: measure, petal_length: measure, petal_width: measure });

/** Requests valid against the iris model's input.schema.json: mostly a few flowers, now and then a batch at maxItems. */
export const validIrisRequest: fc.Arbitrary<Json> = fc.record({
  instances: fc.oneof({ weight: 29, arbitrary: fc.array(flower, { minLength: 1, maxLength: 5 }) }, { weight: 1, arbitrary: fc.array(flower, { minLength: 995, maxLength: 1_000 }) }),
});
