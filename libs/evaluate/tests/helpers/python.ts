import { ensureVenv } from '@ephenv/core';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '..', '..', '..', '..');

/** The example model's virtualenv (scikit-learn 1.6.1, as the model serves with), created once. */
export async function sklearnPython(): Promise<string> {
  return (await ensureVenv(REPO, join(REPO, 'apps', 'iris-classifier'))).python;
}

export function runPython(python: string, script: string, input: unknown): unknown {
  return JSON.parse(execFileSync(python, [script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
}
