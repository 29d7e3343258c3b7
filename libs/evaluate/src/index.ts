export { runEvaluate, type EvaluateOptions, type EvaluateContext, type EvaluateOutcome } from './run-evaluate';
export { classificationMetrics, confusionMatrix, logLoss, type ClassificationMetrics } from './metrics/classification';
export { regressionMetrics, type RegressionMetrics } from './metrics/regression';
export { sortedLabels, type Label } from './metrics/labels';
export { readDataset, type EvalRow } from './dataset';
export { predict, EvaluateError, type Endpoint, type Prediction, type Timing } from './predict';
export { diffPredictions, type PredictionDiff, type ChangedExample, type Transition } from './diff';
export { judge, greaterIsBetter, type ThresholdCheck } from './thresholds';
// startLocalBaseline (./baseline) is not re-exported: it loads the preview library, which runEvaluate loads only when needed.
export type { LocalBaseline } from './baseline';
export type { BaseTraining } from './train-base';
export { existsOnBase } from './base-ref';
export { formatTable, toJUnitXml, writeResults, value, change, thresholdText } from './report';
export * from './types';
