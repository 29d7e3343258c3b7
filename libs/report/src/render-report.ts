import { isPullRequest } from '@ephenv/core';
import type { ModelAssessment } from './assess-model';
import { code, plural, table, utc } from './markdown';
import type { PrRunFile } from './read-results';
import { renderModelSection, summaryRow, VERDICT_ICON, type RenderContext } from './render-model';

/** First line of the comment: how `ephenv comment` finds the one comment to update. */
export const COMMENT_MARKER = '<!-- ephenv:preview-comment -->';

export interface ReportView extends RenderContext {
  run?: PrRunFile;
  /** The PR the comment is for (--pr), else the run's, else the previews'. */
  pr?: string;
  models: ModelAssessment[];
}

function headline(models: ModelAssessment[], run: PrRunFile | undefined): string {
  if (models.length === 0) {
    return run ? `ℹ️ Preview environments: no model service is affected by this change` : `ℹ️ Preview environments: nothing to report yet`;
  }
  const failed = models.filter((m) => m.verdict === 'fail');
  if (failed.length > 0) {
    return `${VERDICT_ICON.fail} Preview environments: ${failed.length} of ${plural(models.length, 'model')} failed (${failed.map((m) => m.results.project).join(', ')})`;
  }
  if (models.some((m) => m.verdict === 'warn')) return `${VERDICT_ICON.warn} Preview environments: passed, with warnings`;
  return `${VERDICT_ICON.pass} Preview environments: all green`;
}

function context(view: ReportView): string {
  const { run, models } = view;
  const pr = view.pr ?? run?.pr ?? models.find((m) => m.results.preview)?.results.preview?.pr;
  const shas = [...new Set(models.map((m) => m.results.preview?.gitSha).filter((s): s is string => !!s))];
  const providers = [...new Set([run?.provider, ...models.map((m) => m.results.preview?.provider)].filter((p): p is string => !!p))];
  return [
    isPullRequest(pr) ? `**PR #${pr}**` : '**local run**',
    shas.length === 1 ? `commit ${code(shas[0].slice(0, 7))}` : undefined,
    providers.length > 0 ? `provider ${providers.map(code).join(', ')}` : undefined,
    run?.base ? `base ${code(run.base)}` : undefined,
    plural(models.length, 'model'),
    `updated ${utc(view.now)}`,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The PR comment: marker, verdict, one row per model, then each model's section. */
export function renderReport(view: ReportView): string {
  const { models } = view;
  const out = [COMMENT_MARKER, `## ${headline(models, view.run)}`, '', context(view), ''];
  if (models.length === 0) {
    out.push(
      view.run
        ? 'No model service changed in this pull request, so no preview was deployed.'
        : 'No results in `dist/ephenv`: run `npx ephenv pr` (or a model\'s `deploy-preview`, `validate` and `benchmark` targets) first.',
      '',
    );
  } else {
    out.push(
      ...table(['', 'model', 'preview', 'validate', 'benchmark', 'cost', 'expires'], models.map((m) => summaryRow(m, view))),
      '',
    );
    // Failures first: they are what a reviewer came for.
    const order = { fail: 0, warn: 1, pass: 2 } as const;
    for (const m of [...models].sort((a, b) => order[a.verdict] - order[b.verdict])) out.push(...renderModelSection(m, view));
  }
  out.push(`<sub>Written by ${code('ephenv report')}; this comment is updated in place on every run.</sub>`, '');
  return out.join('\n');
}
