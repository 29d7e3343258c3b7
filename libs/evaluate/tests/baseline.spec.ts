import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, linesTo } from '@ephenv/core';
import { startLocalBaseline, type LocalBaseline } from '../src/baseline';
import { makeGitWorkspace, type GitWorkspace } from './helpers/git-workspace';

describe("the local baseline: the base's train target through Nx, in a real git repository", () => {
  let ws: GitWorkspace;
  let base: string;
  const skipCache = process.env.NX_SKIP_NX_CACHE;

  beforeAll(async () => {
    ws = await makeGitWorkspace();
    ws.addModel('iris');
    ws.git('add', '-A');
    ws.git('commit', '--quiet', '-m', 'the model on main');
    base = ws.git('rev-parse', 'HEAD').trim();
    ws.git('checkout', '--quiet', '-b', 'pr');
  }, 600_000);
  afterAll(() => {
    if (skipCache === undefined) delete process.env.NX_SKIP_NX_CACHE;
    else process.env.NX_SKIP_NX_CACHE = skipCache;
    ws?.cleanup();
  });

  /** Starts the baseline of `base`, asks it the example batch, stops it and checks nothing is left. */
  const baselineOnce = async () => {
    const printed: string[] = [];
    const baseline: LocalBaseline = await startLocalBaseline(ws.root, base, 'apps/iris', 'iris', linesTo((t) => printed.push(t)));
    try {
      const batch = JSON.parse(readFileSync(join(ws.root, 'apps/iris/schemas/examples/batch.json'), 'utf8')).request;
      const res = await fetch(`${baseline.url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
      expect(res.status).toBe(200);
      return { training: baseline.training, answer: await res.json(), printed: printed.join('\n') };
    } finally {
      await baseline.stop();
      expect(isAlive(baseline.pid), `baseline server pid ${baseline.pid} still running`).toBe(false);
      expect(ws.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    }
  };

  it("a second baseline of the same base is read from Nx's cache (nx run iris:train [local cache]); NX_SKIP_NX_CACHE=true trains again", async () => {
    // The tests' environment sets it for every Nx run; a user who did not ask for it has it unset.
    delete process.env.NX_SKIP_NX_CACHE;
    const first = await baselineOnce();
    const second = await baselineOnce();
    process.env.NX_SKIP_NX_CACHE = 'true';
    const skipped = await baselineOnce();
    console.log(`base's nx run iris:train: trained in ${first.training.ms.toFixed(0)} ms, from the cache in ${second.training.ms.toFixed(0)} ms, with NX_SKIP_NX_CACHE ${skipped.training.ms.toFixed(0)} ms (machine shared with other test runs)`);
    expect(first.training.cached).toBe(false);
    expect(first.printed).toMatch(/^ephenv: base model \(\w+\): nx run iris:train trained in [\d.]+ s$/m);
    expect(second.training.cached).toBe(true);
    expect(second.printed).toMatch(/^ephenv: base model \(\w+\): nx run iris:train read from Nx's cache in [\d.]+ s$/m);
    expect(skipped.training.cached).toBe(false);
    // The model restored from the cache is the one trained: the same answers.
    expect(second.answer).toEqual(first.answer);
    expect(skipped.answer).toEqual(first.answer);
    expect((first.answer as { predictions: unknown[] }).predictions).toHaveLength(3);
  }, 600_000);

  it("a base whose train target fails: the error names the target and shows Nx's output; nothing is left", async () => {
    const train = join(ws.root, 'apps/iris/train.py');
    ws.git('checkout', '--quiet', '-b', 'broken-base');
    writeFileSync(train, readFileSync(train, 'utf8').replace('def main(', 'raise SystemExit("the training data is gone")\n\n\ndef main('));
    ws.git('commit', '--quiet', '-am', 'a broken train.py');
    const broken = ws.git('rev-parse', 'HEAD').trim();
    ws.git('checkout', '--quiet', 'pr');
    await expect(startLocalBaseline(ws.root, broken, 'apps/iris', 'iris', linesTo(() => undefined))).rejects.toThrow(
      /training the base's model failed: nx run iris:train exited 1 in the base's worktree:[\s\S]*the training data is gone/,
    );
    expect(ws.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
  }, 600_000);
});
