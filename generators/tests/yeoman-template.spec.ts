import { ensureVenv, linesTo, modelArtifactDir, processesMentioning } from '@ephenv/core';
import { deployPreview, destroyPreview } from '@ephenv/preview';
import { runValidate } from '@ephenv/validate';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, git, nx } from './support/checkout';
import { generatedModelRepo } from './support/generated-model';
import { acmeGeneratorIn, installAcmeGenerator } from './support/yeoman-fixture';

const MODEL = 'acme-iris';
const quiet = linesTo(() => undefined);

describe('nx g @ephenv:model --template through the Nx CLI', () => {
  it('--dry-run runs the Yeoman generator, lists what the model would get and writes nothing', () => {
    const before = git(REPO, 'status', '--porcelain');
    const fixture = join('generators', 'tests', 'fixtures', 'generator-acme-sagemaker');
    const dry = nx(REPO, 'g', '@ephenv:model', 'acme-dry-run', '--template', `./${fixture}`, '--templateAnswers', '{"team":"risk"}', '--dry-run', '--no-interactive');
    expect(dry.code, dry.out).toBe(0);
    for (const file of ['Dockerfile', 'src/serve', 'src/acme/server.py', 'ephenv.json', 'train.py', 'schemas/examples/setosa.json', 'load/k6.js', 'infra/main.tf']) {
      expect(dry.out).toContain(`CREATE apps/acme-dry-run/${file}`);
    }
    expect(dry.out).not.toContain('src/inference/');
    expect(existsSync(join(REPO, 'apps', 'acme-dry-run'))).toBe(false);
    expect(git(REPO, 'status', '--porcelain')).toBe(before);
  }, 300_000);
});

describe("--template: the fixture Yeoman generator's output as a model, previewed locally", () => {
  let installed: string;
  let root: string;
  let projectRoot: string;
  const ref = () => ({ workspaceRoot: root, project: MODEL, projectRoot });

  beforeAll(async () => {
    installed = installAcmeGenerator();
    ({ root, projectRoot } = await generatedModelRepo({ name: MODEL, template: acmeGeneratorIn(installed), templateAnswers: '{"team":"risk"}' }));
  }, 600_000);
  afterAll(async () => {
    if (root) {
      await destroyPreview(ref(), {}, quiet);
      rmSync(root, { recursive: true, force: true });
    }
    rmSync(installed, { recursive: true, force: true });
  });

  it("its serving code answers the examples as ephenv's own server would: the local preview passes validate", async () => {
    const { python } = await ensureVenv(root, join(root, projectRoot));
    execFileSync(python, [join(root, projectRoot, 'train.py'), '--output', modelArtifactDir(root, projectRoot)], { stdio: 'ignore' });
    const record = await deployPreview(ref(), { pr: '5' }, quiet);
    expect(record.processes?.model.command.join(' ')).toContain(join(projectRoot, 'src', 'serve'));
    const printed: string[] = [];
    const { success, report } = await runValidate({ base: 'HEAD' }, { ...ref(), logger: linesTo((t) => printed.push(t)) });
    expect(success, printed.join('\n')).toBe(true);
    expect(report.live.ran).toBe(true);
    const examples = report.checks.filter((c) => c.part === 'live' && c.name.startsWith('example '));
    expect(examples.map((c) => c.name).sort()).toEqual(['example batch', 'example setosa', 'example versicolor', 'example virginica']);
    expect(examples.every((c) => c.status === 'pass')).toBe(true);
    // The model process is acme's server (src/acme/server.py imported by acme's src/serve), not ephenv's.
    expect(readFileSync(join(root, projectRoot, 'src/serve'), 'utf8')).toContain('from acme.server import main');
  }, 600_000);

  it('its pytest suite (tests/test_serve.py: the real serve process against the examples) passes', async () => {
    const { python } = await ensureVenv(root, join(root, projectRoot));
    const run = spawnSync(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests'], {
      cwd: join(root, projectRoot),
      env: { ...process.env, EPHENV_MODEL_DIR: modelArtifactDir(root, projectRoot) },
      encoding: 'utf8',
    });
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/\b1 passed\b/);
  }, 600_000);

  it('destroy stops the preview: no process of the repository is left', async () => {
    await destroyPreview(ref(), {}, quiet);
    expect(processesMentioning(root)).toEqual([]);
  }, 120_000);
});
