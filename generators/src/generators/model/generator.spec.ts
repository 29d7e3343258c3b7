import { readJson, readProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { modelGenerator } from './generator';

const snapshot = (tree: Tree) =>
  tree
    .listChanges()
    .map((c) => `${c.type} ${c.path} ${c.content?.toString('base64') ?? ''}`)
    .sort();

describe('model generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('writes a complete model service with its ephenv.json', async () => {
    await modelGenerator(tree, { name: 'fraud-detector', skipFormat: true });
    const root = 'apps/fraud-detector';
    for (const file of [
      'ephenv.json', 'project.json', 'Dockerfile', '.dockerignore', 'requirements.txt', 'requirements-dev.txt', 'train.py',
      'src/serve', 'src/inference/app.py', 'src/inference/model.py', 'src/inference/settings.py', 'src/inference/server.py',
      'schemas/input.schema.json', 'schemas/output.schema.json', 'schemas/examples/setosa.json', 'load/k6.js',
      'infra/main.tf', 'infra/variables.tf', 'infra/outputs.tf', 'infra/versions.tf', 'tests/test_app.py', 'tests/test_serve.py', 'README.md',
    ]) {
      expect(tree.exists(`${root}/${file}`), file).toBe(true);
    }
    const config = readJson(tree, `${root}/ephenv.json`);
    expect(config.$schema).toBe('../../libs/core/ephenv.schema.json');
    expect(config.name).toBe('fraud-detector');
    expect(config.endpoint).toMatchObject({ type: 'serverless', instanceType: 'ml.t2.medium', productionInstanceType: 'ml.g4dn.xlarge' });
    expect(config.load.scenario.executor).toBe('constant-arrival-rate');
    expect(config.load.thresholds.http_req_duration).toContain('p(95)<250');
    expect(config.evaluate).toEqual({
      data: { file: 'evaluation.jsonl', from: 'model' },
      task: 'classification',
      batchSize: 100,
      thresholds: {
        accuracy: { minAbsoluteChange: -0.02, threshold: 0.9 },
        f1_macro: { minAbsoluteChange: -0.02, threshold: 0.9 },
        log_loss: { minAbsoluteChange: -0.05 },
      },
    });

    const project = readProjectConfiguration(tree, 'fraud-detector');
    expect(project.root).toBe(root);
    expect(project.projectType).toBe('application');
    expect(project.targets).toEqual({});
  });

  it('renders the container contract, the server and the k6 script for the name', async () => {
    await modelGenerator(tree, { name: 'fraud-detector', skipFormat: true });
    const read = (f: string) => tree.read(`apps/fraud-detector/${f}`, 'utf-8') ?? '';
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM python:3\.11-slim$/m);
    expect(dockerfile).toContain('LABEL com.amazonaws.sagemaker.capabilities.accept-bind-to-port=true');
    expect(dockerfile).toMatch(/^USER 10001$/m);
    expect(dockerfile).toContain('EXPOSE 8080');
    expect(dockerfile).toContain('ENTRYPOINT ["serve"]');
    expect(read('src/inference/settings.py')).toContain('SAGEMAKER_BIND_TO_PORT');
    expect(read('src/inference/app.py')).toContain('FastAPI(title="fraud-detector"');
    expect(read('train.py')).toContain('trained fraud-detector');
    expect(read('train.py')).toContain('output / "evaluation.jsonl"');
    const k6 = read('load/k6.js');
    expect(k6).toContain('__ENV.BASE_URL');
    expect(k6).toContain('__ENV.TOKEN');
    expect(k6).toContain("JSON.parse(open('../ephenv.json'))");
    expect(k6).toContain("'../schemas/examples/batch.json', '../schemas/examples/setosa.json'");
    expect(k6).not.toContain('<%');
    expect(read('infra/main.tf')).toContain('source = "../../../libs/infra/preview-stack"');
    expect(tree.read('apps/fraud-detector/requirements.txt', 'utf-8')).toMatch(/^fastapi==\d+\.\d+\.\d+$/m);
  });

  it('keeps `serve` executable, as SageMaker runs it from PATH', async () => {
    await modelGenerator(tree, { name: 'fraud-detector', skipFormat: true });
    const serve = tree.listChanges().find((c) => c.path === 'apps/fraud-detector/src/serve');
    expect(serve?.options?.mode).toBe('755');
  });

  it('takes --endpointType, --instanceType, --productionInstanceType and --directory', async () => {
    await modelGenerator(tree, {
      name: 'churn',
      directory: 'models/team-a',
      endpointType: 'realtime',
      instanceType: 'ml.m5.large',
      productionInstanceType: 'ml.c5.xlarge',
      skipFormat: true,
    });
    const config = readJson(tree, 'models/team-a/churn/ephenv.json');
    expect(config.$schema).toBe('../../../libs/core/ephenv.schema.json');
    expect(config.endpoint).toMatchObject({ type: 'realtime', instanceType: 'ml.m5.large', productionInstanceType: 'ml.c5.xlarge' });
    expect(tree.read('models/team-a/churn/infra/main.tf', 'utf-8')).toContain('source = "../../../../libs/infra/preview-stack"');
  });

  it.each(['Fraud', 'fraud_detector', '9lives', 'a'.repeat(41), 'x--y', ''])('refuses the name %j, stating the rule, and writes nothing', async (name) => {
    const before = snapshot(tree);
    await expect(modelGenerator(tree, { name, skipFormat: true })).rejects.toThrow(/kebab-case .* starts with a letter, and has at most 40 characters/);
    expect(snapshot(tree)).toEqual(before);
  });

  it('writes --maxBatchSize into ephenv.json, the input schema and the model server, so all three agree', async () => {
    await modelGenerator(tree, { name: 'fraud-detector', maxBatchSize: 250, skipFormat: true });
    const root = 'apps/fraud-detector';
    expect(readJson(tree, `${root}/ephenv.json`).endpoint.maxBatchSize).toBe(250);
    expect(readJson(tree, `${root}/schemas/input.schema.json`).properties.instances.maxItems).toBe(250);
    expect(tree.read(`${root}/src/inference/app.py`, 'utf-8')).toContain('Field(min_length=1, max_length=250)');
    // Evaluation batches stay within what the endpoint accepts.
    expect(readJson(tree, `${root}/ephenv.json`).evaluate.batchSize).toBe(100);
    const small = createTreeWithEmptyWorkspace();
    await modelGenerator(small, { name: 'fraud-detector', maxBatchSize: 10, skipFormat: true });
    expect(readJson(small, `${root}/ephenv.json`).evaluate.batchSize).toBe(10);
    await expect(modelGenerator(createTreeWithEmptyWorkspace(), { name: 'other', maxBatchSize: 0 })).rejects.toThrow('--maxBatchSize must be a whole number from 1 to 100000; got "0".');
  });

  it('refuses an existing project and changes nothing', async () => {
    await modelGenerator(tree, { name: 'fraud-detector', skipFormat: true });
    const before = snapshot(tree);
    await expect(modelGenerator(tree, { name: 'fraud-detector', skipFormat: true })).rejects.toThrow(/already exists at apps\/fraud-detector/);
    await expect(modelGenerator(tree, { name: 'fraud-detector', directory: 'models', skipFormat: true })).rejects.toThrow(/already exists/);
    expect(snapshot(tree)).toEqual(before);
  });

  it('refuses bad instance types and endpoint types with the flag to fix', async () => {
    await expect(modelGenerator(tree, { name: 'm', instanceType: 't2.medium', skipFormat: true })).rejects.toThrow(/--instanceType must be a SageMaker instance type/);
    await expect(modelGenerator(tree, { name: 'm', endpointType: 'batch' as never, skipFormat: true })).rejects.toThrow(/--endpointType must be serverless or realtime/);
  });

  it('runs init: registers the plugin and adds the workflows', async () => {
    await modelGenerator(tree, { name: 'fraud-detector', skipFormat: true });
    expect(readJson(tree, 'nx.json').plugins).toContainEqual({ plugin: '@ephenv/nx', options: { sharedProjects: ['preview-stack'] } });
    expect(tree.exists('.github/workflows/ephemeral-env.yml')).toBe(true);
    expect(tree.exists('.github/workflows/reaper.yml')).toBe(true);
  });
});
