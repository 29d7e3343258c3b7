import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanCheckout, ephenv, git, nx, processesOf } from './support/checkout';

function setScenarioDuration(root: string, model: string, duration: string) {
  const file = join(root, 'apps', model, 'ephenv.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  config.load.scenario.duration = duration;
  writeFileSync(file, JSON.stringify(config, null, 2) + '\n');
}

// Each `nx` call starts a fresh Nx process that computes the project graph: seconds alone, a
// minute or more when CI runs every project's tests at once on two cores.
describe('a clean checkout', { timeout: 300_000 }, () => {
  let root: string;
  beforeAll(() => {
    root = cleanCheckout();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('`nx g @ephenv:model fraud-detector` creates the full service with inferred targets', () => {
    const generated = nx(root, 'g', '@ephenv:model', 'fraud-detector', '--no-interactive');
    expect(generated.code, generated.out).toBe(0);
    for (const file of ['ephenv.json', 'Dockerfile', 'src/serve', 'load/k6.js', 'infra/main.tf', 'tests/test_serve.py']) {
      expect(existsSync(join(root, 'apps/fraud-detector', file)), file).toBe(true);
    }
    const shown = nx(root, 'show', 'project', 'fraud-detector', '--json');
    expect(shown.code, shown.out).toBe(0);
    const project = JSON.parse(shown.out.slice(shown.out.indexOf('{'), shown.out.lastIndexOf('}') + 1));
    expect(Object.keys(project.targets)).toEqual(expect.arrayContaining(['train', 'test', 'infra-validate', 'deploy-preview', 'destroy-preview']));
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'add fraud-detector');
  });

  it('refuses a second run with the same name and changes nothing; --dry-run writes nothing', () => {
    const again = nx(root, 'g', '@ephenv:model', 'fraud-detector', '--no-interactive');
    expect(again.code).not.toBe(0);
    expect(again.out).toContain('a project of that name already exists');
    const dry = nx(root, 'g', '@ephenv:model', 'churn-model', '--dry-run', '--no-interactive');
    expect(dry.code, dry.out).toBe(0);
    expect(dry.out).toContain('CREATE apps/churn-model/ephenv.json');
    const bad = nx(root, 'g', '@ephenv:model', 'Churn_Model', '--no-interactive');
    expect(bad.code).not.toBe(0);
    expect(bad.out).toContain('kebab-case');
    expect(git(root, 'status', '--porcelain')).toBe('');
  });

  it('runs the generated service\'s tests against the real server', () => {
    const test = nx(root, 'run', 'fraud-detector:test');
    expect(test.code, test.out).toBe(0);
    expect(test.out).toMatch(/\d+ passed/);
  }, 600_000);

  it('validates the generated Terraform stack offline', () => {
    const validated = nx(root, 'run', 'fraud-detector:infra-validate');
    expect(validated.code, validated.out).toBe(0);
    expect(validated.out).toContain('The configuration is valid.');
    expect(existsSync(join(root, 'apps/fraud-detector/infra/.terraform'))).toBe(false);
  }, 300_000);

  it('affects only the model a change touches, and every model when the shared stack changes', () => {
    const affected = () => nx(root, 'show', 'projects', '--affected', '--base=HEAD', '--head=', '--type=app').out;
    writeFileSync(join(root, 'apps/fraud-detector/train.py'), readFileSync(join(root, 'apps/fraud-detector/train.py'), 'utf8') + '\n# tuned\n');
    let out = nx(root, 'show', 'projects', '--affected', '--files=apps/fraud-detector/train.py').out;
    expect(out).toContain('fraud-detector');
    expect(out).not.toContain('iris-classifier');
    out = nx(root, 'show', 'projects', '--affected', '--files=libs/infra/preview-stack/main.tf').out;
    expect(out).toContain('fraud-detector');
    expect(out).toContain('iris-classifier');
    expect(affected()).toContain('fraud-detector');
  });

  it('previews a model: deploy, validate (JSON + JUnit), benchmark within thresholds, exit 99 when tightened, destroy', () => {
    const deployed = nx(root, 'run', 'iris-classifier:deploy-preview');
    expect(deployed.code, deployed.out).toBe(0);
    expect(deployed.out).toMatch(/URL: +http:\/\/127\.0\.0\.1:\d+/);
    const record = JSON.parse(readFileSync(join(root, '.ephenv/previews/iris-classifier.json'), 'utf8'));
    expect(deployed.out).not.toContain(record.token);
    try {
      const validated = nx(root, 'run', 'iris-classifier:validate');
      expect(validated.code, validated.out).toBe(0);
      const report = JSON.parse(readFileSync(join(root, 'dist/ephenv/iris-classifier/validate.json'), 'utf8'));
      expect(report.status).toBe('pass');
      expect(report.checks.filter((c: { part: string }) => c.part === 'live').length).toBeGreaterThan(5);
      expect(readFileSync(join(root, 'dist/ephenv/iris-classifier/validate.junit.xml'), 'utf8')).toMatch(/<testsuites[^>]* failures="0"/);

      const benchmarked = ephenv(root, 'benchmark', 'iris-classifier', '--duration', '3s');
      expect(benchmarked.code, benchmarked.out).toBe(0);
      const summary = JSON.parse(readFileSync(join(root, 'dist/ephenv/iris-classifier/benchmark.json'), 'utf8'));
      expect(summary.metrics.http_reqs.values.count).toBeGreaterThan(40);
      expect(summary.ephenv.thresholds.ok).toBe(true);

      const tightened = ephenv(root, 'benchmark', 'iris-classifier', '--duration', '2s', '--thresholds', '{"http_req_duration":["p(95)<0.01"]}');
      expect(tightened.code, tightened.out).toBe(99);
      expect(tightened.out).toContain('p(95)<0.01');
    } finally {
      const destroyed = nx(root, 'run', 'iris-classifier:destroy-preview');
      expect(destroyed.code, destroyed.out).toBe(0);
    }
    expect(processesOf(root)).toEqual([]);
  }, 300_000);

  it('`ephenv deploy <model>` and `ephenv destroy <model>` do the same outside Nx, with the executor schema\'s checks', () => {
    const recordFile = join(root, '.ephenv/previews/iris-classifier.json');
    const bad = ephenv(root, 'deploy', 'iris-classifier', '--provider', 'gcp', '--lock-timeout', '5x');
    expect(bad.code, bad.out).toBe(1);
    expect(bad.out).toContain('--provider must be one of "local", "aws" (got "gcp")');
    expect(bad.out).toContain('--lock-timeout must match pattern');
    expect(existsSync(recordFile)).toBe(false);

    const deployed = ephenv(root, 'deploy', 'iris-classifier');
    expect(deployed.code, deployed.out).toBe(0);
    expect(deployed.out).toMatch(/URL: +http:\/\/127\.0\.0\.1:\d+/);
    const record = JSON.parse(readFileSync(recordFile, 'utf8'));
    expect(deployed.out).not.toContain(record.token);
    const destroyed = ephenv(root, 'destroy', 'iris-classifier');
    expect(destroyed.code, destroyed.out).toBe(0);
    expect(destroyed.out).toContain('destroyed the local preview of iris-classifier');
    expect(existsSync(recordFile)).toBe(false);
    expect(processesOf(root)).toEqual([]);
  }, 300_000);

  it('runs the whole PR lifecycle for every model (npm start) and leaves no process behind', () => {
    for (const model of ['iris-classifier', 'fraud-detector']) setScenarioDuration(root, model, '3s');
    const run = ephenv(root, 'pr', '--all', '--destroy');
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain('<!-- ephenv:preview-comment -->');
    expect(run.out).toContain('all green');
    for (const model of ['iris-classifier', 'fraud-detector']) {
      for (const file of ['validate.json', 'validate.junit.xml', 'evaluate.json', 'benchmark.json']) expect(existsSync(join(root, 'dist/ephenv', model, file)), `${model}/${file}`).toBe(true);
      // The generated evaluate section: the held-out split train.py wrote, against main's model.
      const evaluation = JSON.parse(readFileSync(join(root, 'dist/ephenv', model, 'evaluate.json'), 'utf8'));
      expect(evaluation, model).toMatchObject({ status: 'pass', diff: { total: 60 } });
    }
    expect(readdirSync(join(root, '.ephenv/previews')).filter((f) => f.endsWith('.json'))).toEqual([]);
    expect(processesOf(root)).toEqual([]);
  }, 300_000);

  it('fails the PR and says which model and why on a breaking schema change or a failing threshold', () => {
    const schemaFile = join(root, 'apps/fraud-detector/schemas/input.schema.json');
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
    schema.definitions.length.maximum = 50;
    writeFileSync(schemaFile, JSON.stringify(schema, null, 2));
    const configFile = join(root, 'apps/iris-classifier/ephenv.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    config.load.thresholds.http_req_duration = ['p(95)<0.01'];
    writeFileSync(configFile, JSON.stringify(config, null, 2));

    const run = ephenv(root, 'pr', '--all', '--destroy', '--base', 'HEAD');
    expect(run.code, run.out).not.toBe(0);
    const comment = readFileSync(join(root, 'dist/ephenv/comment.md'), 'utf8');
    expect(comment).toContain('fraud-detector');
    expect(comment).toContain('/instances/*/sepal_length');
    expect(comment).toContain('iris-classifier');
    expect(comment).toContain('p(95)<0.01');
    expect(run.out).toMatch(/failed for fraud-detector, iris-classifier/);
    expect(processesOf(root)).toEqual([]);
  }, 300_000);
});
