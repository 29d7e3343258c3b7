import { createProjectGraphAsync } from '@nx/devkit';
import { ESLint } from 'eslint';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..', '..');
const RULE = '@nx/enforce-module-boundaries';
// An import against the graph's direction is reported either as a tag violation or, when the other
// project already depends on the importer, as the circular dependency it would create.

let eslint: ESLint;

/** The boundary errors ESLint reports for `code` as if it were the file at `path` (nothing is written). */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return result.messages.filter((m) => m.ruleId === RULE && m.severity === 2).map((m) => m.message);
}

beforeAll(async () => {
  // The rule reads Nx's cached project graph; make sure there is one, as `nx run` would.
  await createProjectGraphAsync({ exitOnError: true });
  eslint = new ESLint({ cwd: ROOT });
}, 120_000);

describe('module boundaries (eslint.config.mjs, Nx tags)', () => {
  it('the workspace as it is has no import that crosses a boundary', async () => {
    const results = await eslint.lintFiles(['generators', 'libs', 'tools', 'apps']);
    const errors = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${relative(ROOT, r.filePath)}:${m.line} ${m.message}`));
    expect(errors).toEqual([]);
    expect(results.length).toBeGreaterThan(100);
  }, 120_000);

  it('reports a library that imports the plugin', async () => {
    expect(await boundaryErrors('libs/preview/src/boundary-fixture.ts', "import { createNodesV2 } from '@ephenv';\nexport const x = createNodesV2;\n")).toEqual([
      expect.stringMatching(/tagged with "type:domain" can only depend on|Circular dependency between "preview" and "nx-plugin"/),
    ]);
    expect(await boundaryErrors('libs/core/src/boundary-fixture.ts', "import { createNodesV2 } from '@ephenv';\nexport const x = createNodesV2;\n")).toHaveLength(1);
  });

  it('reports core importing a domain library, and allows a domain library importing core', async () => {
    expect(await boundaryErrors('libs/core/src/boundary-fixture.ts', "import { createHandler } from '@ephenv/gateway';\nexport const x = createHandler;\n")).toEqual([
      expect.stringMatching(/tagged with "type:core" can only depend on libs tagged with "type:core"|Circular dependency between "core" and "gateway"/),
    ]);
    expect(await boundaryErrors('libs/gateway/src/boundary-fixture.ts', "import { loadModelConfig } from '@ephenv/core';\nexport const x = loadModelConfig;\n")).toEqual([]);
  });

  it('lets tests use the testing library, never shipped code', async () => {
    const code = "import { startMoto } from '@ephenv/testing';\nexport const x = startMoto;\n";
    expect(await boundaryErrors('libs/preview/src/aws/boundary-fixture.ts', code)).toEqual([expect.stringContaining('type:domain')]);
    expect(await boundaryErrors('generators/src/cli/boundary-fixture.ts', code)).toEqual([expect.stringContaining('type:plugin')]);
    expect(await boundaryErrors('libs/preview/tests/boundary-fixture.spec.ts', code)).toEqual([]);
  });

  it('reports a relative import into another project', async () => {
    expect(await boundaryErrors('libs/validate/src/boundary-fixture.ts', "import { deployPreview } from '../../preview/src';\nexport const x = deployPreview;\n")).toEqual([
      expect.stringContaining('Projects cannot be imported by a relative or absolute path'),
    ]);
  });
});
