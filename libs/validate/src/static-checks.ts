import type { Example, ModelConfig } from '@ephenv/core';
import type { ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CheckResult, CheckStatus } from './types';
import { compileSchema, describeErrors } from '@ephenv/core/schema';
import { readExamples } from './lib/read-examples';

export interface CompiledSchema {
  file: string;
  schema: unknown;
  validate: ValidateFunction;
}

export interface StaticOutcome {
  checks: CheckResult[];
  /** The examples that could be read (whether or not they match the schemas). */
  examples: Example[];
  /** Present when the schema compiled: live checks reuse it. */
  input?: CompiledSchema;
  output?: CompiledSchema;
}

function timed(part: 'static', name: string, run: () => Omit<CheckResult, 'part' | 'name' | 'durationMs'>): CheckResult {
  const started = performance.now();
  const result = run();
  return { part, name, ...result, durationMs: Math.round((performance.now() - started) * 100) / 100 };
}

function loadSchema(file: string, shown: string): { compiled?: CompiledSchema; error?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { error: `${shown}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check "schemas" in ephenv.json` };
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (e) {
    return { error: `${shown}: not valid JSON: ${(e as Error).message}` };
  }
  try {
    return { compiled: { file, schema, validate: compileSchema(schema, { strict: true }) } };
  } catch (e) {
    return { error: `${shown}: does not compile in ajv strict mode: ${(e as Error).message}` };
  }
}

/**
 * Static checks of a model's contract: both schemas compile (ajv, strict), every example file is a
 * {request, response} pair, every request matches the input schema and every response the output
 * schema. Problems name the file and the JSON pointer inside it.
 */
export function runStaticChecks(config: ModelConfig, workspaceRoot: string): StaticOutcome {
  const show = (file: string) => relative(workspaceRoot, file) || file;
  const checks: CheckResult[] = [];
  const outcome: StaticOutcome = { checks, examples: [] };

  for (const kind of ['input', 'output'] as const) {
    const file = config.schemas[kind];
    checks.push(
      timed('static', `${kind} schema compiles`, () => {
        const { compiled, error } = loadSchema(file, show(file));
        if (!compiled) return { status: 'fail', message: error!.split('\n')[0], details: [error!] };
        outcome[kind] = compiled;
        return { status: 'pass', message: show(file) };
      }),
    );
  }

  const set = readExamples(config.schemas.examples);
  outcome.examples = set.examples;
  checks.push(
    timed('static', 'examples are well-formed', () => {
      const errors = set.problems.filter((p) => p.severity === 'error');
      const lines = set.problems.map((p) => `${show(p.file)}: ${p.message}`);
      const status: CheckStatus = errors.length > 0 ? 'fail' : lines.length > 0 ? 'warn' : 'pass';
      const message = status === 'pass' ? `${set.examples.length} example${set.examples.length === 1 ? '' : 's'} in ${show(config.schemas.examples)}` : lines[0];
      return { status, message, ...(lines.length > 0 && { details: lines }) };
    }),
  );

  for (const example of set.examples) {
    checks.push(timed('static', `example ${example.name}`, () => checkExample(example, outcome, config.maxBodyBytes, show(example.file))));
  }
  return outcome;
}

function checkExample(example: Example, outcome: StaticOutcome, maxBodyBytes: number, shown: string): Omit<CheckResult, 'part' | 'name' | 'durationMs'> {
  const errors: string[] = [];
  const notes: string[] = [];
  if (outcome.input) {
    if (!outcome.input.validate(example.request)) errors.push(...describeErrors(outcome.input.validate.errors, { prefix: '/request' }).map((l) => `${shown}#${l}`));
  } else notes.push('request not checked: the input schema does not compile');

  const size = Buffer.byteLength(JSON.stringify(example.request));
  if (size > maxBodyBytes) errors.push(`${shown}#/request: ${size} bytes, over the endpoint's ${maxBodyBytes}-byte payload limit`);

  if (!('response' in example)) {
    notes.push(`${shown}: no "response": the live check cannot compare the answer with an expected one; add the expected response`);
  } else if (outcome.output) {
    if (!outcome.output.validate(example.response)) errors.push(...describeErrors(outcome.output.validate.errors, { prefix: '/response' }).map((l) => `${shown}#${l}`));
  } else notes.push('response not checked: the output schema does not compile');

  if (errors.length > 0) return { status: 'fail', message: errors[0], details: [...errors, ...notes] };
  if (notes.length > 0) {
    const compiled = outcome.input && outcome.output;
    return { status: compiled ? 'warn' : 'skip', message: notes[0], details: notes };
  }
  return { status: 'pass', message: `request and response match the schemas (${shown})` };
}
