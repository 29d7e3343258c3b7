import { sortedLabels, type Label } from './labels';

export interface ClassificationMetrics {
  accuracy: number;
  balanced_accuracy: number;
  precision_macro: number;
  recall_macro: number;
  f1_macro: number;
  /** Only when the model returned probabilities for every example. */
  log_loss?: number;
  /** Row = expected class, column = predicted class, in the order of `labels`. */
  confusionMatrix: { labels: Label[]; matrix: number[][] };
}

/** float64 machine epsilon: scikit-learn 1.6 clips probabilities to [eps, 1 - eps] with `np.finfo(float64).eps`. */
const EPS = Number.EPSILON;

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

export function confusionMatrix(yTrue: Label[], yPred: Label[]): { labels: Label[]; matrix: number[][] } {
  const labels = sortedLabels(yTrue, yPred);
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  for (let i = 0; i < yTrue.length; i++) matrix[index.get(yTrue[i])!][index.get(yPred[i])!]++;
  return { labels, matrix };
}

/**
 * Classification metrics with scikit-learn 1.6's conventions: labels are the sorted union of
 * expected and predicted classes; a precision or recall whose denominator is 0 counts as 0
 * (`zero_division="warn"` behaves as 0); balanced accuracy averages the recall of the classes
 * present in the expected labels only; F1 per class is 2·tp / (2·tp + fp + fn).
 */
export function classificationMetrics(yTrue: Label[], yPred: Label[], probabilities?: Record<string, number>[]): ClassificationMetrics {
  if (yTrue.length !== yPred.length) throw new Error(`${yTrue.length} expected labels but ${yPred.length} predictions`);
  if (yTrue.length === 0) throw new Error('no examples to evaluate: the data file is empty');
  const { labels, matrix } = confusionMatrix(yTrue, yPred);
  const tp = labels.map((_, i) => matrix[i][i]);
  const trueSum = matrix.map((row) => row.reduce((s, v) => s + v, 0));
  const predSum = labels.map((_, j) => matrix.reduce((s, row) => s + row[j], 0));
  const divide = (n: number, d: number) => (d === 0 ? 0 : n / d);
  const precision = tp.map((t, i) => divide(t, predSum[i]));
  const recall = tp.map((t, i) => divide(t, trueSum[i]));
  const f1 = tp.map((t, i) => divide(2 * t, trueSum[i] + predSum[i]));
  const present = recall.filter((_, i) => trueSum[i] > 0);

  return {
    accuracy: tp.reduce((s, v) => s + v, 0) / yTrue.length,
    balanced_accuracy: mean(present),
    precision_macro: mean(precision),
    recall_macro: mean(recall),
    f1_macro: mean(f1),
    ...(probabilities && { log_loss: logLoss(yTrue, probabilities) }),
    confusionMatrix: { labels, matrix },
  };
}

/**
 * scikit-learn's `log_loss(y_true, y_prob, labels=<the probability keys>)`: the mean of
 * -ln(p of the expected class), each probability clipped to [eps, 1 - eps] and not renormalised
 * (1.6 warns when rows do not sum to 1 but uses them as they are).
 */
function sameKeys(row: Record<string, number>, classes: string[]): boolean {
  let n = 0;
  for (const k in row) if (Object.prototype.hasOwnProperty.call(row, k)) n++;
  if (n !== classes.length) return false;
  for (let c = 0; c < classes.length; c++) if (!(classes[c] in row)) return false;
  return true;
}

export function logLoss(yTrue: Label[], probabilities: Record<string, number>[]): number {
  if (probabilities.length !== yTrue.length) throw new Error(`${yTrue.length} expected labels but ${probabilities.length} probability rows`);
  const classes = Object.keys(probabilities[0] ?? {}).sort();
  if (classes.length < 2) throw new Error(`log_loss needs probabilities of at least two classes; the model returned ${JSON.stringify(classes)}`);
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const row = probabilities[i];
    // Same classes as the first row: as many keys, each of the first row's present (no per-row sort
    // or array: linear, and nothing allocated per row).
    if (!sameKeys(row, classes)) {
      throw new Error(`example ${i + 1}: the probabilities are of classes ${Object.keys(row).sort().join(', ')}, other examples' of ${classes.join(', ')}; every answer must cover the same classes`);
    }
    const key = String(yTrue[i]);
    if (!(key in row)) throw new Error(`example ${i + 1}: expected class ${JSON.stringify(yTrue[i])} is not among the probabilities' classes (${classes.join(', ')})`);
    const p = Math.min(Math.max(row[key], EPS), 1 - EPS);
    sum += -Math.log(p);
  }
  return sum / yTrue.length;
}
