import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { classificationMetrics, regressionMetrics, type Label } from '../src';
import { runPython, sklearnPython } from './helpers/python';

/** A seeded generator: the same cases on every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLASSES = ['setosa', 'versicolor', 'virginica'];

function classificationCase(seed: number, n: number, options: { skewed?: boolean; extremes?: boolean; unnormalised?: boolean } = {}) {
  const r = rng(seed);
  const yTrue: string[] = [];
  const yPred: string[] = [];
  const probabilities: Record<string, number>[] = [];
  for (let i = 0; i < n; i++) {
    const t = CLASSES[Math.floor(r() * 3)];
    const right = r() < 0.7;
    const p = right ? t : CLASSES[Math.floor(r() * 3)];
    yTrue.push(t);
    yPred.push(p);
    const raw = CLASSES.map((c) => (c === p ? 2 + r() * 3 : r()) * (options.extremes && r() < 0.2 ? 0 : 1));
    const sum = raw.reduce((a, b) => a + b, 0) || 1;
    const row = Object.fromEntries(CLASSES.map((c, j) => [c, options.extremes && r() < 0.1 ? (c === p ? 1 : 0) : Number(((raw[j] / sum) * (options.unnormalised ? 0.97 : 1)).toFixed(4))]));
    probabilities.push(row);
  }
  return { yTrue, yPred, probabilities };
}

describe('metrics against scikit-learn 1.6 on the same predictions (to 1e-9)', () => {
  let python: string;
  beforeAll(async () => {
    python = await sklearnPython();
  }, 900_000);

  const close = (ours: number, theirs: number, what: string) => expect(Math.abs(ours - theirs), `${what}: ours ${ours}, sklearn ${theirs}`).toBeLessThanOrEqual(1e-9);

  it('classification: accuracy, balanced accuracy, macro P/R/F1, log loss, confusion matrix, with the edge cases', () => {
    const cases: { yTrue: Label[]; yPred: Label[]; probabilities?: Record<string, number>[] }[] = [
      classificationCase(1, 500),
      classificationCase(2, 37, { extremes: true }),
      classificationCase(3, 200, { unnormalised: true }),
      // A class never predicted (precision 0/0 -> 0), a predicted class absent from the labels
      // (balanced accuracy leaves it out, recall 0/0 -> 0), numeric classes.
      { yTrue: ['a', 'a', 'b', 'b', 'c'], yPred: ['a', 'b', 'b', 'b', 'a'] },
      { yTrue: ['a', 'a', 'b'], yPred: ['a', 'd', 'b'] },
      { yTrue: [0, 2, 1, 10, 2], yPred: [0, 2, 2, 10, 1] },
      // Probability exactly 0 for the expected class: clipped to eps, not infinite.
      { yTrue: ['x', 'y'], yPred: ['y', 'y'], probabilities: [{ x: 0, y: 1 }, { x: 0, y: 1 }] },
    ];
    const reference = runPython(python, join(__dirname, 'helpers', 'sklearn_reference.py'), {
      classification: cases.map((c) => ({ y_true: c.yTrue, y_pred: c.yPred, ...(c.probabilities && { probabilities: c.probabilities.map((row) => Object.keys(row).sort().map((k) => row[k])), classes: Object.keys(c.probabilities[0]).sort() }) })),
      regression: [],
    }) as { classification: Record<string, unknown>[] };

    cases.forEach((c, i) => {
      const ours = classificationMetrics(c.yTrue, c.yPred, c.probabilities);
      const theirs = reference.classification[i] as Record<string, number> & { labels: Label[]; confusion_matrix: number[][] };
      for (const m of ['accuracy', 'balanced_accuracy', 'precision_macro', 'recall_macro', 'f1_macro'] as const) close(ours[m], theirs[m], `case ${i} ${m}`);
      if (c.probabilities) close(ours.log_loss!, theirs.log_loss, `case ${i} log_loss`);
      else expect(ours.log_loss).toBeUndefined();
      expect(ours.confusionMatrix.labels).toEqual(theirs.labels);
      expect(ours.confusionMatrix.matrix).toEqual(theirs.confusion_matrix);
    });
    // The cases do reach the edge conventions: a zero-division precision, a dropped class, a clipped log.
    expect(reference.classification[3].precision_macro).toBeLessThan(reference.classification[3].recall_macro as number);
    expect(reference.classification[6].log_loss).toBeGreaterThan(17);
  }, 120_000);

  it('regression: MAE, RMSE, R², max error; a ridge regressor of its own and the constant-target conventions', () => {
    const r = rng(7);
    const y = Array.from({ length: 1000 }, () => r() * 200 - 50);
    const cases = [
      { yTrue: y, yPred: y.map((v) => v + (r() - 0.5) * 20) },
      { yTrue: [3, 3, 3], yPred: [3, 3, 3] },
      { yTrue: [3, 3, 3], yPred: [3, 4, 3] },
      { yTrue: [1.5, -2, 7.25, 0], yPred: [1, -2.5, 9, 0.125] },
    ];
    const reference = runPython(python, join(__dirname, 'helpers', 'sklearn_reference.py'), {
      classification: [],
      regression: cases.map((c) => ({ y_true: c.yTrue, y_pred: c.yPred })),
    }) as { regression: Record<string, number>[]; diabetes: { y_true: number[]; y_pred: number[]; expected: Record<string, number> } };

    const all = [...cases.map((c, i) => ({ ...c, expected: reference.regression[i], name: `case ${i}` })), { yTrue: reference.diabetes.y_true, yPred: reference.diabetes.y_pred, expected: reference.diabetes.expected, name: 'diabetes ridge' }];
    for (const c of all) {
      const ours = regressionMetrics(c.yTrue, c.yPred);
      for (const m of ['mae', 'rmse', 'r2', 'max_error'] as const) close(ours[m], c.expected[m], `${c.name} ${m}`);
    }
    expect(reference.regression[1].r2).toBe(1);
    expect(reference.regression[2].r2).toBe(0);
    expect(reference.diabetes.y_true.length).toBeGreaterThan(100);
  }, 120_000);

  it('says what is wrong with predictions it cannot score', () => {
    expect(() => classificationMetrics(['a'], ['a', 'b'])).toThrow(/1 expected labels but 2 predictions/);
    expect(() => classificationMetrics(['a', 1], ['a', 1])).toThrow(/mix numbers and strings/);
    expect(() => classificationMetrics(['z'], ['a'], [{ a: 0.5, b: 0.5 }])).toThrow(/expected class "z" is not among the probabilities' classes \(a, b\)/);
    expect(() => regressionMetrics([], [])).toThrow(/data file is empty/);
  });
});
