import { GitHubError, githubAnswer, type GitHubClient, type GitHubTarget } from './github-client';

/**
 * GitHub Deployments for previews: what puts "This branch was deployed — View deployment" on the
 * pull request. One environment per model and PR (`preview/<model>/pr-<n>`): GitHub keeps one
 * active deployment per environment, so a shared "preview" environment would deactivate the
 * other PRs' previews. The environments are transient, so GitHub's `auto_inactive` (which skips
 * transient ones) does not apply: older deployments are marked inactive here.
 */
export interface DeploymentTarget extends GitHubTarget {
  pr: number;
  /** The pull request's head commit: the deployment is shown on it. */
  sha: string;
  /** The workflow run, where the deploy's log is. */
  logUrl?: string;
}

export type DeployOutcome = { ok: true; url: string } | { ok: false; reason: string };

/** GitHub stores at most 140 characters of a status description. */
export const MAX_STATUS_DESCRIPTION = 140;

export const previewEnvironment = (model: string, pr: number | string) => `preview/${model}/pr-${pr}`;

export function statusDescription(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= MAX_STATUS_DESCRIPTION ? oneLine : `${oneLine.slice(0, MAX_STATUS_DESCRIPTION - 1)}…`;
}

const DEPLOYMENTS_HINT = 'In the workflow, give the job `permissions: deployments: write` and the step `env: GITHUB_TOKEN: ${{ github.token }}`.';

/** Turns Octokit's failure into what to change. Never holds the token. */
export function deploymentError(error: unknown, what: string, target: GitHubTarget): GitHubError {
  if (error instanceof GitHubError) return error;
  const { status, message } = githubAnswer(error);
  const quoted = message ? ` ("${message}")` : '';
  if (status === undefined) return new GitHubError(`cannot reach GitHub at ${target.apiUrl} to ${what}: ${(error as Error).message}. Check GITHUB_API_URL and the network.`);
  if (status === 401) return new GitHubError(`GitHub rejected the token while trying to ${what} (401${quoted}): GITHUB_TOKEN is invalid or expired. ${DEPLOYMENTS_HINT}`, 401);
  if (status === 403) return new GitHubError(`GitHub refused to let this token ${what} on ${target.owner}/${target.repo} (403${quoted}). ${DEPLOYMENTS_HINT}`, 403);
  if (status === 404) return new GitHubError(`GitHub found nothing while trying to ${what} (404${quoted}): check GITHUB_REPOSITORY (${target.owner}/${target.repo}).`, 404);
  return new GitHubError(`GitHub answered ${status}${quoted} while trying to ${what} on ${target.owner}/${target.repo}.`, status);
}

async function attempt<T>(target: GitHubTarget, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw deploymentError(e, what, target);
  }
}

/** A new deployment of the model's preview on the PR's head commit, in progress. Returns its id. */
export async function startPreviewDeployment(github: GitHubClient, target: DeploymentTarget, model: string): Promise<number> {
  const { owner, repo } = target;
  const environment = previewEnvironment(model, target.pr);
  const created = await attempt(target, `create a deployment of ${environment}`, () =>
    github.rest.repos.createDeployment({
      owner,
      repo,
      ref: target.sha,
      environment,
      description: statusDescription(`ephenv preview of ${model} for PR #${target.pr}`),
      transient_environment: true,
      production_environment: false,
      // The PR's head commit as it is: neither merge the base into it nor wait for its checks.
      auto_merge: false,
      required_contexts: [],
      payload: { model, pr: target.pr },
    }),
  );
  if (created.status !== 201 || !('id' in created.data)) {
    throw new GitHubError(`GitHub did not create a deployment of ${environment} (${created.status}: ${(created.data as { message?: string }).message ?? 'no reason given'})`, created.status);
  }
  const id = created.data.id;
  await setStatus(github, target, id, environment, { state: 'in_progress', description: `Deploying ${model}` });
  return id;
}

async function setStatus(
  github: GitHubClient,
  target: GitHubTarget & { logUrl?: string },
  id: number,
  environment: string,
  status: { state: 'in_progress' | 'success' | 'failure' | 'inactive'; description: string; environmentUrl?: string },
): Promise<void> {
  const { logUrl } = target;
  await attempt(target, `set the deployment of ${environment} to ${status.state}`, () =>
    github.rest.repos.createDeploymentStatus({
      owner: target.owner,
      repo: target.repo,
      deployment_id: id,
      state: status.state,
      description: statusDescription(status.description),
      ...(logUrl && { log_url: logUrl }),
      ...(status.environmentUrl && { environment_url: status.environmentUrl }),
    }),
  );
}

/**
 * Ends the deployment: success with the preview's URL, or failure with the reason. On success the
 * environment's older deployments become inactive (the new push replaced their preview).
 */
export async function finishPreviewDeployment(github: GitHubClient, target: DeploymentTarget, model: string, id: number, outcome: DeployOutcome): Promise<number> {
  const environment = previewEnvironment(model, target.pr);
  if (!outcome.ok) {
    await setStatus(github, target, id, environment, { state: 'failure', description: outcome.reason });
    return 0;
  }
  await setStatus(github, target, id, environment, { state: 'success', description: `Preview of ${model} is up`, environmentUrl: outcome.url });
  return deactivateDeployments(github, target, environment, 'Replaced by a newer push', id);
}

/**
 * Marks every still-active deployment of the environment inactive (all but `keep`); returns how
 * many. One status read per deployment of the environment, i.e. linear in the PR's pushes.
 */
export async function deactivateDeployments(github: GitHubClient, target: GitHubTarget & { logUrl?: string }, environment: string, why: string, keep?: number): Promise<number> {
  const { owner, repo } = target;
  const deployments = await attempt(target, `list the deployments of ${environment}`, () => github.paginate(github.rest.repos.listDeployments, { owner, repo, environment, per_page: 100 }));
  let changed = 0;
  for (const deployment of deployments) {
    if (deployment.id === keep) continue;
    const latest = await attempt(target, `read the status of deployment ${deployment.id}`, () =>
      github.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: deployment.id, per_page: 1 }),
    );
    if (latest.data[0]?.state === 'inactive') continue;
    await setStatus(github, target, deployment.id, environment, { state: 'inactive', description: why });
    changed++;
  }
  return changed;
}

export interface RetireResult {
  environment: string;
  deactivated: number;
  /** Whether the environment itself was deleted; if not, why (a GITHUB_TOKEN may not: it needs administration rights). */
  deleted: boolean;
  note?: string;
}

/** After the preview is gone (PR closed, or reaped): every deployment inactive, the environment deleted where the token may. */
export async function retirePreviewEnvironment(github: GitHubClient, target: GitHubTarget & { logUrl?: string }, model: string, pr: number | string): Promise<RetireResult> {
  const environment = previewEnvironment(model, pr);
  const deactivated = await deactivateDeployments(github, target, environment, 'Preview destroyed');
  try {
    await github.rest.repos.deleteAnEnvironment({ owner: target.owner, repo: target.repo, environment_name: environment });
    return { environment, deactivated, deleted: true };
  } catch (e) {
    const { status, message } = githubAnswer(e);
    if (status !== 403 && status !== 404) throw deploymentError(e, `delete the environment ${environment}`, target);
    const note =
      status === 404
        ? `environment ${environment} not found (already deleted)`
        : `environment ${environment} kept: this token may not delete environments (403${message ? ` "${message}"` : ''}; that needs administration: write, which GITHUB_TOKEN does not have). Its deployments are inactive.`;
    return { environment, deactivated, deleted: false, note };
  }
}
