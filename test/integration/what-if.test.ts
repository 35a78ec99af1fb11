import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { stringify } from 'yaml';
import type { GatewayConfig } from '../../src/config/gateway-config-schema';
import { parseConfig } from '../../src/config/load-config';
import { readRecordedInferences } from '../../src/what-if/read-recorded-inferences';
import type { RecordedInference } from '../../src/what-if/route-again';
import { compareConfigs } from '../../src/what-if/what-if-report';
import { startTestStack, type TestStack } from '../helpers/test-gateway';

describe('what-if: a proposed config on recorded inferences', () => {
  let stack: TestStack;
  let recorded: RecordedInference[];
  const folder = mkdtempSync(join(tmpdir(), 'gateway-what-if-'));

  /** The stack's config with a change applied. */
  const variant = (change: (config: GatewayConfig) => void): GatewayConfig => {
    const copy = structuredClone(stack.config);
    change(copy);
    return parseConfig(copy);
  };

  before(async () => {
    stack = await startTestStack();
    const openai = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
    const ask = (model: string, trafficClass: string) =>
      openai.chat.completions.create(
        { model, messages: [{ role: 'user', content: `what if ${model}` }] },
        { headers: { 'x-traffic-class': trafficClass } },
      );
    for (let i = 0; i < 3; i++) await ask('chat-default', 'standard');
    await ask('chat-default', 'background');
    await ask('claude', 'standard');
    for (let tries = 0; ; tries++) {
      ({ recorded } = await readRecordedInferences(stack.gateway.client));
      if (recorded.length >= 5 || tries > 50) break;
      await delay(200);
    }
  });
  after(async () => {
    rmSync(folder, { recursive: true, force: true });
    await stack?.stop();
  });

  it('reads each recorded inference: its input and the decision record its steps wrote', () => {
    assert.equal(recorded.length, 5);
    assert.ok(
      recorded.every(
        (inference) =>
          inference.input.needs.estimatedPromptTokens > 0 && inference.decision.selections[0]?.steps.length === 4,
      ),
    );
  });

  it('the same config changes nothing', () => {
    const { rows, changes } = compareConfigs(stack.config, stack.config, recorded);
    assert.deepEqual(changes, []);
    assert.deepEqual(
      rows.map((row) => [row.trafficClass, row.modelGroup, row.inferences, row.routedDifferently]),
      [
        ['background', 'chat-default', 1, 0],
        ['standard', 'chat-default', 3, 0],
        ['standard', 'claude', 1, 0],
      ],
    );
    assert.ok(rows.every((row) => row.baselineCost === row.proposedCost));
  });

  it('moving a group to another provider reroutes exactly its inferences, with the cost difference from the prices', () => {
    const proposed = variant((config) => {
      config.modelGroups.find((group) => group.name === 'chat-default')!.deployments = structuredClone(
        config.modelGroups.find((group) => group.name === 'claude')!.deployments,
      );
    });
    const { rows, changes } = compareConfigs(stack.config, proposed, recorded);
    assert.equal(changes.length, 4);
    assert.ok(
      changes.every(
        (change) =>
          change.baseline.route === 'openai/primary/us/sim-gpt' &&
          change.proposed.route === 'anthropic/anthropic-main/us/claude-sim',
      ),
    );
    const standard = rows.find((row) => row.trafficClass === 'standard' && row.modelGroup === 'chat-default')!;
    assert.equal(standard.routedDifferently, 3);
    assert.ok(standard.baselineCost > 0, 'sim-gpt has a price');
    assert.equal(standard.proposedCost, 0, 'claude-sim has none');
    assert.equal(rows.find((row) => row.modelGroup === 'claude')?.routedDifferently, 0);
  });

  it('a cost ceiling on standard traffic refuses exactly the standard inferences it prices out', () => {
    const proposed = variant((config) => {
      config.trafficClasses.standard = { ...config.trafficClasses.standard, costCeiling: 1e-9 };
    });
    const { rows } = compareConfigs(stack.config, proposed, recorded);
    const byKey = Object.fromEntries(rows.map((row) => [`${row.trafficClass}/${row.modelGroup}`, row.newlyRefused]));
    // claude-sim has no price, so no estimate exceeds the ceiling.
    assert.deepEqual(byKey, { 'background/chat-default': 0, 'standard/chat-default': 3, 'standard/claude': 0 });
  });

  it('npm run what-if prints the table from any Temporal server, offline', () => {
    const baseline = join(folder, 'baseline.yaml');
    const proposedPath = join(folder, 'proposed.yaml');
    writeFileSync(baseline, stringify(stack.config));
    writeFileSync(
      proposedPath,
      stringify(
        variant((config) => {
          config.trafficClasses.standard = { ...config.trafficClasses.standard, costCeiling: 1e-9 };
        }),
      ),
    );
    const run = spawnSync(
      'npm',
      ['run', '--silent', 'what-if', '--', '--config', proposedPath, '--baseline', baseline, '--since', '1h'],
      {
        encoding: 'utf8',
        timeout: 120_000,
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: stack.temporal.address,
          TEMPORAL_NAMESPACE: stack.temporal.namespace,
          LOG_LEVEL: 'silent',
        },
      },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Recorded inferences compared: 5\./);
    assert.match(run.stdout, /\| standard \| chat-default \| 3 \| 3 \| 3 \| 0 \|/);
    assert.match(run.stdout, /openai\/primary\/us\/sim-gpt → no route \(openai: cost_ceiling/);
  });
});
