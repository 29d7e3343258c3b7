import { describe, expect, it } from 'vitest';
import { MAX_MODEL_NAME_LENGTH, modelNameProblem, normalizePr, previewName } from './naming';

describe('model names', () => {
  it('accepts kebab-case names that start with a letter', () => {
    for (const name of ['fraud-detector', 'iris-classifier', 'm', 'model2', 'a-b-c-1']) expect(modelNameProblem(name)).toBeUndefined();
  });

  it.each(['Fraud', 'fraud_detector', '1model', '-model', 'model-', 'model--x', 'mödel', 'a b', ''])('refuses %j with the rule', (name) => {
    const problem = modelNameProblem(name);
    expect(problem).toMatch(/kebab-case/);
    expect(problem).toMatch(/starts with a letter/);
  });

  it('refuses names too long for <name>-pr-<number> in AWS limits', () => {
    const longest = 'a'.repeat(MAX_MODEL_NAME_LENGTH);
    expect(modelNameProblem(longest)).toBeUndefined();
    expect(modelNameProblem(longest + 'a')).toMatch(/41 characters/);
    // the longest preview name still fits SageMaker's 63 characters with a suffix like "-gateway"
    expect(`${previewName(longest, 999999)}-gateway`.length).toBeLessThanOrEqual(64);
    expect(previewName(longest, 999999).length).toBeLessThanOrEqual(63);
  });
});

describe('pull request labels', () => {
  it('takes numbers and "local"', () => {
    expect(normalizePr(42)).toBe('42');
    expect(normalizePr(undefined)).toBe('local');
    expect(previewName('iris', '7')).toBe('iris-pr-7');
  });
  it.each(['0', '-1', 'abc', '1e3', '1234567'])('refuses %j', (pr) => {
    expect(() => normalizePr(pr)).toThrow(/--pr must be/);
  });
});
