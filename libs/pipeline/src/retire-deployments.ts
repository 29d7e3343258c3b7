import { isPullRequest } from '@ephenv/core';
import { createGitHubClient, type GitHubClientOptions, type GitHubContext, retirePreviewEnvironment } from '@ephenv/report';

/**
 * After previews are destroyed (PR closed) or reaped: their GitHub deployments become inactive
 * and their environments are deleted where the token may. Failures are logged, not fatal: the
 * cloud resources, which cost money, are what the command's exit code is about.
 */
export async function retirePreviewDeployments(
  context: GitHubContext,
  previews: { project: string; pr: string }[],
  log: (line: string) => void,
  options: GitHubClientOptions = {},
): Promise<void> {
  if ('skipped' in context) {
    log(`GitHub deployments left as they are: ${context.skipped}`);
    return;
  }
  const real = previews.filter((p) => isPullRequest(p.pr));
  if (real.length === 0) return;
  const github = createGitHubClient(context.target, options);
  for (const { project, pr } of real) {
    try {
      const result = await retirePreviewEnvironment(github, { ...context.target, logUrl: context.logUrl }, project, pr);
      log(`GitHub ${result.environment}: ${result.deactivated} deployment(s) marked inactive; ${result.deleted ? 'environment deleted' : result.note}`);
    } catch (e) {
      log(`warning: GitHub deployments of ${project} PR ${pr} not marked inactive: ${(e as Error).message}`);
    }
  }
}
