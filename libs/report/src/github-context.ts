import { readFileSync } from 'node:fs';
import { githubTargetFromEnv, type GitHubTarget } from './github-client';

/**
 * What GitHub Actions tells a step about where it runs, read once: the repository and token
 * (githubTargetFromEnv), the pull request's head commit and the run's page. Outside Actions (no
 * GITHUB_TOKEN or GITHUB_REPOSITORY) there is no context, and the reason says so.
 */
export type GitHubContext = { target: GitHubTarget; headSha?: string; logUrl?: string } | { skipped: string };

interface PullRequestEvent {
  pull_request?: { head?: { sha?: unknown } };
}

function eventHeadSha(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.GITHUB_EVENT_PATH) return undefined;
  try {
    const sha = (JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as PullRequestEvent).pull_request?.head?.sha;
    return typeof sha === 'string' ? sha : undefined;
  } catch {
    return undefined;
  }
}

/** The run's page (its log), as GitHub Actions names it: server/owner/repo/actions/runs/id. */
export function workflowRunUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = env;
  if (!server || !repository || !run || !/^\d+$/.test(run)) return undefined;
  return `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${run}`;
}

export function githubContextFromEnv(env: NodeJS.ProcessEnv = process.env): GitHubContext {
  const missing = ['GITHUB_TOKEN', 'GITHUB_REPOSITORY'].filter((name) => !env[name]);
  if (missing.length > 0) return { skipped: `no GitHub context (${missing.join(' and ')} not set)` };
  // In a pull_request run GITHUB_SHA is the merge commit; the PR's own head is in the event.
  return { target: githubTargetFromEnv(env), headSha: eventHeadSha(env) ?? env.GITHUB_SHA, logUrl: workflowRunUrl(env) };
}
