import { writeRecord, type ThresholdSpec, type ScenarioConfig } from '@ephenv/core';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestWorkspace {
  root: string;
  projectRoot: string;
  project: string;
  /** Writes the preview record deploy-preview would have written. */
  recordPreview(url: string, token: string): void;
  remove(): void;
}

export const EXAMPLES = {
  setosa: { request: { instances: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }] } },
  virginica: { request: { instances: [{ sepal_length: 6.7, sepal_width: 3.0, petal_length: 5.2, petal_width: 2.3 }] } },
};

/** A workspace with one model project (ephenv.json, two examples), in a temp folder. */
export function createWorkspace(load: { scenario: ScenarioConfig; thresholds: Record<string, ThresholdSpec[]> }, k6Script?: string): TestWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'ephenv-bench-'));
  const project = 'iris-demo';
  const projectRoot = `apps/${project}`;
  const dir = join(root, projectRoot);
  mkdirSync(join(dir, 'schemas', 'examples'), { recursive: true });
  writeFileSync(
    join(dir, 'ephenv.json'),
    JSON.stringify({
      name: project,
      framework: 'sklearn',
      endpoint: { type: 'serverless' },
      schemas: { input: 'schemas/input.schema.json', output: 'schemas/output.schema.json', examples: 'schemas/examples' },
      load,
    }),
  );
  for (const [name, body] of Object.entries(EXAMPLES)) writeFileSync(join(dir, 'schemas', 'examples', `${name}.json`), JSON.stringify(body));
  if (k6Script !== undefined) {
    mkdirSync(join(dir, 'load'), { recursive: true });
    writeFileSync(join(dir, 'load', 'k6.js'), k6Script);
  }
  return {
    root,
    projectRoot,
    project,
    recordPreview: (url, token) =>
      writeRecord(root, { project, provider: 'local', url, token, pr: 'local', gitSha: '0000000', startedAt: new Date().toISOString() }),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * A stand-in for the k6 binary (which this machine does not have): records its argv and the
 * environment contract, copies a recorded handleSummary JSON to EPHENV_SUMMARY and exits with
 * FAKE_K6_EXIT. Returns the folder to put first on PATH.
 */
export function createFakeK6(dir: string): string {
  const bin = join(dir, 'fake-bin');
  mkdirSync(bin, { recursive: true });
  const file = join(bin, 'k6');
  writeFileSync(
    file,
    `#!${process.execPath}
const fs = require('node:fs');
const env = process.env;
fs.writeFileSync(env.FAKE_K6_RECORD, JSON.stringify({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  BASE_URL: env.BASE_URL,
  TOKEN: env.TOKEN,
  EPHENV_OPTIONS: JSON.parse(env.EPHENV_OPTIONS),
  EXAMPLE_FILES: env.EXAMPLE_FILES.split(','),
  EPHENV_SUMMARY: env.EPHENV_SUMMARY,
}));
const finish = () => {
  if (env.FAKE_K6_FIXTURE) fs.copyFileSync(env.FAKE_K6_FIXTURE, env.EPHENV_SUMMARY);
  process.stdout.write('fake k6 ran\\n');
  process.exit(Number(env.FAKE_K6_EXIT || 0));
};
if (env.FAKE_K6_UNTIL_SIGINT) {
  // like k6 on Ctrl-C: stop gracefully, still write the summary; count the signals received
  let sigints = 0;
  process.on('SIGINT', () => {
    sigints++;
    setTimeout(() => {
      fs.writeFileSync(env.FAKE_K6_RECORD + '.sigints', String(sigints));
      finish();
    }, 200);
  });
  process.stdout.write('running\\n');
  setInterval(() => {}, 1000);
} else {
  finish();
}
`,
  );
  chmodSync(file, 0o755);
  return bin;
}
