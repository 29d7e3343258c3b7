import { describe, expect, it } from 'vitest';
import type { EvaluateReport } from '@ephenv/evaluate';
import { evaluationLines } from './render-model';

const failing: EvaluateReport = {
  project: 'iris-classifier',
  status: 'fail',
  startedAt: '2026-12-04T16:00:00.000Z',
  durationMs: 4200,
  task: 'classification',
  data: { file: 'apps/iris-classifier/data/evaluation.jsonl', rows: 150, batchSize: 16, concurrency: 2 },
  baseline: { kind: 'local', ref: 'main', url: 'http://127.0.0.1:40001' },
  pr: { url: 'http://127.0.0.1:40002' },
  metrics: [
    { metric: 'accuracy', base: 0.9733, pr: 0.82, change: -0.1533, greaterIsBetter: true, status: 'fail', checks: [{ rule: '>= base - 0.02', passed: false, message: 'accuracy 0.82 is not >= 0.9533 (>= base - 0.02)' }] },
    { metric: 'log_loss', base: 0.12, pr: 0.45, change: 0.33, greaterIsBetter: false, status: 'none', checks: [] },
  ],
  diff: {
    total: 150,
    changed: 8,
    share: 8 / 150,
    top: Array.from({ length: 8 }, (_, i) => ({ line: i + 51, input: { petal_length: 4.5 }, expected: 'versicolor', base: 'versicolor', pr: 'virginica', change: 0.5 })),
    transitions: [{ from: 'versicolor', to: 'virginica', count: 8, fixed: 0, broke: 8 }],
    fixed: 0,
    broke: 8,
  },
};

describe('the evaluation section of the PR comment', () => {
  it('shows the metric table with base, PR, change and threshold, and collapses a long list of changed predictions', () => {
    const text = evaluationLines(failing).join('\n');
    expect(text).toContain('**Evaluation** (vs `main`, 150 examples): ❌; 8 predictions of 150 changed (5.3%), 0 fixed, 8 broke');
    expect(text).toContain('| ❌ | accuracy | 0.9733 | 0.82 | -0.1533 | >= base - 0.02 |');
    expect(text).toContain('|  | log_loss | 0.12 | 0.45 | +0.33 | — |');
    expect(text).toMatch(/<details><summary>Changed predictions \(8\)<\/summary>[\s\S]*\| versicolor → virginica \| 8 \| 0 \| 8 \|[\s\S]*\| 51 \| `\{"petal_length":4.5\}` \| versicolor \| versicolor \| virginica \|/);
  });

  it('short lists stay open; a new model says it was evaluated alone; an error says why', () => {
    const short = { ...failing, diff: { ...failing.diff!, top: failing.diff!.top.slice(0, 2), changed: 2 } };
    expect(evaluationLines(short).join('\n')).not.toContain('<details>');
    const alone = evaluationLines({ ...failing, status: 'pass', baseline: { kind: 'absent', ref: 'main' }, diff: undefined, metrics: [{ metric: 'f1_macro', pr: 0.97, greaterIsBetter: true, status: 'pass', checks: [{ rule: '>= 0.9', passed: true }] }] }).join('\n');
    expect(alone).toContain('new model: no `iris-classifier` on `main`, thresholds only');
    expect(alone).toContain('| ✅ | f1_macro | — | 0.97 | — | >= 0.9 |');
    expect(evaluationLines({ ...failing, status: 'error', error: 'the PR preview at http://x stopped answering' }).join('\n')).toContain('❌ could not run: the PR preview at http://x stopped answering');
    expect(evaluationLines(undefined)).toEqual([]);
  });
});
