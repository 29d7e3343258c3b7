import { logger, type ExecutorContext } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addRequiredInput, createWorkspace, PROJECT, PROJECT_ROOT, type Workspace } from '@ephenv/validate/testing';
import runExecutor from './executor';

let ws: Workspace | undefined;
const printed: string[] = [];
const savedBase = process.env.NX_BASE;

afterEach(() => {
  ws?.cleanup();
  ws = undefined;
  printed.length = 0;
  if (savedBase === undefined) delete process.env.NX_BASE;
  else process.env.NX_BASE = savedBase;
});

describe('validate executor', () => {
  const context = (): ExecutorContext => ({
    root: ws!.root,
    cwd: ws!.root,
    projectName: PROJECT,
    isVerbose: false,
    projectsConfigurations: { version: 2, projects: { [PROJECT]: { root: PROJECT_ROOT } } },
    nxJsonConfiguration: { defaultBase: 'main' },
    projectGraph: { nodes: {}, dependencies: {} },
  });

  it('maps the result to { success }, logs through Nx and writes the results', async () => {
    delete process.env.NX_BASE;
    ws = createWorkspace();
    addRequiredInput(ws);
    // The summary goes through Nx's logger, as every executor's output does.
    const info = vi.spyOn(logger, 'info').mockImplementation((line: string) => void printed.push(line));
    try {
      expect(await runExecutor({}, context())).toEqual({ success: false });
      expect(await runExecutor({ allowBreaking: true, live: 'never' }, context())).toEqual({ success: true });
    } finally {
      info.mockRestore();
    }
    expect(printed.join('')).toContain('/instances/*/sepal_area');
    expect(existsSync(join(ws.root, 'dist', 'ephenv', PROJECT, 'validate.junit.xml'))).toBe(true);
  });
});
