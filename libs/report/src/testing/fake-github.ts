import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  commentBody,
  deploymentBody,
  deploymentStatusBody,
  type FakeUser,
  type StoredComment,
  type StoredDeployment,
  type StoredDeploymentStatus,
} from './fake-github-bodies';
import { checkRequest, checkResponse, type MatchedOperation } from './openapi-validator';

export type { StoredComment, StoredDeployment, StoredDeploymentStatus } from './fake-github-bodies';

/**
 * GitHub's REST API cannot be reached from tests: this speaks the endpoints ephenv uses (issue
 * comments, deployments and their statuses, environments). Every request is checked against
 * GitHub's published API description first, and every answer it gives too; what does not pass is
 * answered like GitHub would (404/422) and recorded in `violations`, which a test must find empty.
 */
export interface FakeGitHub {
  url: string;
  token: string;
  owner: string;
  repo: string;
  /** Issue comments by PR number, oldest first, as GitHub lists them. */
  comments: Map<number, StoredComment[]>;
  /** Deployments, oldest first. */
  deployments: StoredDeployment[];
  /** Environments that exist (created by the first deployment to them, as on GitHub). */
  environments: Set<string>;
  /** Every request, as "METHOD path?query". */
  requests: string[];
  /** Requests or answers that GitHub's API description does not allow, each saying why. */
  violations: string[];
  /** Answers to give instead of the real one, next requests first. */
  failNext(...answers: CannedAnswer[]): void;
  /** Items per page (GitHub's is per_page; small here to exercise pagination). */
  pageSize: number;
  /** Answer environment deletion with 403, as for a token without administration rights. */
  refuseEnvironmentDeletion: boolean;
  /** Adds an existing comment, as if written earlier by `user` (the Actions bot by default). */
  seed(pr: number, body: string, user?: FakeUser): StoredComment;
  /** Forgets everything stored and recorded (between tests). */
  reset(): void;
  close(): Promise<void>;
}

export interface CannedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const BOT: FakeUser = { login: 'github-actions[bot]', type: 'Bot' };

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function startFakeGitHub(options: { token?: string; owner?: string; repo?: string } = {}): Promise<FakeGitHub> {
  const token = options.token ?? 'ghs_fakeInstallationToken0123456789abcdef';
  const owner = options.owner ?? 'acme';
  const repo = options.repo ?? 'models';
  const canned: CannedAnswer[] = [];
  let nextId = 1000;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const tick = () => new Date((clock += 60_000)).toISOString().replace(/\.\d{3}Z$/, 'Z');

  const state: FakeGitHub = {
    url: '',
    token,
    owner,
    repo,
    comments: new Map(),
    deployments: [],
    environments: new Set(),
    requests: [],
    violations: [],
    pageSize: 100,
    refuseEnvironmentDeletion: false,
    seed: (pr, body, user = BOT) => store(pr, body, user),
    failNext: (...answers) => canned.push(...answers),
    reset: () => {
      state.comments.clear();
      state.deployments.length = 0;
      state.environments.clear();
      state.requests.length = 0;
      state.violations.length = 0;
      state.pageSize = 100;
      state.refuseEnvironmentDeletion = false;
      canned.length = 0;
    },
    close: () => Promise.resolve(),
  };

  const store = (pr: number, body: string, user: FakeUser): StoredComment => {
    const id = nextId++;
    const comment = { id, body, user: { ...user }, created_at: tick(), html_url: `https://github.com/${owner}/${repo}/pull/${pr}#issuecomment-${id}` };
    state.comments.set(pr, [...(state.comments.get(pr) ?? []), comment]);
    return comment;
  };

  /** One page of a list, with GitHub's Link header pointing to the next and last pages. */
  const page = <T>(all: T[], url: URL): Answer => {
    const perPage = Number(url.searchParams.get('per_page') ?? '30');
    const size = Math.min(state.pageSize, perPage);
    const current = Number(url.searchParams.get('page') ?? '1');
    const last = Math.max(1, Math.ceil(all.length / size));
    const link = (p: number, rel: string) => {
      const next = new URL(url);
      next.searchParams.set('page', String(p));
      return `<${next}>; rel="${rel}"`;
    };
    const links = current < last ? [link(current + 1, 'next'), link(last, 'last')] : [];
    return { status: 200, body: all.slice((current - 1) * size, current * size), headers: links.length ? { link: links.join(', ') } : {} };
  };

  const notFound: Answer = { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };

  const operate = (operation: MatchedOperation, url: URL, body: any): Answer => {
    const { params } = operation;
    if (params.owner !== owner || params.repo !== repo) return notFound;
    const deployment = () => state.deployments.find((d) => d.id === Number(params.deployment_id));
    switch (operation.operationId) {
      case 'issues/list-comments':
        return page(
          (state.comments.get(Number(params.issue_number)) ?? []).map((c) => commentBody(c, owner, repo, Number(params.issue_number))),
          url,
        );
      case 'issues/create-comment': {
        const pr = Number(params.issue_number);
        return { status: 201, body: commentBody(store(pr, body.body, BOT), owner, repo, pr) };
      }
      case 'issues/update-comment': {
        for (const [pr, list] of state.comments) {
          const found = list.find((c) => c.id === Number(params.comment_id));
          if (!found) continue;
          found.body = body.body;
          return { status: 200, body: commentBody(found, owner, repo, pr) };
        }
        return notFound;
      }
      case 'repos/create-deployment': {
        const { ref, environment = 'production', transient_environment = false, production_environment = environment === 'production', description = '', payload = '', ...rest } = body;
        const d: StoredDeployment = { id: nextId++, sha: /^[0-9a-f]{40}$/.test(ref) ? ref : 'f'.repeat(40), ref, environment, transient_environment, production_environment, description, payload, created_at: tick(), statuses: [], request: rest };
        state.deployments.push(d);
        state.environments.add(environment);
        return { status: 201, body: deploymentBody(d, owner, repo) };
      }
      case 'repos/list-deployments': {
        const environment = url.searchParams.get('environment');
        const sha = url.searchParams.get('sha');
        // GitHub lists the newest first.
        const matching = state.deployments.filter((d) => (environment === null || d.environment === environment) && (sha === null || d.sha === sha)).reverse();
        return page(
          matching.map((d) => deploymentBody(d, owner, repo)),
          url,
        );
      }
      case 'repos/create-deployment-status': {
        const d = deployment();
        if (!d) return notFound;
        const s: StoredDeploymentStatus = { id: nextId++, state: body.state, description: body.description ?? '', environment_url: body.environment_url ?? '', log_url: body.log_url ?? body.target_url ?? '', created_at: tick() };
        if (s.description.length > 140) return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'DeploymentStatus', code: 'custom', field: 'description', message: 'description is too long (maximum is 140 characters)' }], documentation_url: 'https://docs.github.com/rest' } };
        d.statuses.push(s);
        return { status: 201, body: deploymentStatusBody(d, s, owner, repo) };
      }
      case 'repos/list-deployment-statuses': {
        const d = deployment();
        if (!d) return notFound;
        return page(
          [...d.statuses].reverse().map((s) => deploymentStatusBody(d, s, owner, repo)),
          url,
        );
      }
      case 'repos/delete-an-environment': {
        if (state.refuseEnvironmentDeletion) return { status: 403, body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' } };
        if (!state.environments.delete(params.environment_name)) return notFound;
        return { status: 204 };
      }
      default:
        return { status: 501, body: { message: `the fake GitHub does not implement ${operation.operationId}` } };
    }
  };

  const send = (res: ServerResponse, answer: Answer) => {
    res.writeHead(answer.status, { ...(answer.body !== undefined && { 'content-type': 'application/json; charset=utf-8' }), ...answer.headers });
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, text: string) => {
    const url = new URL(req.url ?? '/', state.url);
    const method = req.method ?? 'GET';
    state.requests.push(`${method} ${url.pathname}${url.search}`);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      state.violations.push(`${method} ${url.pathname}: the body is not JSON`);
      return send(res, { status: 400, body: { message: 'Problems parsing JSON' } });
    }
    const check = checkRequest({ method, path: url.pathname, query: url.searchParams, body });
    if (!check.ok) {
      state.violations.push(`${method} ${url.pathname}${url.search}: ${check.problems.join('; ')}`);
      return send(res, check.status === 404 ? notFound : { status: 422, body: { message: 'Validation Failed', errors: check.problems.map((p) => ({ code: 'invalid', message: p })) } });
    }
    const answer = canned.shift();
    if (answer) return send(res, { status: answer.status, body: answer.body ?? { message: 'canned' }, headers: answer.headers });
    if (req.headers.authorization !== `token ${token}` && req.headers.authorization !== `Bearer ${token}`) {
      return send(res, { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } });
    }
    if (req.headers.accept !== 'application/vnd.github+json' || req.headers['x-github-api-version'] !== '2022-11-28') {
      return send(res, { status: 400, body: { message: 'missing Accept or X-GitHub-Api-Version header' } });
    }
    const result = operate(check.operation, url, body);
    const problems = checkResponse(check.operation, method, result.status, result.body);
    state.violations.push(...problems.map((p) => `the fake's own ${p}`));
    return send(res, result);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
