import { appendFileSync } from 'node:fs';

/**
 * Appends the report to the GitHub Actions job summary ($GITHUB_STEP_SUMMARY), shown on the
 * run's page: where a reviewer lands from a failed check, also when the comment could not be
 * posted (a fork's read-only token). Returns whether there was a summary to write to.
 */
export function appendJobSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  return true;
}
