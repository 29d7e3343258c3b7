import { assessModel, type Verdict } from './assess-model';
import { workflowRunUrl } from './github-context';
import { findModelConfig } from './find-model-config';
import { readResults } from './read-results';
import { renderReport } from './render-report';
import { collectSecrets, findSecrets, scrubSecrets } from './scrub-secrets';

/** GitHub refuses comment bodies over 65,536 characters; keep room for the truncation note. */
export const MAX_COMMENT_LENGTH = 65_000;
/** The artifact the ephemeral-env workflow uploads the HTML report as. */
export const HTML_REPORT_ARTIFACT = 'ephenv-report';

export interface BuildReportOptions {
  /** The PR number to name in the header; default the run's. */
  pr?: string;
  now?: Date;
  /** Where secret-bearing variables (EPHENV_TOKEN, GITHUB_TOKEN) are read to keep them out. */
  env?: NodeJS.ProcessEnv;
}

export interface BuiltReport {
  markdown: string;
  /** The worst model verdict, or undefined when there was no model to report. */
  verdict?: Verdict;
  /** For the terminal: tokens found in inputs, truncation. Never the secret itself. */
  warnings: string[];
}

function truncate(markdown: string): string {
  const note = '\n\n> ✂️ This report was cut to fit a GitHub comment: the full results are in `dist/ephenv` (the CI run\'s artifacts).\n';
  const cut = markdown.lastIndexOf('\n', MAX_COMMENT_LENGTH - note.length);
  return markdown.slice(0, cut) + note;
}

/** In a workflow run, where the HTML report with the charts is: the run's artifacts (ephenv-report). */
function chartsLink(env: NodeJS.ProcessEnv): string {
  const run = workflowRunUrl(env);
  return run ? `\n📈 Charts (latency over time, histogram, baseline): the \`${HTML_REPORT_ARTIFACT}\` artifact of [this run](${run}#artifacts).\n` : '';
}

/**
 * The PR comment from everything in dist/ephenv: read, judge each model, render, then remove any
 * preview token that found its way into the inputs (the producers never write one; this is the
 * last line of defence before a public comment).
 */
export function buildReport(workspaceRoot: string, options: BuildReportOptions = {}): BuiltReport {
  const now = options.now ?? new Date();
  const inputs = readResults(workspaceRoot);
  const secrets = collectSecrets(workspaceRoot, options.env ?? process.env);
  const warnings: string[] = [];
  for (const file of inputs.files) {
    for (const secret of findSecrets(file.text, secrets)) {
      warnings.push(`${file.path} contains the secret from ${secret.source}; it was removed from the comment. Whatever wrote it there leaks it: fix that, and rotate the token (redeploy the preview).`);
    }
  }

  const models = inputs.models.map((results) => assessModel(results, { now, config: findModelConfig(workspaceRoot, results.project) }));
  const rendered = renderReport({ workspaceRoot, now, run: inputs.run, pr: options.pr, models });
  const scrubbed = scrubSecrets(rendered, secrets);
  if (scrubbed.removed > 0 && warnings.length === 0) warnings.push(`removed ${scrubbed.removed} occurrence(s) of a preview token from the comment.`);

  let markdown = scrubbed.text + chartsLink(options.env ?? process.env);
  if (markdown.length > MAX_COMMENT_LENGTH) {
    warnings.push(`the report has ${markdown.length} characters, more than a GitHub comment holds: it was cut to ${MAX_COMMENT_LENGTH}.`);
    markdown = truncate(markdown);
  }
  const verdicts = models.map((m) => m.verdict);
  const verdict = verdicts.includes('fail') ? 'fail' : verdicts.includes('warn') ? 'warn' : verdicts.length > 0 ? 'pass' : undefined;
  return { markdown, verdict, warnings };
}
