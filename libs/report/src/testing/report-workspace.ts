import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeRecord, type PreviewRecord } from '@ephenv/core';

export type Scenario = 'green' | 'failing' | 'aws';
const FIXTURES = join(__dirname, '..', 'fixtures');

export interface ReportWorkspace {
  root: string;
  /** Path inside dist/ephenv. */
  resultPath(...parts: string[]): string;
  readResult<T = any>(...parts: string[]): T;
  writeResult(value: unknown, ...parts: string[]): void;
  /** A preview record in .ephenv/previews, as deploy-preview writes it (with its token). */
  recordPreview(project: string, token: string, provider?: PreviewRecord['provider']): void;
  remove(): void;
}

/** A temp workspace (nx.json) whose dist/ephenv holds one fixture scenario, `<workspace>` resolved. */
export function createReportWorkspace(...scenarios: Scenario[]): ReportWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'ephenv-report-'));
  writeFileSync(join(root, 'nx.json'), '{}');
  const dist = join(root, 'dist', 'ephenv');
  const copy = (from: string, to: string) => {
    for (const name of readdirSync(from)) {
      const source = join(from, name);
      if (statSync(source).isDirectory()) copy(source, join(to, name));
      else if (name.endsWith('.json')) {
        mkdirSync(to, { recursive: true });
        writeFileSync(join(to, name), readFileSync(source, 'utf8').split('<workspace>').join(root));
      }
    }
  };
  for (const scenario of scenarios) copy(join(FIXTURES, scenario), dist);
  const resultPath = (...parts: string[]) => join(dist, ...parts);
  return {
    root,
    resultPath,
    readResult: (...parts) => JSON.parse(readFileSync(resultPath(...parts), 'utf8')),
    writeResult(value, ...parts) {
      mkdirSync(dirname(resultPath(...parts)), { recursive: true });
      writeFileSync(resultPath(...parts), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
    },
    recordPreview(project, token, provider = 'local') {
      writeRecord(root, { project, provider, url: 'http://127.0.0.1:4100', token, pr: '42', gitSha: '3f9c2d4', startedAt: new Date().toISOString() });
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
