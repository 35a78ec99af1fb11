import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

// Workflow code is replayed by Temporal and must be deterministic: no Node built-ins and no I/O
// packages. Anything with side effects belongs in src/activities.
const forbiddenInWorkflows = [
  ...builtinModules,
  ...builtinModules.map((name) => `node:${name}`),
  'express',
  'openai',
  '@anthropic-ai/sdk',
  'ioredis',
  'pino',
  'yaml',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
];

// Every workflow run in a worker shares its workflow modules, evaluated once: a module-level
// variable or collection would carry one run's state into the next.
const moduleScopeIsShared =
  'Workflow modules are loaded once and shared by every run (src/worker/workflow-bundling.ts): keep module scope constant and per-run state inside the workflow function.';

export default tseslint.config(
  { ignores: ['node_modules/', 'tools/', '.data/', 'dist/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // An un-awaited promise in the gateway is a lost error or a call that races its caller.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: forbiddenInWorkflows.map((name) => ({
            name,
            message: 'Workflow code must be deterministic: move I/O into an activity.',
            allowTypeImports: true,
          })),
          patterns: [
            {
              group: ['@aws-sdk/*', '../activities/*', '../api/*', '../state/*', '../providers/*/*-adapter'],
              message: 'Workflow code must be deterministic: import activities as types only.',
              allowTypeImports: true,
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'process', message: 'Workflows cannot read the environment.' },
        { name: 'fetch', message: 'Workflows cannot do I/O.' },
      ],
      // The worker preloads these modules once and shares them with every run (src/worker/workflow-bundling.ts).
      'no-restricted-syntax': [
        'error',
        ...['Program > VariableDeclaration', 'Program > ExportNamedDeclaration > VariableDeclaration'].flatMap(
          (declaration) => [
            {
              selector: `${declaration}[kind!='const']`,
              message: moduleScopeIsShared,
            },
            {
              selector: `${declaration} > VariableDeclarator > NewExpression[callee.name=/^(Map|Set|WeakMap|WeakSet|Array)$/]`,
              message: moduleScopeIsShared,
            },
          ],
        ),
      ],
    },
  },
);
