import { CONFIG_FILE, readAtRef, refExists, type ModelConfig } from '@ephenv/core';
import { readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CheckResult, CompatFinding, Direction } from '../types';
import { showPointer } from '../lib/json-pointer';
import { diffSchemas } from './diff-schemas';

export interface CompatibilityOptions {
  workspaceRoot: string;
  config: Pick<ModelConfig, 'projectRoot' | 'projectDir' | 'schemas'>;
  /** The git ref production's contract is read from (a branch, a tag, a SHA). */
  base: string;
  /** Report breaking changes without failing. */
  allowBreaking: boolean;
}

export interface CompatibilityOutcome {
  checks: CheckResult[];
  findings: CompatFinding[];
}

const toGitPath = (path: string) => `./${path.split(sep).join(posix.sep)}`;

function parse(text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The schema paths the base ref's own ephenv.json declares (they may have moved since), relative to the workspace. */
function baseSchemaPaths(options: CompatibilityOptions): { input: string; output: string } | undefined {
  const { workspaceRoot, config, base } = options;
  const text = readAtRef(workspaceRoot, base, toGitPath(join(config.projectRoot, CONFIG_FILE)));
  if (text === undefined) return undefined;
  const current = {
    input: relative(workspaceRoot, config.schemas.input),
    output: relative(workspaceRoot, config.schemas.output),
  };
  const declared = (parse(text).value as { schemas?: { input?: unknown; output?: unknown } } | undefined)?.schemas;
  return {
    input: typeof declared?.input === 'string' ? join(config.projectRoot, declared.input) : current.input,
    output: typeof declared?.output === 'string' ? join(config.projectRoot, declared.output) : current.output,
  };
}

/**
 * Compares the model's input and output schemas with those on the base ref, read with
 * `git show <ref>:<path>` (no checkout). Breaking changes fail the check unless allowed.
 */
export function runCompatibilityChecks(options: CompatibilityOptions): CompatibilityOutcome {
  const { workspaceRoot, config, base } = options;
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 100) / 100;

  if (!refExists(workspaceRoot, base)) {
    return {
      findings: [],
      checks: [{
        part: 'compatibility', name: `schemas vs ${base}`, status: 'fail', durationMs: elapsed(),
        message: `base ref "${base}" not found in this repository: fetch it (git fetch origin ${base.replace(/^origin\//, '')}; in CI check out with fetch-depth: 0) or pass --base=<ref>`,
      }],
    };
  }
  const basePaths = baseSchemaPaths(options);
  if (!basePaths) {
    return {
      findings: [],
      checks: [{ part: 'compatibility', name: `schemas vs ${base}`, status: 'pass', durationMs: elapsed(), message: `new model, nothing to compare: ${config.projectRoot}/${CONFIG_FILE} does not exist on ${base}` }],
    };
  }

  const checks: CheckResult[] = [];
  const findings: CompatFinding[] = [];
  for (const direction of ['input', 'output'] as const) {
    const t0 = performance.now();
    const result = compareOne(options, direction, basePaths[direction]);
    findings.push(...result.findings);
    checks.push({ part: 'compatibility', name: `${direction} schema vs ${base}`, ...result.check, durationMs: Math.round((performance.now() - t0) * 100) / 100 });
  }
  return { checks, findings };
}

function compareOne(options: CompatibilityOptions, direction: Direction, basePath: string): { check: Pick<CheckResult, 'status' | 'message' | 'details'>; findings: CompatFinding[] } {
  const { workspaceRoot, config, base, allowBreaking } = options;
  const prFile = config.schemas[direction];
  const prPath = relative(workspaceRoot, prFile);
  const baseText = readAtRef(workspaceRoot, base, toGitPath(basePath));
  let prText: string | undefined;
  try {
    prText = readFileSync(prFile, 'utf8');
  } catch {
    prText = undefined;
  }

  if (baseText === undefined && prText === undefined) {
    return { check: { status: 'skip', message: `no ${direction} schema on ${base} nor in this change` }, findings: [] };
  }
  if (baseText === undefined) {
    return { check: { status: 'pass', message: `no ${direction} schema on ${base} (${basePath}): new schema, nothing to compare` }, findings: [] };
  }
  if (prText === undefined) {
    const finding: CompatFinding = {
      severity: 'breaking', direction, pointer: '', schemaPointer: '#',
      rule: direction === 'input' ? 'request-schema-removed' : 'response-schema-removed', old: basePath,
      reason: `${basePath} exists on ${base} and ${prPath} is gone: clients lose the contract they were built against`,
    };
    return { check: verdict([finding], allowBreaking), findings: [finding] };
  }
  const before = parse(baseText);
  const after = parse(prText);
  if (before.error !== undefined) {
    return { check: { status: 'warn', message: `${basePath} on ${base} is not valid JSON (${before.error}): not compared` }, findings: [] };
  }
  if (after.error !== undefined) {
    return { check: { status: 'skip', message: `${prPath} is not valid JSON: see the static checks` }, findings: [] };
  }
  const findings = diffSchemas(before.value, after.value, direction);
  return { check: verdict(findings, allowBreaking), findings };
}

/** One line per finding, for the details of a check and the failure text of JUnit. */
export function describeFinding(f: CompatFinding): string {
  const change = f.old !== undefined || f.new !== undefined ? ` (${f.old ?? 'none'} -> ${f.new ?? 'none'})` : '';
  return `${f.severity} ${showPointer(f.pointer)} [${f.rule}]${change}: ${f.reason}`;
}

function verdict(findings: CompatFinding[], allowBreaking: boolean): Pick<CheckResult, 'status' | 'message' | 'details'> {
  const breaking = findings.filter((f) => f.severity === 'breaking');
  const warnings = findings.filter((f) => f.severity === 'warning');
  const infos = findings.length - breaking.length - warnings.length;
  const details = findings.length > 0 ? findings.map(describeFinding) : undefined;
  const counts = `${breaking.length} breaking, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}, ${infos} info`;
  if (breaking.length > 0) {
    const where = breaking.slice(0, 3).map((f) => `${showPointer(f.pointer)} (${f.rule})`).join(', ');
    const more = breaking.length > 3 ? ` and ${breaking.length - 3} more` : '';
    return allowBreaking
      ? { status: 'warn', message: `${counts}, allowed by --allowBreaking: ${where}${more}`, details }
      : { status: 'fail', message: `breaking change${breaking.length === 1 ? '' : 's'} at ${where}${more}; make it backward compatible or pass --allowBreaking`, details };
  }
  if (warnings.length > 0) return { status: 'warn', message: `${counts}: ${warnings.map((f) => `${showPointer(f.pointer)} (${f.rule})`).slice(0, 3).join(', ')}`, details };
  return { status: 'pass', message: findings.length === 0 ? 'no changes' : `compatible: ${counts}`, details };
}
