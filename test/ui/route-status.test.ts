import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { ProbeResult } from '../../src/activities/probe-activities';
import type { RouteStatusView } from '../../src/api/route-status-view';
import { launchChromium, type TestBrowser } from '../helpers/chromium';
import { freePort } from '../helpers/free-port';
import { startTestStack, testProviderEnvironment, simulatorConfig, type TestStack } from '../helpers/test-gateway';

const screenshotPath = join(__dirname, '../../test-artifacts/route-status.png');
const claudeRoute = 'anthropic/anthropic-main/us/claude-sim';

describe('route status: GET /v1/routes and the /status page', () => {
  let stack: TestStack;
  let browser: TestBrowser | undefined;

  before(async () => {
    stack = await startTestStack(simulatorConfig, testProviderEnvironment, undefined, undefined, undefined, {
      uiPort: await freePort(),
    });
    // Two server errors on the only route of `claude`, then a probe of every route.
    stack.simulator.setFaults([{ match: { provider: 'anthropic' }, error: 'server_error' }]);
    const openai = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
    await assert.rejects(
      openai.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'fail' }] }),
    );
    await openai.chat.completions.create({ model: 'chat-default', messages: [{ role: 'user', content: 'works' }] });
    stack.simulator.setFaults([]);
    const probes: ProbeResult[] = await stack.gateway.client.workflow.execute('probeRoutes', {
      taskQueue: stack.gateway.taskQueue,
      workflowId: `probe-status-${Date.now()}`,
    });
    assert.equal(probes.length, 4);
  });
  after(async () => {
    try {
      await browser?.close();
    } finally {
      await stack?.stop();
    }
  });

  const routes = (key: string) =>
    fetch(`${stack.gateway.url}/v1/routes`, { headers: { authorization: `Bearer ${key}` } });

  it('lists every route with its circuit, windows, latency, last probe and recent errors, for admin keys only', async () => {
    const response = await routes(stack.gatewayKey);
    assert.equal(response.status, 200);
    const { data } = (await response.json()) as { data: RouteStatusView[] };
    assert.deepEqual(data.map((view) => view.route).sort(), [
      'anthropic/anthropic-main/us/claude-sim',
      'bedrock/aws-main/us-east-1/us.amazon.nova-lite-v1:0',
      'openai/primary/us/sim-gpt',
      'vllm/onprem/dc1/llama-sim',
    ]);
    const claude = data.find((view) => view.route === claudeRoute)!;
    assert.deepEqual(claude.model_groups, ['claude']);
    assert.deepEqual(claude.recent_errors, { ServerError: 2 }, 'the two failed calls, by type');
    assert.equal(claude.circuit.state, 'closed', 'the successful probe closed it');
    assert.equal(claude.circuit.consecutive_failures, 0);
    assert.equal(claude.last_probe?.ok, true);
    const gpt = data.find((view) => view.route === 'openai/primary/us/sim-gpt')!;
    assert.equal(gpt.windows.requests.used, 1, 'the one request of this minute (a probe is not a reservation)');
    assert.equal(gpt.windows.requests.limit, null);
    assert.ok(gpt.latency_ewma_ms !== null);
    assert.deepEqual(gpt.recent_errors, {});
    const refused = await routes(stack.otherTenantKey);
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'admin_required');
  });

  it('shows the same at a glance in a browser after signing in, with links into the Temporal UI, and keeps a screenshot', async () => {
    browser = await launchChromium({ width: 1600, height: 900 });
    const page = await browser.context.newPage();
    const refused = await page.goto(`${stack.gateway.url}/status`);
    assert.equal(refused?.status(), 401, 'no key, no status');
    await page.goto(`${stack.gateway.url}/status/session`);
    await page.fill('input[name=key]', stack.gatewayKey);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    await page.click('text=Open the route status');
    await page.waitForSelector('h1:has-text("Gateway route status")');
    const claudeRow = await page.locator('tr', { hasText: claudeRoute }).innerText();
    assert.match(claudeRow, /ServerError ×2/);
    assert.match(claudeRow, /closed/);
    const link = await page.locator(`a[href^="${stack.temporal.uiUrl}/namespaces/"]`).first().getAttribute('href');
    assert.match(link ?? '', /\/workflows\/inf-/, 'the last inferences link into the Temporal UI');
    mkdirSync(join(screenshotPath, '..'), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    assert.ok(statSync(screenshotPath).size > 10_000);
  });
});
