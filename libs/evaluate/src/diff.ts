import type { ChangedExample, PredictionDiff, Transition } from '@ephenv/core';
export type { ChangedExample, PredictionDiff, Transition };
import type { EvaluateTask } from '@ephenv/core';
import type { EvalRow } from './dataset';
import type { Prediction } from './predict';

const answer = (p: Prediction) => (p.value !== undefined ? p.value : p.label!);

/**
 * Per example, both answers: a classification changed when the class did; a regression when the
 * values differ by more than `tolerance`. Largest change first: for classes, by how much the
 * probability of the expected class moved (examples without probabilities rank by order).
 */
export function diffPredictions(task: EvaluateTask, rows: EvalRow[], base: Prediction[], pr: Prediction[], tolerance: number, top = 10): PredictionDiff {
  const changed: ChangedExample[] = [];
  const transitions = new Map<string, Transition>();
  let fixed = 0;
  let broke = 0;
  for (let i = 0; i < rows.length; i++) {
    const b = base[i];
    const p = pr[i];
    if (task === 'regression') {
      const change = Math.abs(p.value! - b.value!);
      if (change > tolerance) changed.push({ line: rows[i].line, input: rows[i].instance, expected: rows[i].expected, base: b.value!, pr: p.value!, change });
      continue;
    }
    if (b.label === p.label) continue;
    const key = String(rows[i].expected);
    const probabilityChange = b.probabilities && p.probabilities && key in b.probabilities && key in p.probabilities ? Math.abs(p.probabilities[key] - b.probabilities[key]) : 1;
    changed.push({ line: rows[i].line, input: rows[i].instance, expected: rows[i].expected, base: answer(b), pr: answer(p), change: probabilityChange });
    const id = JSON.stringify([b.label, p.label]);
    const t = transitions.get(id) ?? { from: b.label!, to: p.label!, count: 0, fixed: 0, broke: 0 };
    t.count++;
    if (p.label === rows[i].expected) (t.fixed++, fixed++);
    if (b.label === rows[i].expected) (t.broke++, broke++);
    transitions.set(id, t);
  }
  const sorted = [...changed].sort((x, y) => y.change - x.change || x.line - y.line);
  return {
    total: rows.length,
    changed: changed.length,
    share: changed.length / rows.length,
    top: sorted.slice(0, top),
    ...(task === 'classification' && { transitions: [...transitions.values()].sort((x, y) => y.count - x.count), fixed, broke }),
  };
}
