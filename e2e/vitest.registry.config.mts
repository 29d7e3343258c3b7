import { defineConfig } from 'vitest/config';
import { projectTestConfig } from '../vitest.shared.mts';

// The registry e2e alone: Verdaccio, two create-nx-workspace runs and two model lifecycles.
const config = projectTestConfig(import.meta.dirname, 'e2e-registry');
export default defineConfig({ ...config, test: { ...config.test, include: ['registry/**/*.spec.ts'], fileParallelism: false } });
