import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** GitHub's REST API cannot be reached from tests: this speaks the three endpoints ephenv comment uses. */
export interface FakeGitHub {
  url: string;
  token: string;
  owner: string;
  repo: string;
  /** Issue comments by PR number, oldest first, as GitHub lists them. */
  comments: Map<number, StoredComment[]>;
  /** Every request, as "METHOD path?query". */
  requests: string[];
  /** Answers to give instead of the real one, next requests first. */
  failNext(...answers: CannedAnswer[]): void;
  /** Comments per page (GitHub's is per_page; small here to exercise pagination). */
  pageSize: number;
  /** Adds an existing comment, as if written earlier by `user` (the Actions bot by default). */
  seed(pr: number, body: string, user?: StoredComment['user']): StoredComment;
  close(): Promise<void>;
}

export interface StoredComment {
  id: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
  created_at: string;
  html_url: string;
}

export interface CannedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const BOT = { login: 'github-actions[bot]', type: 'Bot' } as const;

export async function startFakeGitHub(options: { token?: string; owner?: string; repo?: string } = {}): Promise<FakeGitHub> {
  const token = options.token ?? 'ghs_fakeInstallationToken0123456789abcdef';
  const owner = options.owner ?? 'acme';
  const repo = options.repo ?? 'models';
  const comments = new Map<number, StoredComment[]>();
  const requests: string[] = [];
  const canned: CannedAnswer[] = [];
  let nextId = 1000;
  let clock = Date.parse('2026-01-01T00:00:00Z');

  const store = (pr: number, body: string, user: StoredComment['user']): StoredComment => {
    const id = nextId++;
    clock += 60_000;
    const comment = { id, body, user: { ...user }, created_at: new Date(clock).toISOString(), html_url: `https://github.com/${owner}/${repo}/pull/${pr}#issuecomment-${id}` };
    comments.set(pr, [...(comments.get(pr) ?? []), comment]);
    return comment;
  };

  const state: FakeGitHub = {
    url: '',
    token,
    owner,
    repo,
    comments,
    requests,
    pageSize: 100,
    seed: (pr, body, user = BOT) => store(pr, body, user),
    failNext: (...answers) => canned.push(...answers),
    close: () => Promise.resolve(),
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, text: string) => {
    const url = new URL(req.url ?? '/', state.url);
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const answer = canned.shift();
    if (answer) return send(res, answer.status, answer.body ?? { message: 'canned' }, answer.headers);
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    if (req.headers.accept !== 'application/vnd.github+json' || req.headers['x-github-api-version'] !== '2022-11-28') {
      return send(res, 400, { message: 'missing Accept or X-GitHub-Api-Version header' });
    }

    const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    const update = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
    const match = list ?? update;
    if (!match || match[1] !== owner || match[2] !== repo) return send(res, 404, { message: 'Not Found' });

    if (list && req.method === 'GET') {
      const all = comments.get(Number(list[3])) ?? [];
      const page = Number(url.searchParams.get('page') ?? '1');
      const size = Math.min(state.pageSize, Number(url.searchParams.get('per_page') ?? '30'));
      const last = Math.max(1, Math.ceil(all.length / size));
      const link = (p: number, rel: string) => `<${state.url}${url.pathname}?per_page=${url.searchParams.get('per_page') ?? '30'}&page=${p}>; rel="${rel}"`;
      const links = page < last ? [link(page + 1, 'next'), link(last, 'last')] : [];
      return send(res, 200, all.slice((page - 1) * size, page * size), links.length ? { link: links.join(', ') } : {});
    }
    if (list && req.method === 'POST') {
      const pr = Number(list[3]);
      const comment = store(pr, (JSON.parse(text) as { body: string }).body, BOT);
      return send(res, 201, comment);
    }
    if (update && req.method === 'PATCH') {
      const id = Number(update[3]);
      const found = [...comments.values()].flat().find((c) => c.id === id);
      if (!found) return send(res, 404, { message: 'Not Found' });
      found.body = (JSON.parse(text) as { body: string }).body;
      return send(res, 200, found);
    }
    return send(res, 404, { message: 'Not Found' });
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
