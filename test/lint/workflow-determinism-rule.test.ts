import { ESLint } from 'eslint';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

// Lints sample text as if it lived in src/workflows, proving the determinism rule bites.
async function lintAsWorkflow(source: string) {
  // The sample file is not on disk, so the typed rules (which need the TypeScript project) are off.
  const eslint = new ESLint({
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false } },
      rules: { '@typescript-eslint/no-floating-promises': 'off' },
    },
  });
  const [result] = await eslint.lintText(source, { filePath: 'src/workflows/sample-workflow.ts' });
  return (result?.messages ?? []).filter((message) => message.severity === 2);
}

describe('workflow determinism lint rule', () => {
  it('forbids Node built-ins and I/O packages in src/workflows', async () => {
    for (const module of ['node:fs', 'crypto', 'openai', 'express', '@temporalio/activity']) {
      const errors = await lintAsWorkflow(`import * as forbidden from '${module}';\nexport const value = forbidden;\n`);
      assert.ok(
        errors.some((error) => error.ruleId === '@typescript-eslint/no-restricted-imports'),
        `${module} must be rejected`,
      );
    }
  });

  it('forbids timers and the environment', async () => {
    const errors = await lintAsWorkflow(
      'export function run(): void {\n  setTimeout(() => {}, 1);\n  console.log(process.env.X);\n}\n',
    );
    assert.deepEqual(
      errors.map((error) => error.ruleId),
      ['no-restricted-globals', 'no-restricted-globals'],
    );
  });

  it('keeps module scope constant: the worker shares workflow modules between runs', async () => {
    for (const declaration of [
      'let runs = 0;\nexport const count = () => ++runs;\n',
      'export let last = "";\n',
      'const seen = new Map<string, number>();\nexport const see = (id: string) => seen.set(id, 1);\n',
      'export const ids = new Set<string>();\n',
    ]) {
      const errors = await lintAsWorkflow(declaration);
      assert.ok(
        errors.some((error) => error.ruleId === 'no-restricted-syntax'),
        `module-level state must be rejected: ${declaration}`,
      );
    }
    assert.deepEqual(
      await lintAsWorkflow(
        "const limits: readonly string[] = ['a'];\nexport const has = (x: string) => limits.includes(x);\n",
      ),
      [],
    );
  });

  it('allows type-only imports of activities and @temporalio/workflow', async () => {
    const errors = await lintAsWorkflow(
      "import { proxyActivities } from '@temporalio/workflow';\nimport type { GatewayActivities } from '../activities/create-activities';\nexport const activities = proxyActivities<GatewayActivities>({ startToCloseTimeout: '1s' });\n",
    );
    assert.deepEqual(errors, []);
  });
});
