import type { ExecutorContext } from '@nx/devkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, json, PREDICTION, startLoopbackServer, type LoopbackServer, type TestWorkspace } from '@ephenv/benchmark/testing';
import runExecutor from './executor';

const TOKEN = 'preview-token-5f3a9c';
const LOAD = {
  scenario: { executor: 'constant-arrival-rate' as const, rate: 40, duration: '30s', preAllocatedVUs: 4, maxVUs: 8, gracefulStop: '5s' },
  thresholds: { http_req_duration: ['p(95)<500', 'p(99.9)<2000'], http_req_failed: ['rate<0.01'], checks: ['rate>0.99'] },
};

let server: LoopbackServer;
let failEvery = 0;
const workspaces: TestWorkspace[] = [];

beforeAll(async () => {
  server = await startLoopbackServer((req, res, n) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(res, 401, { error: 'unauthorized' });
    if (failEvery > 0 && n % failEvery === 0) return json(res, 502, { error: 'model error' });
    json(res, 200, PREDICTION);
  });
});
afterAll(() => server.close());
afterEach(() => {
  failEvery = 0;
  for (const w of workspaces.splice(0)) w.remove();
});

function workspace(): TestWorkspace {
  const w = createWorkspace(LOAD);
  workspaces.push(w);
  return w;
}

describe('benchmark executor', () => {
  const context = (w: TestWorkspace): ExecutorContext =>
    ({
      root: w.root,
      cwd: w.root,
      isVerbose: false,
      projectName: w.project,
      projectsConfigurations: { version: 2, projects: { [w.project]: { root: w.projectRoot } } },
      nxJsonConfiguration: {},
      projectGraph: { nodes: {}, dependencies: {} },
    }) as ExecutorContext;

  it('succeeds when thresholds pass, fails with exit code 99 when they fail, and fails without a preview', async () => {
    const w = workspace();
    const previous = process.env.EPHENV_TOKEN;
    delete process.env.EPHENV_TOKEN;
    try {
      expect(await runExecutor({ duration: '1s', rate: 10, engine: 'embedded', progress: false }, context(w))).toEqual({ success: false });
      w.recordPreview(server.url, TOKEN);
      expect(await runExecutor({ duration: '1s', rate: 10, engine: 'embedded', progress: false }, context(w))).toEqual({ success: true, exitCode: 0 });
      failEvery = 2;
      expect(await runExecutor({ duration: '1s', rate: 10, engine: 'embedded', progress: false }, context(w))).toEqual({ success: false, exitCode: 99 });
    } finally {
      if (previous !== undefined) process.env.EPHENV_TOKEN = previous;
    }
  });
});
