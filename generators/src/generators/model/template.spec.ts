import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { acmeGeneratorIn, installAcmeGenerator } from '../../../tests/support/yeoman-fixture';
import { modelGenerator } from './generator';
import { resolveGenerator } from './lib/run-yeoman-template';

const snapshot = (tree: Tree) =>
  tree
    .listChanges()
    .map((c) => `${c.type} ${c.path} ${c.content?.toString('base64') ?? ''}`)
    .sort();
const scratchFolders = () => readdirSync(tmpdir()).filter((f) => f.startsWith('ephenv-yeoman-'));

describe('model generator --template: a Yeoman generator as the container and serving code', () => {
  let installed: string;
  let acme: string;
  let tree: Tree;
  beforeAll(() => {
    installed = installAcmeGenerator();
    acme = acmeGeneratorIn(installed);
  });
  afterAll(() => rmSync(installed, { recursive: true, force: true }));
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it("imports the generator's Dockerfile and serving code and adds ephenv's parts", async () => {
    const before = scratchFolders();
    await modelGenerator(tree, { name: 'churn-model', template: acme, templateAnswers: '{"team":"risk"}', skipFormat: true });
    const read = (f: string) => tree.read(`apps/churn-model/${f}`, 'utf-8');
    // From Yeoman, rendered with the answers and the model's name.
    expect(read('Dockerfile')).toContain('# acme SageMaker serving image for churn-model (team risk)');
    expect(read('src/acme/server.py')).toContain('app = FastAPI(title="churn-model")');
    expect(read('src/acme/server.py')).toContain('@app.get("/ping")');
    expect(read('src/serve')).toContain('from acme.server import main');
    expect(tree.listChanges().find((c) => c.path === 'apps/churn-model/src/serve')?.options?.mode).toBe('755');
    expect(read('requirements.txt')).not.toContain('pytest');
    // ephenv's server, its Dockerfile and the tests of its internals are not there.
    for (const gone of ['src/inference/app.py', 'src/inference/model.py', 'tests/test_app.py', '.dockerignore']) expect(tree.exists(`apps/churn-model/${gone}`), gone).toBe(false);
    // ephenv's own parts.
    for (const file of ['ephenv.json', 'project.json', 'train.py', 'schemas/input.schema.json', 'schemas/examples/setosa.json', 'load/k6.js', 'infra/main.tf', 'tests/test_serve.py', 'tests/conftest.py', 'requirements-dev.txt']) {
      expect(tree.exists(`apps/churn-model/${file}`), file).toBe(true);
    }
    expect(readJson(tree, 'apps/churn-model/ephenv.json')).toMatchObject({ name: 'churn-model', evaluate: { data: { file: 'evaluation.jsonl', from: 'model' } } });
    expect(read('README.md')).toContain('from the Yeoman generator `' + acme + '`');
    expect(scratchFolders()).toEqual(before);
  });

  it('refuses a container without /ping, naming exactly what is missing, and writes nothing', async () => {
    const before = snapshot(tree);
    const scratch = scratchFolders();
    const refused = modelGenerator(tree, { name: 'churn-model', template: acme, templateAnswers: '{"team":"risk","healthRoute":"/health"}', skipFormat: true });
    await expect(refused).rejects.toThrow(
      `Cannot create model service "churn-model" from --template ${acme}: its output cannot be deployed by SageMaker or previewed by ephenv. Missing:\n` +
        '  - GET /ping: no such route in the serving code (src/serve, src/**/*.py): SageMaker and the preview\'s health check call it\n' +
        'Fix the generator (or its --templateAnswers) so its container has these.',
    );
    expect(snapshot(tree)).toEqual(before);
    expect(scratchFolders()).toEqual(scratch);
  });

  it('takes the answers from a JSON file; a question without answer or default is an error naming it', async () => {
    const file = join(installed, 'answers.json');
    writeFileSync(file, JSON.stringify({ team: 'fraud' }));
    await modelGenerator(tree, { name: 'churn-model', template: acme, templateAnswers: file, skipFormat: true });
    expect(tree.read('apps/churn-model/Dockerfile', 'utf-8')).toContain('(team fraud)');

    const other = createTreeWithEmptyWorkspace();
    const before = snapshot(other);
    await expect(modelGenerator(other, { name: 'churn-model', template: acme, skipFormat: true })).rejects.toThrow(
      `the Yeoman generator ${acme} asks "Which team owns the service?" (team) and has no default: answer it with --templateAnswers '{"team": ...}'.`,
    );
    expect(snapshot(other)).toEqual(before);
  });

  it('refuses bad --templateAnswers, --templateAnswers alone and a generator that is not installed', async () => {
    await expect(modelGenerator(tree, { name: 'm', template: acme, templateAnswers: '{team: risk}', skipFormat: true })).rejects.toThrow(
      /^--templateAnswers must be a JSON object such as '\{"framework":"sklearn"\}' or the path of a JSON file; got "\{team: risk\}"/,
    );
    await expect(modelGenerator(tree, { name: 'm', template: acme, templateAnswers: '["risk"]', skipFormat: true })).rejects.toThrow('--templateAnswers must be a JSON object (question name -> answer); got ["risk"].');
    await expect(modelGenerator(tree, { name: 'm', templateAnswers: '{}', skipFormat: true })).rejects.toThrow('--templateAnswers answers the questions of a --template generator; pass --template <generator> too.');
    await expect(modelGenerator(tree, { name: 'm', template: 'generator-not-installed', skipFormat: true })).rejects.toThrow(
      /--template generator-not-installed: no such package in .*node_modules; install it \(npm install --save-dev generator-not-installed\) or pass a path to the generator\./,
    );
    await expect(modelGenerator(tree, { name: 'm', template: installed, skipFormat: true })).rejects.toThrow(`is not a Yeoman generator (no generators/app/index.js or app/index.js)`);
    expect(tree.exists('apps/m')).toBe(false);
  });

  it('finds a generator by package name in the workspace node_modules, or by a path to its package or entry file', () => {
    const entry = join(acme, 'generators', 'app', 'index.js');
    expect(resolveGenerator(installed, 'generator-acme-sagemaker')).toBe(entry);
    expect(resolveGenerator(installed, './node_modules/generator-acme-sagemaker')).toBe(entry);
    expect(resolveGenerator('/elsewhere', entry)).toBe(entry);
  });

  it('is idempotent: a second run refuses the existing model and changes nothing', async () => {
    const options = { name: 'churn-model', template: acme, templateAnswers: '{"team":"risk"}', skipFormat: true };
    await modelGenerator(tree, options);
    const before = snapshot(tree);
    await expect(modelGenerator(tree, options)).rejects.toThrow(/already exists at apps\/churn-model/);
    expect(snapshot(tree)).toEqual(before);
  });
});
