import { isPullRequest } from '@ephenv/core';
import { assessModel } from '../assess-model';
import { findModelConfig } from '../find-model-config';
import { readResults } from '../read-results';
import { collectSecrets, scrubSecrets } from '../scrub-secrets';
import { modelPageData } from './page-data';
import { renderHtml } from './render-html';

export interface BuildHtmlOptions {
  pr?: string;
  now?: Date;
  env?: NodeJS.ProcessEnv;
}

/** The HTML report of the run in dist/ephenv: the same inputs and verdicts as the comment, drawn. */
export function buildHtmlReport(workspaceRoot: string, options: BuildHtmlOptions = {}): { html: string; models: number } {
  const now = options.now ?? new Date();
  const inputs = readResults(workspaceRoot);
  const models = inputs.models.map((results) => assessModel(results, { now, config: findModelConfig(workspaceRoot, results.project) }));
  const pr = options.pr ?? inputs.run?.pr;
  const sha = models.map((m) => m.results.preview?.gitSha).find(Boolean);
  const subtitle = [isPullRequest(pr) ? `PR #${pr}` : 'local run', sha ? `commit ${sha.slice(0, 7)}` : undefined, `${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`]
    .filter(Boolean)
    .join(' · ');
  const html = renderHtml({ title: 'ephenv: preview report', subtitle, models: models.map(modelPageData) });
  // As for the comment: no preview token leaves the machine, whatever an input held.
  return { html: scrubSecrets(html, collectSecrets(workspaceRoot, options.env ?? process.env)).text, models: models.length };
}
