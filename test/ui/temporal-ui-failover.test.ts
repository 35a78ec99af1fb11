import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { GatewayConfig } from '../../src/config/gateway-config-schema';
import { parseConfig } from '../../src/config/load-config';
import type { RunningSimulator } from '../../src/simulator/start-simulator';
import { launchChromium, type TestBrowser } from '../helpers/chromium';
import { freePort } from '../helpers/free-port';
import { startTestStack, testProviderEnvironment, type TestStack } from '../helpers/test-gateway';

const screenshotPath = join(__dirname, '../../test-artifacts/temporal-ui-failover.png');
const waitMs = 30_000;

/** One model group, two deployments: OpenAI first, Anthropic when OpenAI fails. */
function failoverConfig(simulator: RunningSimulator): GatewayConfig {
  return parseConfig({
    providers: [
      {
        id: 'openai',
        kind: 'openai',
        timeoutMs: 10_000,
        accounts: [
          {
            id: 'primary',
            apiKeyEnv: 'TEST_OPENAI_KEY',
            regions: [{ id: 'us', baseUrl: simulator.openAIBaseUrl('us') }],
          },
        ],
      },
      {
        id: 'anthropic',
        kind: 'anthropic',
        timeoutMs: 10_000,
        accounts: [
          {
            id: 'anthropic-main',
            apiKeyEnv: 'TEST_ANTHROPIC_KEY',
            regions: [{ id: 'us', baseUrl: simulator.anthropicBaseUrl('us') }],
          },
        ],
      },
    ],
    modelGroups: [
      {
        name: 'chat-default',
        deployments: [
          { provider: 'openai', model: 'sim-gpt', account: 'primary', region: 'us', priority: 0 },
          { provider: 'anthropic', model: 'claude-sim', account: 'anthropic-main', region: 'us', priority: 1 },
        ],
      },
    ],
    // No probe workflows: they would hit the fault too and clutter the namespace.
    routing: { probeIntervalSeconds: 0 },
  });
}

describe('Temporal UI shows an inference that failed over', () => {
  let stack: TestStack | undefined;
  let browser: TestBrowser | undefined;

  before(async () => {
    stack = await startTestStack(failoverConfig, testProviderEnvironment, undefined, undefined, undefined, {
      uiPort: await freePort(),
    });
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      await stack?.stop();
    }
  });

  it('lists the failed attempt, the successful one and "after 1 fallback", and keeps a screenshot', async () => {
    // Launched here rather than in a hook, so that a missing browser counts as a failed test.
    browser = await launchChromium({ width: 1440, height: 1200 });
    assert.ok(stack?.temporal.uiUrl);
    stack.simulator.setFaults([{ match: { model: 'sim-gpt' }, error: 'server_error' }]);
    const openai = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
    const { data, response } = await openai.chat.completions
      .create({
        model: 'chat-default',
        messages: [{ role: 'user', content: 'hello from the browser test' }],
        max_tokens: 16,
      })
      .withResponse();
    assert.equal(data.choices[0]?.message.content, 'Simulated reply to: hello from the browser test');
    assert.equal(response.headers.get('x-gateway-fallback'), 'true');
    assert.equal(response.headers.get('x-gateway-provider'), 'anthropic');
    const workflowId = response.headers.get('x-gateway-inference-id');
    assert.ok(workflowId);

    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    // One row per event with a summary: the summary, then the event's status badge. Standard
    // traffic calls providers as local activities, whose rows carry no outcome badge, so the
    // story is in the summaries: the call, the timed retry that says why, the next round's
    // provider step that says why, and the call that served.
    const attemptRow = (summary: string) =>
      page.locator('div.justify-between', { has: page.getByText(summary, { exact: true }) });
    const failedAttempt = attemptRow('attempt 1: openai/sim-gpt (primary, us)');
    const retryTimer = attemptRow(
      'attempt 1: openai/sim-gpt (primary, us) failed with ServerError (HTTP 500): retry on the same route in 250 ms',
    );
    const fallbackStep = attemptRow('chat-default: choose provider after attempt 1 failed with ServerError');
    const successfulAttempt = attemptRow('attempt 2: anthropic/claude-sim (anthropic-main, us)');
    // Current details come from a live query to the worker and are rendered in their own frame.
    const currentDetails = page
      .locator('xpath=//h3[normalize-space()="Current Details"]/following::iframe[1]')
      .contentFrame()
      .locator('body');
    mkdirSync(join(screenshotPath, '..'), { recursive: true });
    try {
      await page.goto(`${stack.temporal.uiUrl}/namespaces/${stack.temporal.namespace}/workflows/${workflowId}`);
      // The workflow page opens on its history; the summaries of every activity and the
      // workflow's current details are on the User Metadata tab.
      await page.getByRole('tab', { name: 'User Metadata' }).click({ timeout: waitMs });
      for (const row of [failedAttempt, retryTimer, fallbackStep, successfulAttempt])
        await row.waitFor({ timeout: waitMs });
      await currentDetails.getByText('after 1 fallback').waitFor({ timeout: waitMs });
    } finally {
      // Kept on failure too, to show what the page looked like.
      await page.screenshot({ path: screenshotPath, fullPage: true });
    }

    assert.match(await failedAttempt.innerText(), /^Local Activity\b/);
    assert.match(await retryTimer.innerText(), /^Timer\b[\s\S]*\bFired\b/);
    assert.match(await fallbackStep.innerText(), /^Local Activity\b/);
    const successfulRow = await successfulAttempt.innerText();
    assert.match(successfulRow, /^Local Activity\b/);
    assert.doesNotMatch(successfulRow, /attempt 1/, 'the row holds one event only');
    assert.equal(
      (await currentDetails.innerText()).trim(),
      'chat-default → anthropic/claude-sim in us after 1 fallback',
    );
    assert.ok(statSync(screenshotPath).size > 20_000, `${screenshotPath} is too small to show the page`);
  });
});
