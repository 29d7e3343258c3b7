import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirementFiles, venvKey } from '@ephenv/core';
import { cleanCheckout, ephenv, git, nx, processesOf, REPO } from './support/checkout';

/** Every framework besides sklearn (workspace-e2e.spec.ts), end to end in a clean checkout, as a user runs it. */
const FRAMEWORKS = [
  { framework: 'lightgbm', classes: ['class_0', 'class_1', 'class_2'], heldOut: 72 },
  { framework: 'pytorch', classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], heldOut: 450 },
  { framework: 'onnx', classes: ['malignant', 'benign'], heldOut: 228 },
];

/** Whether the virtualenv of these requirements is still to be built (the checkout shares the repository's venvs). */
const venvIsCold = (projectDir: string) => !existsSync(join(REPO, '.ephenv', 'venvs', venvKey(requirementFiles(projectDir)), '.ephenv-ready'));

describe('a model of each framework in a clean checkout', { timeout: 600_000 }, () => {
  let root: string;
  beforeAll(() => {
    root = cleanCheckout();
  });
  // Each test destroys its own preview in a finally; this only removes the checkout.
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  for (const { framework, classes, heldOut } of FRAMEWORKS) {
    const model = `${framework}-model`;
    it(`${framework}: generate, test, infra-validate, deploy-preview, validate, benchmark, destroy-preview; no process left`, () => {
      const generated = nx(root, 'g', '@ephenv:model', model, '--framework', framework, '--no-interactive');
      expect(generated.code, generated.out).toBe(0);
      expect(JSON.parse(readFileSync(join(root, 'apps', model, 'ephenv.json'), 'utf8')).framework).toBe(framework);
      git(root, 'add', '-A');
      git(root, 'commit', '-q', '-m', `add ${model}`);

      const cold = venvIsCold(join(root, 'apps', model));
      const tested = nx(root, 'run', `${model}:test`);
      expect(tested.code, tested.out).toBe(0);
      // The first target to need the venv builds it (pip's progress, then how long it took); every later one reuses it.
      if (cold) expect(tested.out).toMatch(/ephenv: creating a virtualenv[^]*Successfully installed[^]*ephenv: virtualenv ready in \d+\.\d s/);
      else expect(tested.out).not.toContain('creating a virtualenv');
      expect(tested.out).toMatch(/\d+ passed/);
      expect(tested.out).not.toMatch(/\d+ (failed|skipped)/);
      // train.py's held-out rows, one per line, labelled with the framework's classes.
      const rows = readFileSync(join(root, 'dist', 'apps', model, 'model', 'evaluation.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(rows).toHaveLength(heldOut);
      expect(new Set(rows.map((r) => r.expected))).toEqual(new Set(classes));

      const validatedInfra = nx(root, 'run', `${model}:infra-validate`);
      expect(validatedInfra.code, validatedInfra.out).toBe(0);
      expect(validatedInfra.out).toContain('The configuration is valid.');

      const deployed = nx(root, 'run', `${model}:deploy-preview`);
      expect(deployed.code, deployed.out).toBe(0);
      expect(deployed.out).toMatch(/URL: +http:\/\/127\.0\.0\.1:\d+/);
      expect(deployed.out, 'installed once per requirements hash').not.toContain('creating a virtualenv');
      try {
        const validated = nx(root, 'run', `${model}:validate`);
        expect(validated.code, validated.out).toBe(0);
        const report = JSON.parse(readFileSync(join(root, 'dist/ephenv', model, 'validate.json'), 'utf8'));
        expect(report.status).toBe('pass');
        expect(report.checks.filter((c: { part: string }) => c.part === 'live').length).toBeGreaterThan(5);

        const benchmarked = ephenv(root, 'benchmark', model, '--duration', '3s');
        expect(benchmarked.code, benchmarked.out).toBe(0);
        const summary = JSON.parse(readFileSync(join(root, 'dist/ephenv', model, 'benchmark.json'), 'utf8'));
        expect(summary.metrics.http_reqs.values.count).toBeGreaterThan(40);
        expect(summary.metrics.http_req_failed.values.rate).toBe(0);
        expect(summary.ephenv.thresholds.ok).toBe(true);
      } finally {
        const destroyed = nx(root, 'run', `${model}:destroy-preview`);
        expect(destroyed.code, destroyed.out).toBe(0);
      }
      expect(existsSync(join(root, '.ephenv/previews', `${model}.json`))).toBe(false);
      expect(processesOf(root)).toEqual([]);
    });
  }
});
