import { readJson, readProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { modelGenerator } from './generator';
import type { ModelGeneratorSchema } from './schema';

type FrameworkName = NonNullable<ModelGeneratorSchema['framework']>;

interface Expected {
  artifact: string;
  /** Pinned requirements the service cannot run or train without. */
  pins: string[];
  classes: string[];
  featureCount: number;
  /** A feature by its identifier (the data set's own name, made an identifier where it was not one). */
  renamedFeature: string;
  examples: string[];
  systemPackages: string[];
  /** What `pip install` in the Dockerfile adds to the requirements (PyTorch's CPU wheel index). */
  dockerPipArgs: string;
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

const EXPECTED: Record<'lightgbm' | 'pytorch' | 'onnx', Expected> = {
  lightgbm: {
    artifact: 'model.txt',
    pins: ['lightgbm==4.7.0', 'numpy==2.1.3', 'scikit-learn==1.6.1', 'fastapi==0.142.2'],
    classes: ['class_0', 'class_1', 'class_2'],
    featureCount: 13,
    renamedFeature: 'od280_od315_of_diluted_wines',
    examples: ['batch', 'class_0', 'class_1', 'class_2'],
    systemPackages: ['libgomp1'],
    dockerPipArgs: '',
  },
  pytorch: {
    artifact: 'model.pt',
    pins: ['torch==2.13.0+cpu', 'numpy==2.1.3', 'scikit-learn==1.6.1', 'fastapi==0.142.2'],
    classes: DIGITS,
    featureCount: 64,
    renamedFeature: 'pixel_7_7',
    examples: ['batch', ...DIGITS],
    systemPackages: [],
    dockerPipArgs: ' --extra-index-url https://download.pytorch.org/whl/cpu',
  },
  onnx: {
    artifact: 'model.onnx',
    pins: ['onnxruntime==1.30.0', 'onnx==1.23.1', 'numpy==2.1.3', 'scikit-learn==1.6.1'],
    classes: ['malignant', 'benign'],
    featureCount: 30,
    renamedFeature: 'worst_concave_points',
    examples: ['batch', 'benign', 'malignant'],
    systemPackages: [],
    dockerPipArgs: '',
  },
};

async function generate(framework: FrameworkName): Promise<{ tree: Tree; read: (file: string) => string; json: (file: string) => any }> {
  const tree = createTreeWithEmptyWorkspace();
  await modelGenerator(tree, { name: 'svc', framework, skipFormat: true });
  const read = (file: string) => {
    const content = tree.read(`apps/svc/${file}`, 'utf-8');
    if (content === null) throw new Error(`apps/svc/${file} was not generated`);
    return content;
  };
  return { tree, read, json: (file) => readJson(tree, `apps/svc/${file}`) };
}

describe('model generator --framework', () => {
  for (const [framework, expected] of Object.entries(EXPECTED) as [FrameworkName, Expected][]) {
    describe(framework, () => {
      it('writes a service whose ephenv.json, project tag, pins and container name the framework', async () => {
        const { tree, read, json } = await generate(framework);
        expect(json('ephenv.json').framework).toBe(framework);
        expect(json('ephenv.json').evaluate.data).toEqual({ file: 'evaluation.jsonl', from: 'model' });
        expect(readProjectConfiguration(tree, 'svc').tags).toContain(`framework:${framework}`);
        const requirements = read('requirements.txt').trim().split('\n');
        for (const pin of expected.pins) expect(requirements).toContain(pin);
        // Pinned to one release (a local version such as torch's +cpu build included).
        // The one other line allowed: the index of a build PyPI does not have (torch's +cpu), so the
        // runner's venv and the image install the same wheel.
        for (const line of requirements) expect(line, 'every requirement is pinned').toMatch(/^([a-z0-9-]+==[0-9.]+(\+[a-z0-9]+)?|--extra-index-url https:\/\/download\.pytorch\.org\/whl\/cpu)$/);
        const dockerfile = read('Dockerfile');
        if (expected.systemPackages.length) expect(dockerfile).toContain(`apt-get install --yes --no-install-recommends ${expected.systemPackages.join(' ')}`);
        else expect(dockerfile).not.toContain('apt-get');
        expect(dockerfile).toContain(`RUN pip install --no-cache-dir${expected.dockerPipArgs} -r requirements.txt`);
        expect(dockerfile).toContain('ENTRYPOINT ["serve"]');
        // Nothing of the iris template leaks into another framework's service.
        for (const file of ['train.py', 'src/inference/app.py', 'src/inference/model.py', 'schemas/input.schema.json', 'load/k6.js']) {
          expect(read(file), file).not.toMatch(/iris|setosa|sepal|joblib/i);
        }
      });

      it('loads the artifact train.py writes, with the evaluation rows next to it', async () => {
        const { read } = await generate(framework);
        expect(read('src/inference/model.py')).toContain(`ARTIFACT = "${expected.artifact}"`);
        expect(read('train.py')).toContain(`output / "${expected.artifact}"`);
        expect(read('train.py')).toContain('output / "evaluation.jsonl"');
        expect(read('train.py')).toMatch(/SEED = 0/);
        expect(read('tests/conftest.py')).toContain('from inference.model import ARTIFACT');
        expect(read('src/serve')).toContain('from inference.server import main');
        expect(read('tests/test_serve.py')).toContain('"serve"');
      });

      it('derives the input schema, the server and the examples from the same features and classes', async () => {
        const { read, json } = await generate(framework);
        const input = json('schemas/input.schema.json');
        const output = json('schemas/output.schema.json');
        const features: string[] = input.definitions.instance.required;
        expect(features).toHaveLength(expected.featureCount);
        expect(features).toContain(expected.renamedFeature);
        expect(Object.keys(input.definitions.instance.properties)).toEqual(features);
        const app = read('src/inference/app.py');
        for (const feature of features) expect(app).toMatch(new RegExp(`^    ${feature}: Annotated\\[float, Field\\(ge=0, le=[0-9.]+\\)\\]$`, 'm'));
        expect(output.definitions.prediction.properties.label.enum).toEqual(expected.classes);
        expect(app).toContain(`label: Literal[${expected.classes.map((c) => JSON.stringify(c)).join(', ')}]`);

        const ajv = new Ajv({ strict: false });
        const validRequest = ajv.compile(input);
        const validResponse = ajv.compile(output);
        const k6 = read('load/k6.js');
        for (const name of expected.examples) {
          const example = json(`schemas/examples/${name}.json`);
          expect(validRequest(example.request), `${name} request: ${ajv.errorsText(validRequest.errors)}`).toBe(true);
          expect(validResponse(example.response), `${name} response: ${ajv.errorsText(validResponse.errors)}`).toBe(true);
          expect(example.response.predictions).toHaveLength(example.request.instances.length);
          expect(k6).toContain(`'../schemas/examples/${name}.json'`);
        }
        // Each single-row example is named after the class the trained model answers for it.
        for (const label of expected.classes) {
          expect(json(`schemas/examples/${label}.json`).response.predictions.map((p: { label: string }) => p.label)).toEqual([label]);
        }
      });
    });
  }

  describe('pytorch', () => {
    it('trains reproducibly and serves the state_dict in inference mode on the container\'s CPUs', async () => {
      const { read } = await generate('pytorch');
      const train = read('train.py');
      expect(train).toContain('torch.manual_seed(SEED)');
      expect(train).toContain('torch.use_deterministic_algorithms(True)');
      expect(train).toContain('torch.set_num_threads(1)');
      expect(train).toContain('torch.save(network.state_dict(), output / "model.pt")');
      expect(train).toContain('from sklearn.datasets import load_digits');
      // The network is defined once, in the code the image ships.
      expect(train).toContain('from inference.model import Classifier');
      expect(train).not.toMatch(/^class /m);
      const model = read('src/inference/model.py');
      expect(model).toMatch(/^class Classifier\(nn\.Module\):$/m);
      expect(model).toContain('with torch.inference_mode():');
      expect(model).toContain('torch.set_num_threads(threads)');
      expect(model).toContain('os.sched_getaffinity(0)');
      expect(model).toContain('Path("/sys/fs/cgroup/cpu.max")');
      expect(model).toContain('weights_only=True');
      expect(read('tests/test_model.py')).toContain('def test_training_twice_gives_the_same_weights_and_held_out_rows');
    });

    it('bounds each pixel at 16, the scale of scikit-learn\'s digits', async () => {
      const { json } = await generate('pytorch');
      const pixels = Object.values(json('schemas/input.schema.json').definitions.instance.properties) as { minimum: number; maximum: number }[];
      expect(pixels).toHaveLength(64);
      expect(new Set(pixels.map((p) => `${p.minimum}..${p.maximum}`))).toEqual(new Set(['0..16']));
      const batch = json('schemas/examples/batch.json');
      expect(batch.request.instances.length).toBeGreaterThan(1);
      expect(batch.request.instances.flatMap((row: Record<string, number>) => Object.values(row)).every((v: number) => Number.isInteger(v) && v >= 0 && v <= 16)).toBe(true);
    });
  });

  it('keeps the scikit-learn container free of system packages and extra indexes', async () => {
    const { read, json } = await generate('sklearn');
    expect(json('ephenv.json').framework).toBe('sklearn');
    expect(read('Dockerfile')).not.toContain('apt-get');
    expect(read('Dockerfile')).toContain('RUN pip install --no-cache-dir -r requirements.txt');
  });

  it('refuses an unknown framework, naming the flag and the choices', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await expect(modelGenerator(tree, { name: 'svc', framework: 'xgboost' as never, skipFormat: true })).rejects.toThrow(
      '--framework xgboost is not supported; choose one of: sklearn, lightgbm, pytorch, onnx.',
    );
    expect(tree.exists('apps/svc')).toBe(false);
  });
});
