import { loadModelConfig } from '@ephenv/core';
import { afterEach, describe, expect, it } from 'vitest';
import { runCompatibilityChecks } from '../src/compat/check-compatibility';
import type { CompatFinding } from '../src/types';
import { createWorkspace, PROJECT_ROOT, type Workspace } from './helpers/workspace';

const INPUT = 'schemas/input.schema.json';
const OUTPUT = 'schemas/output.schema.json';

let ws: Workspace | undefined;
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
});

function edit(w: Workspace, file: string, change: (schema: any) => void): void {
  const schema = w.read(file);
  change(schema);
  w.write(file, schema);
}

/** Base commit on main (optionally changed by `base`), PR commit with `pr`, then the comparison. */
function compare(pr: (w: Workspace) => void, base?: (w: Workspace) => void, allowBreaking = false) {
  ws = createWorkspace({ base });
  pr(ws);
  ws.commit('pr change');
  return runCompatibilityChecks({ workspaceRoot: ws.root, config: loadModelConfig(ws.root, PROJECT_ROOT), base: 'main', allowBreaking });
}

const item = (s: any) => s.properties.predictions.items;
const addRootProperty = (name: string, schema: unknown) => (w: Workspace) => edit(w, INPUT, (s) => (s.properties[name] = schema));

interface Case {
  title: string;
  base?: (w: Workspace) => void;
  pr: (w: Workspace) => void;
  expected: Partial<CompatFinding> & Pick<CompatFinding, 'severity' | 'rule' | 'pointer'>;
}

const cases: Case[] = [
  {
    title: 'a new required input property',
    pr: (w) => edit(w, INPUT, (s) => {
      s.definitions.Instance.properties.sepal_area = { type: 'number' };
      s.definitions.Instance.required.push('sepal_area');
    }),
    expected: { severity: 'breaking', direction: 'input', rule: 'new-required-request-property', pointer: '/instances/*/sepal_area' },
  },
  {
    title: 'an input property removed where additionalProperties is false',
    pr: (w) => edit(w, INPUT, (s) => {
      delete s.definitions.Instance.properties.petal_width;
      s.definitions.Instance.required = s.definitions.Instance.required.filter((r: string) => r !== 'petal_width');
    }),
    expected: { severity: 'breaking', rule: 'request-property-removed', pointer: '/instances/*/petal_width', schemaPointer: '#/definitions/Instance/properties/petal_width' },
  },
  {
    title: 'an input type narrowed (number to integer), through the shared $ref',
    pr: (w) => edit(w, INPUT, (s) => (s.definitions.Measure.type = 'integer')),
    expected: { severity: 'breaking', rule: 'request-property-type-changed', pointer: '/instances/*/sepal_length', old: 'type: number', new: 'type: integer' },
  },
  {
    title: 'an input enum narrowed',
    base: addRootProperty('unit', { enum: ['cm', 'mm', 'in'] }),
    pr: (w) => edit(w, INPUT, (s) => (s.properties.unit.enum = ['cm', 'mm'])),
    expected: { severity: 'breaking', rule: 'request-property-enum-value-removed', pointer: '/unit', new: 'enum: ["cm","mm"]' },
  },
  {
    title: 'an input maximum tightened inside a $ref definition',
    pr: (w) => edit(w, INPUT, (s) => (s.definitions.Measure.maximum = 50)),
    expected: { severity: 'breaking', rule: 'request-property-max-decreased', pointer: '/instances/*/sepal_length', old: 'maximum: 100', new: 'maximum: 50' },
  },
  {
    title: 'an exclusiveMaximum replacing an equal maximum',
    pr: (w) => edit(w, INPUT, (s) => {
      delete s.definitions.Measure.maximum;
      s.definitions.Measure.exclusiveMaximum = 100;
    }),
    expected: { severity: 'breaking', rule: 'request-property-max-decreased', pointer: '/instances/*/sepal_width', old: 'maximum: 100', new: 'exclusiveMaximum: 100' },
  },
  {
    title: 'an input maxLength tightened',
    base: addRootProperty('model_version', { type: 'string', maxLength: 20 }),
    pr: (w) => edit(w, INPUT, (s) => (s.properties.model_version.maxLength = 10)),
    expected: { severity: 'breaking', rule: 'request-property-max-length-decreased', pointer: '/model_version', old: 'maxLength: 20', new: 'maxLength: 10' },
  },
  {
    title: 'an input pattern added',
    base: addRootProperty('model_version', { type: 'string' }),
    pr: (w) => edit(w, INPUT, (s) => (s.properties.model_version.pattern = '^v[0-9]+$')),
    expected: { severity: 'breaking', rule: 'request-property-pattern-added', pointer: '/model_version' },
  },
  {
    title: 'an input const added',
    base: addRootProperty('unit', { type: 'string' }),
    pr: (w) => edit(w, INPUT, (s) => (s.properties.unit.const = 'cm')),
    expected: { severity: 'breaking', rule: 'request-property-const-set', pointer: '/unit', new: 'const: "cm"' },
  },
  {
    title: 'an input format added',
    base: addRootProperty('requested_at', { type: 'string' }),
    pr: (w) => edit(w, INPUT, (s) => (s.properties.requested_at.format = 'date-time')),
    expected: { severity: 'breaking', rule: 'request-property-format-added', pointer: '/requested_at', new: 'format: date-time' },
  },
  {
    title: 'additionalProperties becoming false on an input object',
    base: (w) => edit(w, INPUT, (s) => delete s.definitions.Instance.additionalProperties),
    pr: (w) => edit(w, INPUT, (s) => (s.definitions.Instance.additionalProperties = false)),
    expected: { severity: 'breaking', rule: 'request-property-additional-properties-restricted', pointer: '/instances/*' },
  },
  {
    title: 'an input minItems raised',
    pr: (w) => edit(w, INPUT, (s) => (s.properties.instances.minItems = 2)),
    expected: { severity: 'breaking', rule: 'request-property-min-items-increased', pointer: '/instances' },
  },
  {
    title: 'a new optional input property (non-breaking)',
    pr: (w) => edit(w, INPUT, (s) => (s.properties.explain = { type: 'boolean' })),
    expected: { severity: 'info', rule: 'new-optional-request-property', pointer: '/explain' },
  },
  {
    title: 'an input minimum loosened (non-breaking)',
    pr: (w) => edit(w, INPUT, (s) => (s.definitions.Measure.minimum = -10)),
    expected: { severity: 'info', rule: 'request-property-min-decreased', pointer: '/instances/*/sepal_width', old: 'minimum: 0', new: 'minimum: -10' },
  },
  {
    title: 'an output property removed',
    pr: (w) => edit(w, OUTPUT, (s) => {
      delete item(s).properties.class_id;
      item(s).required = ['label', 'probabilities'];
    }),
    expected: { severity: 'breaking', direction: 'output', rule: 'response-required-property-removed', pointer: '/predictions/*/class_id' },
  },
  {
    title: 'an output property no longer required',
    pr: (w) => edit(w, OUTPUT, (s) => (item(s).required = ['label', 'class_id'])),
    expected: { severity: 'breaking', rule: 'response-property-became-optional', pointer: '/predictions/*/probabilities' },
  },
  {
    title: 'an output type changed',
    pr: (w) => edit(w, OUTPUT, (s) => (item(s).properties.class_id = { type: 'string' })),
    expected: { severity: 'breaking', rule: 'response-property-type-changed', pointer: '/predictions/*/class_id', old: 'type: integer', new: 'type: string' },
  },
  {
    title: 'an output becoming nullable',
    pr: (w) => edit(w, OUTPUT, (s) => (item(s).properties.label.type = ['string', 'null'])),
    expected: { severity: 'breaking', rule: 'response-property-became-nullable', pointer: '/predictions/*/label' },
  },
  {
    title: 'an output enum widened (warning)',
    pr: (w) => edit(w, OUTPUT, (s) => item(s).properties.label.enum.push('unknown')),
    expected: { severity: 'warning', rule: 'response-property-enum-value-added', pointer: '/predictions/*/label' },
  },
  {
    title: 'an output maximum widened',
    pr: (w) => edit(w, OUTPUT, (s) => (item(s).properties.probabilities.properties.setosa.maximum = 100)),
    expected: { severity: 'breaking', rule: 'response-property-max-increased', pointer: '/predictions/*/probabilities/setosa' },
  },
  {
    title: 'an output range narrowed (non-breaking)',
    pr: (w) => edit(w, OUTPUT, (s) => (item(s).properties.class_id.maximum = 1)),
    expected: { severity: 'info', rule: 'response-property-max-decreased', pointer: '/predictions/*/class_id' },
  },
  {
    title: 'an output $ref into $defs with a changed definition',
    base: (w) => edit(w, OUTPUT, (s) => {
      s.$defs = { Prediction: item(s) };
      s.properties.predictions.items = { $ref: '#/$defs/Prediction' };
    }),
    pr: (w) => edit(w, OUTPUT, (s) => s.$defs.Prediction.properties.label.enum.push('iris-x')),
    expected: { severity: 'warning', rule: 'response-property-enum-value-added', pointer: '/predictions/*/label', schemaPointer: '#/$defs/Prediction/properties/label' },
  },
];

describe('compatibility with the base ref (real git repositories)', () => {
  it.each(cases)('$title', ({ base, pr, expected }) => {
    const { findings, checks } = compare(pr, base);
    expect(findings).toContainEqual(expect.objectContaining(expected));
    const check = checks.find((c) => c.name === `${expected.direction ?? (expected.rule.startsWith('response') ? 'output' : 'input')} schema vs main`)!;
    const status = { breaking: 'fail', warning: 'warn', info: 'pass' }[expected.severity];
    expect(check.status).toBe(status);
    if (expected.severity === 'breaking') expect(check.message).toContain(expected.pointer);
    expect(findings.every((f) => f.reason.length > 10)).toBe(true);
  });

  it('finds nothing when the schemas are unchanged, or only refactored into $defs', () => {
    const { findings, checks } = compare((w) => edit(w, INPUT, (s) => {
      s.$defs = { Row: s.definitions.Instance };
      s.properties.instances.items = { $ref: '#/$defs/Row' };
      delete s.definitions.Instance;
    }));
    expect(findings).toEqual([]);
    expect(checks.map((c) => [c.name, c.status, c.message])).toEqual([
      ['input schema vs main', 'pass', 'no changes'],
      ['output schema vs main', 'pass', 'no changes'],
    ]);
  });

  it('passes breaking changes with --allowBreaking, still reporting them', () => {
    const { findings, checks } = compare((w) => edit(w, INPUT, (s) => (s.definitions.Measure.maximum = 50)), undefined, true);
    expect(findings.filter((f) => f.severity === 'breaking')).toHaveLength(4);
    expect(checks[0]).toMatchObject({ status: 'warn', message: expect.stringContaining('allowed by --allowBreaking') });
  });

  it('reads the base schema without a checkout, even with uncommitted PR edits in the work tree', () => {
    ws = createWorkspace();
    edit(ws, OUTPUT, (s) => (item(s).required = ['label']));
    const { findings } = runCompatibilityChecks({ workspaceRoot: ws.root, config: loadModelConfig(ws.root, PROJECT_ROOT), base: 'main', allowBreaking: false });
    expect(findings.filter((f) => f.rule === 'response-property-became-optional').map((f) => f.pointer).sort()).toEqual(['/predictions/*/class_id', '/predictions/*/probabilities']);
    expect(ws.git('status', '--porcelain')).toContain('output.schema.json');
  });

  it('treats a model that does not exist on the base ref as new', () => {
    ws = createWorkspace({ commitModel: false });
    const { findings, checks } = runCompatibilityChecks({ workspaceRoot: ws.root, config: loadModelConfig(ws.root, PROJECT_ROOT), base: 'main', allowBreaking: false });
    expect(findings).toEqual([]);
    expect(checks).toEqual([expect.objectContaining({ status: 'pass', message: expect.stringContaining('new model, nothing to compare') })]);
  });

  it('reports a removed schema as breaking', () => {
    const { findings, checks } = compare((w) => w.remove(OUTPUT));
    expect(findings).toEqual([expect.objectContaining({ severity: 'breaking', rule: 'response-schema-removed', direction: 'output' })]);
    expect(checks.find((c) => c.name === 'output schema vs main')!.status).toBe('fail');
  });

  it('follows a schema renamed since the base through the base ephenv.json', () => {
    const { findings } = compare(
      (w) => {
        const schema = w.read('schemas/request.json');
        schema.definitions.Instance.required.push('petal_area');
        w.write(INPUT, schema);
        w.remove('schemas/request.json');
        edit(w, 'ephenv.json', (c) => (c.schemas.input = INPUT));
      },
      (w) => {
        w.write('schemas/request.json', w.read(INPUT));
        w.remove(INPUT);
        edit(w, 'ephenv.json', (c) => (c.schemas.input = 'schemas/request.json'));
      },
    );
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'new-required-request-property', pointer: '/instances/*/petal_area' }));
  });

  it('fails with a fix when the base ref does not exist', () => {
    ws = createWorkspace();
    const { checks } = runCompatibilityChecks({ workspaceRoot: ws.root, config: loadModelConfig(ws.root, PROJECT_ROOT), base: 'origin/release-9', allowBreaking: false });
    expect(checks).toEqual([expect.objectContaining({ status: 'fail', message: expect.stringContaining('git fetch origin release-9;') })]);
  });

  it('compares against a base given as a commit SHA', () => {
    ws = createWorkspace();
    const sha = ws.git('rev-parse', 'HEAD').trim();
    edit(ws, INPUT, (s) => (s.properties.instances.maxItems = 10));
    ws.commit('pr');
    const { findings } = runCompatibilityChecks({ workspaceRoot: ws.root, config: loadModelConfig(ws.root, PROJECT_ROOT), base: sha, allowBreaking: false });
    expect(findings).toEqual([expect.objectContaining({ rule: 'request-property-max-items-decreased', pointer: '/instances', old: 'maxItems: 1000', new: 'maxItems: 10' })]);
  });
});
