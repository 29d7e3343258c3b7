// The dependency graph is enforced, not hoped for: Nx's module-boundary rule reads each project's
// tags, and tools/lint runs it in `npm test`, so an import that goes the wrong way fails CI.
//   type:core      libs/core          depends on nothing of ours
//   type:domain    libs/<domain>      on core and other domain libraries' public entry points
//   type:plugin    generators/        on core and the domain libraries; nothing imports it
//   type:testing   libs/testing       what tests share (moto, fixtures): only tests import it
//   type:model     apps/<model>       Python services, no TypeScript of ours
import nx from '@nx/eslint-plugin';
import tsParser from '@typescript-eslint/parser';

const boundaries = (depConstraints) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    allow: [],
    banTransitiveDependencies: false,
    // The CLI and executors import libraries lazily to start fast (`ephenv help`, the aws path only
    // when asked for), not to split a bundle: a static import elsewhere is fine.
    checkDynamicDependenciesExceptions: ['.*'],
    depConstraints,
  },
];

const everywhere = [
  { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:core', 'type:domain', 'type:testing'] },
  { sourceTag: 'type:plugin', onlyDependOnLibsWithTags: ['type:core', 'type:domain', 'type:testing'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:core', 'type:domain'] },
  { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:core', 'type:domain', 'type:plugin', 'type:testing'] },
  { sourceTag: 'type:model', onlyDependOnLibsWithTags: [] },
];

// What ships (not tests, not test helpers) may not reach for the testing library.
const shipped = everywhere.map((rule) => ({
  ...rule,
  onlyDependOnLibsWithTags: rule.sourceTag === 'type:tooling' ? rule.onlyDependOnLibsWithTags : rule.onlyDependOnLibsWithTags.filter((tag) => tag !== 'type:testing'),
}));

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.ephenv/**', '**/files/**', '**/.terraform/**', '**/*.mts'] },
  { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    languageOptions: { parser: tsParser, ecmaVersion: 2023, sourceType: 'module' },
    plugins: { '@nx': nx },
    rules: { '@nx/enforce-module-boundaries': boundaries(everywhere) },
  },
  {
    files: ['libs/*/src/**/*.ts', 'generators/src/**/*.ts', 'generators/bin/**/*.js'],
    ignores: ['**/*.spec.ts', '**/testing/**', '**/fixtures/**'],
    rules: { '@nx/enforce-module-boundaries': boundaries(shipped) },
  },
];
