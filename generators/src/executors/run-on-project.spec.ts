import { logger, type ExecutorContext } from '@nx/devkit';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import deployPreview from './deploy-preview/executor';
import logs from './logs/executor';
import validate from './validate/executor';

const root = mkdtempSync(join(tmpdir(), 'ephenv-executors-'));
mkdirSync(join(root, 'apps', 'm'), { recursive: true });
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const context = (projectName?: string): ExecutorContext =>
  ({
    root,
    cwd: root,
    isVerbose: false,
    projectName,
    projectsConfigurations: { version: 2, projects: { m: { root: 'apps/m' } } },
    nxJsonConfiguration: {},
    projectGraph: { nodes: {}, dependencies: {} },
  }) as ExecutorContext;

describe('executors: one way to find the project, one error style', () => {
  it("turn a library's error into one line through Nx's logger naming the target and the project", async () => {
    const errors: string[] = [];
    vi.spyOn(logger, 'error').mockImplementation((line: string) => void errors.push(line));
    expect(await deployPreview({}, context('m'))).toEqual({ success: false });
    expect(await validate({ parts: ['static'] }, context('m'))).toEqual({ success: false });
    expect(errors[0]).toBe('ephenv: deploy-preview of m failed: apps/m/ephenv.json not found: is apps/m a model service? Create one with "nx g @ephenv:model <name>".');
    expect(errors).toHaveLength(1); // validate reports a missing config as a failed check, through its summary
  });

  it('refuse to run without a project', async () => {
    const errors: string[] = [];
    vi.spyOn(logger, 'error').mockImplementation((line: string) => void errors.push(line));
    expect(await logs({}, context(undefined))).toEqual({ success: false });
    expect(errors).toEqual(['ephenv: logs: this target runs for a project: nx run <project>:<target>']);
  });
});
