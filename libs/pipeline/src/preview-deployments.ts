import { isPullRequest } from '@ephenv/core';
import { execFileSync } from 'node:child_process';
import { createGitHubClient, type GitHubClientOptions, type GitHubContext, finishPreviewDeployment, previewEnvironment, startPreviewDeployment, type DeployOutcome, type DeploymentTarget } from '@ephenv/report';

/** How `ephenv pr` tells GitHub about its deploys; does nothing (after saying why) without a GitHub context. */
export interface PreviewDeployments {
  /** Each model's deployment, in progress. */
  begin(models: string[]): Promise<void>;
  /** Each begun model's deployment, ended with its outcome. */
  finish(outcomes: Record<string, DeployOutcome>): Promise<void>;
}

const headOf = (workspaceRoot: string) => {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: workspaceRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
};

/**
 * GitHub reporting is secondary to the preview itself: a refused or failed call is a warning in
 * the log that says how to fix it, never a failed deploy.
 */
export function previewDeployments(workspaceRoot: string, context: GitHubContext, pr: string, log: (line: string) => void, options: GitHubClientOptions = {}): PreviewDeployments {
  const skip = (reason: string): PreviewDeployments => {
    let said = false;
    const say = async () => {
      if (!said) log(`ephenv pr: GitHub deployments skipped: ${reason}`);
      said = true;
    };
    return { begin: say, finish: say };
  };
  if ('skipped' in context) return skip(context.skipped);
  if (!isPullRequest(pr)) return skip('not a pull request (no --pr and no pull_request event)');
  const sha = context.headSha ?? headOf(workspaceRoot);
  if (!sha) return skip('the pull request head commit is unknown (no pull_request event, no GITHUB_SHA, no git HEAD)');

  const target: DeploymentTarget = { ...context.target, pr: Number(pr), sha, logUrl: context.logUrl };
  const github = createGitHubClient(context.target, options);
  const ids = new Map<string, number>();
  const warn = (model: string, e: unknown) => log(`ephenv pr: warning: the GitHub deployment of ${model} is not up to date: ${(e as Error).message}`);
  return {
    async begin(models) {
      for (const model of models) {
        try {
          ids.set(model, await startPreviewDeployment(github, target, model));
        } catch (e) {
          warn(model, e);
        }
      }
    },
    async finish(outcomes) {
      for (const [model, outcome] of Object.entries(outcomes)) {
        const id = ids.get(model);
        if (id === undefined) continue;
        try {
          const replaced = await finishPreviewDeployment(github, target, model, id, outcome);
          log(
            `ephenv pr: GitHub deployment ${previewEnvironment(model, pr)}: ${outcome.ok ? `success, ${outcome.url}` : 'failure'}` +
              (replaced > 0 ? ` (${replaced} older deployment(s) now inactive)` : ''),
          );
        } catch (e) {
          warn(model, e);
        }
      }
    },
  };
}
