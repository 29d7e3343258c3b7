import { defineConfig } from 'vitest/config';
import { projectTestConfig } from '../vitest.shared.mts';

export default defineConfig(projectTestConfig(import.meta.dirname, 'e2e'));
