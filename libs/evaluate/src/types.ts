// evaluate.json's shape is defined once, in core's results module.
export type { MetricRow, EvaluateReport } from '@ephenv/core';
