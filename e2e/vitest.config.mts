import { defineConfig } from 'vitest/config';
import { projectTestConfig } from '../vitest.shared.mts';

// The pack test first, then the registry run (Verdaccio, two workspaces): one at a time, both
// on the packages built into dist/ by the nx-plugin:build this target depends on.
const config = projectTestConfig(import.meta.dirname, 'e2e');
export default defineConfig({
  ...config,
  test: { ...config.test, include: ['tests/**/*.spec.ts', 'registry/**/*.spec.ts'], fileParallelism: false, sequence: { shuffle: false } },
});
