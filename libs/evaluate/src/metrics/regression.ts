export interface RegressionMetrics {
  mae: number;
  rmse: number;
  r2: number;
  max_error: number;
}

/**
 * Regression metrics as scikit-learn 1.6 computes them: `mean_absolute_error`,
 * `root_mean_squared_error`, `r2_score` (force_finite: a constant target gives 1.0 when predicted
 * exactly, else 0.0) and `max_error`.
 */
export function regressionMetrics(yTrue: number[], yPred: number[]): RegressionMetrics {
  if (yTrue.length !== yPred.length) throw new Error(`${yTrue.length} expected values but ${yPred.length} predictions`);
  if (yTrue.length === 0) throw new Error('no examples to evaluate: the data file is empty');
  const n = yTrue.length;
  let abs = 0;
  let sq = 0;
  let max = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = yTrue[i] - yPred[i];
    abs += Math.abs(d);
    sq += d * d;
    max = Math.max(max, Math.abs(d));
    total += yTrue[i];
  }
  const average = total / n;
  let ssTot = 0;
  for (const y of yTrue) ssTot += (y - average) ** 2;
  // Fewer than two examples: R² is not defined; scikit-learn returns nan (with a warning).
  const r2 = n < 2 ? Number.NaN : ssTot === 0 ? (sq === 0 ? 1 : 0) : 1 - sq / ssTot;
  return { mae: abs / n, rmse: Math.sqrt(sq / n), r2, max_error: max };
}
