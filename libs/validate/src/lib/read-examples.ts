import type { Example } from '@ephenv/core';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface ExampleProblem {
  file: string;
  message: string;
  /** error: the file is not an example; warning: it is, but something looks off (e.g. a misspelt key). */
  severity: 'error' | 'warning';
}

export interface ExampleSet {
  examples: Example[];
  /** Files that are not an example (bad JSON, wrong shape): reported, not thrown, so every file gets looked at. */
  problems: ExampleProblem[];
}

const KEYS = new Set(['request', 'response', 'description']);

/**
 * Reads every `<name>.json` of an examples folder the way core's `loadExamples` does, but keeps
 * going past a broken file: validate reports all of them at once rather than the first one.
 */
export function readExamples(dir: string): ExampleSet {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return { examples: [], problems: [{ file: dir, severity: 'error', message: 'examples folder not found (ephenv.json "schemas.examples")' }] };
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const examples: Example[] = [];
  const problems: ExampleProblem[] = [];
  const byLowerName = new Map<string, string>();

  for (const f of files) {
    const file = join(dir, f);
    const name = f.replace(/\.json$/, '');
    const clash = byLowerName.get(name.toLowerCase());
    if (clash) {
      problems.push({ file, severity: 'error', message: `same name as ${clash} except for case: the two collide on case-insensitive file systems (macOS, Windows); rename one` });
      continue;
    }
    byLowerName.set(name.toLowerCase(), f);

    let body: unknown;
    try {
      body = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      problems.push({ file, severity: 'error', message: `not valid JSON: ${(e as Error).message}` });
      continue;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      problems.push({ file, severity: 'error', message: 'an example is an object {"request": ..., "response": ...}' });
      continue;
    }
    const unknown = Object.keys(body).filter((k) => !KEYS.has(k));
    if (unknown.length > 0) {
      problems.push({ file, severity: 'warning', message: `unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (ignored): an example has "request", "response" and optionally "description"` });
    }
    if (!('request' in body)) {
      problems.push({ file, severity: 'error', message: '"request" is missing: an example is {"request": ..., "response": ...}' });
      continue;
    }
    const { request, response } = body as { request: unknown; response?: unknown };
    examples.push({ name, file, request, ...('response' in body && { response }) });
  }
  if (files.length === 0) problems.push({ file: dir, severity: 'error', message: 'no examples (*.json): add at least one; live checks and the benchmark send them' });
  return { examples, problems };
}
