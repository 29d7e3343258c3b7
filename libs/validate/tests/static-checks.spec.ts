import { loadModelConfig } from '@ephenv/core';
import { afterEach, describe, expect, it } from 'vitest';
import { runStaticChecks } from '../src/static-checks';
import { createWorkspace, PROJECT_ROOT, type Workspace } from './helpers/workspace';

let ws: Workspace | undefined;
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
});

function checkWith(change: (w: Workspace) => void) {
  ws = createWorkspace();
  change(ws);
  return runStaticChecks(loadModelConfig(ws.root, PROJECT_ROOT), ws.root);
}

const byName = (outcome: ReturnType<typeof runStaticChecks>, name: string) => outcome.checks.find((c) => c.name === name)!;
const EXAMPLES = 'apps/iris-classifier/schemas/examples';

describe('static checks', () => {
  it('passes a correct contract and hands the compiled schemas on', () => {
    const outcome = checkWith(() => undefined);
    expect(outcome.checks.map((c) => [c.name, c.status])).toEqual([
      ['input schema compiles', 'pass'],
      ['output schema compiles', 'pass'],
      ['examples are well-formed', 'pass'],
      ['example setosa', 'pass'],
      ['example virginica', 'pass'],
    ]);
    expect(outcome.examples.map((e) => e.name)).toEqual(['setosa', 'virginica']);
    expect(outcome.input!.validate({ instances: [] })).toBe(false);
    expect(outcome.checks.every((c) => c.durationMs >= 0)).toBe(true);
  });

  it('reports an example request that violates the input schema with the file and the JSON pointer', () => {
    const outcome = checkWith((w) => {
      const example = w.read('schemas/examples/setosa.json');
      example.request.instances[0].petal_width = 500;
      w.write('schemas/examples/setosa.json', example);
    });
    const check = byName(outcome, 'example setosa');
    expect(check.status).toBe('fail');
    expect(check.message).toBe(`${EXAMPLES}/setosa.json#/request/instances/0/petal_width: must be <= 100`);
    expect(byName(outcome, 'example virginica').status).toBe('pass');
  });

  it('reports an expected response that violates the output schema', () => {
    const outcome = checkWith((w) => {
      const example = w.read('schemas/examples/virginica.json');
      example.response.predictions[0].label = 'daisy';
      delete example.response.predictions[0].class_id;
      w.write('schemas/examples/virginica.json', example);
    });
    const check = byName(outcome, 'example virginica');
    expect(check.status).toBe('fail');
    expect(check.details).toEqual(
      expect.arrayContaining([
        `${EXAMPLES}/virginica.json#/response/predictions/0: must have required property 'class_id'`,
        `${EXAMPLES}/virginica.json#/response/predictions/0/label: must be one of "setosa", "versicolor", "virginica"`,
      ]),
    );
  });

  it('reports a schema that does not compile in strict mode, naming the file and the keyword', () => {
    const outcome = checkWith((w) => {
      const schema = w.read('schemas/input.schema.json');
      schema.definitions.Measure.maximun = 100;
      w.write('schemas/input.schema.json', schema);
    });
    const check = byName(outcome, 'input schema compiles');
    expect(check.status).toBe('fail');
    expect(check.message).toContain('apps/iris-classifier/schemas/input.schema.json: does not compile in ajv strict mode');
    expect(check.message).toContain('unknown keyword: "maximun"');
    expect(outcome.input).toBeUndefined();
    expect(byName(outcome, 'example setosa')).toMatchObject({ status: 'skip', message: expect.stringContaining('input schema does not compile') });
  });

  it('reports a schema that is not JSON', () => {
    const outcome = checkWith((w) => w.write('schemas/output.schema.json', '{ "type": "object", }'));
    expect(byName(outcome, 'output schema compiles')).toMatchObject({ status: 'fail', message: expect.stringContaining('output.schema.json: not valid JSON') });
  });

  it('reports broken example files as findings and still checks the others', () => {
    const outcome = checkWith((w) => {
      w.write('schemas/examples/broken.json', '{"request": {"instances": [}');
      w.write('schemas/examples/no-request.json', { response: { predictions: [] } });
      w.write('schemas/examples/Setosa.json', w.read('schemas/examples/setosa.json'));
    });
    const check = byName(outcome, 'examples are well-formed');
    expect(check.status).toBe('fail');
    expect(check.details).toEqual([
      expect.stringMatching(new RegExp(`^${EXAMPLES}/broken.json: not valid JSON`)),
      `${EXAMPLES}/no-request.json: "request" is missing: an example is {"request": ..., "response": ...}`,
      expect.stringMatching(new RegExp(`^${EXAMPLES}/setosa.json: same name as Setosa.json except for case`)),
    ]);
    expect(outcome.examples.map((e) => e.name)).toEqual(['Setosa', 'virginica']);
    expect(byName(outcome, 'example virginica').status).toBe('pass');
  });

  it('warns about an example without an expected response and about unknown keys', () => {
    const outcome = checkWith((w) => {
      const { request } = w.read('schemas/examples/setosa.json');
      w.write('schemas/examples/setosa.json', { request, respnose: {} });
    });
    expect(byName(outcome, 'examples are well-formed')).toMatchObject({ status: 'warn', message: expect.stringContaining('unknown key "respnose"') });
    expect(byName(outcome, 'example setosa')).toMatchObject({ status: 'warn', message: expect.stringContaining('no "response"') });
  });

  it('fails when there is no example at all', () => {
    const outcome = checkWith((w) => {
      w.remove('schemas/examples/setosa.json');
      w.remove('schemas/examples/virginica.json');
    });
    expect(byName(outcome, 'examples are well-formed')).toMatchObject({ status: 'fail', message: expect.stringContaining('no examples') });
  });

  it('compiles draft 2020-12 schemas with the matching ajv', () => {
    const outcome = checkWith((w) => {
      const schema = w.read('schemas/input.schema.json');
      schema.$schema = 'https://json-schema.org/draft/2020-12/schema';
      schema.$defs = schema.definitions;
      delete schema.definitions;
      w.write('schemas/input.schema.json', JSON.stringify(schema).replace(/#\/definitions\//g, '#/$defs/'));
    });
    expect(byName(outcome, 'input schema compiles').status).toBe('pass');
    expect(byName(outcome, 'example setosa').status).toBe('pass');
  });
});
