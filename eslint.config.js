// One linter configuration for the whole hub: type-aware TypeScript rules, floating
// promises forbidden, and `process.env` read only where configuration is parsed.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', '.cache/', 'coverage/', 'test-output/', '**/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through common/config/.' },
      ],
    },
  },
  {
    // configuration parsing, child-process environments and the test harness's own variables
    files: [
      'common/config/*.ts',
      'common/db/ferretdb-build.ts',
      'scripts/start.ts',
      'scripts/cluster/env.ts',
      'scripts/cluster/toxiproxy.ts',
      'test/**/*.ts',
      'test/**/*.js',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', globalThis: 'readonly' } },
  },
);
