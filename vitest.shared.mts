import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Vitest resolves the same `@ephenv/*` aliases as TypeScript and Nx, read from one place.
const root = import.meta.dirname;
const paths: Record<string, string[]> = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'))
  .compilerOptions.paths;

export const alias = Object.entries(paths)
  .sort(([a], [b]) => b.length - a.length)
  .map(([find, [target]]) => ({ find: new RegExp(`^${find.replace('/', '\\/')}$`), replacement: resolve(root, target) }));

export function projectTestConfig(projectDir: string, name: string) {
  return {
    resolve: { alias },
    test: {
      name,
      root: projectDir,
      include: ['src/**/*.spec.ts', 'tests/**/*.spec.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      // Tests make their own git repositories: the base branch of the CI run itself (a pull request's
      // GITHUB_BASE_REF, nx-set-shas' NX_BASE) is no commit of theirs. A test that wants a base sets one.
      env: { GITHUB_BASE_REF: '', NX_BASE: '' },
      reporters: ['default', 'json'],
      outputFile: { json: join(root, 'dist', 'test-results', `${name}.json`) },
    },
  };
}
