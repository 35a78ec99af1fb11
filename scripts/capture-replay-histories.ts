// `npm run replay:capture`: runs representative inferences on the simulator and a real Temporal
// dev server and saves their histories under test/replay/histories/. `npm test` replays them, so
// a workflow change that would break running inferences fails the suite. Capture again only when
// the workflow changes on purpose (behind patched() or as a new workflow type).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { FaultInput } from '../src/simulator/simulator-faults';
import { routingConfig, routingEnvironment } from '../test/helpers/routing-scenarios';
import { startTestStack, type TestStack } from '../test/helpers/test-gateway';
import { tenantConfig, tenantKeys } from '../test/helpers/tenant-scenarios';
import { embeddingConfig } from '../test/helpers/embedding-scenarios';
import { budgetPeriods } from '../src/state/budget-periods';
import { findOrInstallTemporalCli } from '../src/temporal/temporal-cli';

const outputDir = join(__dirname, '../test/replay/histories');

const cases: Array<{ name: string; model: string; trafficClass: string; faults: FaultInput[] }> = [
  { name: 'success-first-route', model: 'standard', trafficClass: 'standard', faults: [] },
  {
    name: 'transient-error-then-fallback',
    model: 'standard',
    trafficClass: 'standard',
    faults: [{ match: { model: 'standard-primary' }, error: 'server_error' }],
  },
  {
    name: 'deterministic-error-fails-fast',
    model: 'deterministic',
    trafficClass: 'standard',
    faults: [{ match: { model: 'deterministic-primary' }, error: 'invalid_request' }],
  },
  {
    name: 'all-routes-exhausted',
    model: 'critical',
    trafficClass: 'critical',
    faults: [
      { match: { model: 'critical-primary' }, error: 'server_error' },
      { match: { model: 'critical-peer' }, error: 'overloaded' },
    ],
  },
  {
    name: 'out-of-quota',
    model: 'experiment',
    trafficClass: 'experiment',
    faults: [{ match: { model: 'experiment-primary' }, error: 'rate_limited', retryAfterSeconds: 30 }],
  },
  {
    // Every route answers 429 (3 s) once: the batch inference waits on a timer, then the first route serves it.
    name: 'batch-waits-for-quota',
    model: 'batch',
    trafficClass: 'batch',
    faults: ['batch-primary', 'batch-peer', 'batch-cheap'].map((model) => ({
      match: { model },
      error: 'rate_limited' as const,
      retryAfterSeconds: 3,
      times: 1,
    })),
  },
];

/** Cases named on the command line (`npm run replay:capture -- budget-downgrade`); all when none. */
const only = process.argv.slice(2);

/** Sends one request and saves its history under `name`. */
async function capture(cli: string, stack: TestStack, name: string, send: () => Promise<unknown>): Promise<void> {
  if (only.length > 0 && !only.includes(name)) return;
  const response = await send().then(
    (result) => (result as { response: Response }).response,
    (error: InstanceType<typeof OpenAI.APIError>) => ({ headers: error.headers as Headers }),
  );
  const workflowId = response.headers.get('x-gateway-inference-id');
  if (!workflowId) throw new Error(`case ${name}: no inference id`);
  // The CLI writes the standard JSON history format, the same one the Temporal UI downloads.
  const history = execFileSync(
    cli,
    [
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
      '--address',
      stack.temporal.address,
      '--namespace',
      stack.temporal.namespace,
      '--output',
      'json',
    ],
    { encoding: 'utf8' },
  );
  writeFileSync(join(outputDir, `${name}.json`), history);
  console.log(`${name}: ${workflowId} (${(JSON.parse(history) as { events: unknown[] }).events.length} events)`);
}

const chat = (openai: OpenAI, model: string, name: string, headers: Record<string, string> = {}) =>
  openai.chat.completions
    .create({ model, messages: [{ role: 'user', content: `replay case ${name}` }], max_tokens: 16 }, { headers })
    .withResponse();

async function routingCases(cli: string): Promise<void> {
  const stack = await startTestStack(routingConfig, routingEnvironment);
  const openai = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
  try {
    for (const { name, model, trafficClass, faults } of cases) {
      stack.simulator.setFaults(faults);
      await capture(cli, stack, name, () => chat(openai, model, name, { 'x-traffic-class': trafficClass }));
    }
    // A route cooling down after a 30 s Retry-After is skipped without a call, and the refusal
    // reads from the route state when it serves again (the first request starts the cool-down).
    const experiment = { 'x-traffic-class': 'experiment' };
    stack.simulator.setFaults([
      { match: { model: 'experiment-primary' }, error: 'rate_limited', retryAfterSeconds: 30, times: 1 },
    ]);
    await chat(openai, 'experiment', 'cool-down', experiment).catch(() => undefined);
    await capture(cli, stack, 'cooling-route-refused', () =>
      chat(openai, 'experiment', 'cooling-route-refused', experiment),
    );
  } finally {
    await stack.stop();
  }
}

/** A sticky session that moves on failover, and a background request downgraded by its budget. */
async function tenantCases(cli: string): Promise<void> {
  const stack = await startTestStack(tenantConfig, routingEnvironment);
  const client = (key: string) => new OpenAI({ apiKey: key, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
  try {
    const session = { 'x-session-id': 'replay-session' };
    await chat(client(tenantKeys.sticky), 'sticky', 'bind', session);
    stack.simulator.setFaults([{ match: { model: 'sticky-a' }, error: 'server_error' }]);
    await capture(cli, stack, 'sticky-session-moves', () =>
      chat(client(tenantKeys.sticky), 'sticky', 'sticky-session-moves', session),
    );
    stack.simulator.setFaults([]);
    await stack.store.settleSpend(budgetPeriods(stack.config, 'tiers', Date.now()), undefined, 8.5, Date.now());
    await capture(cli, stack, 'budget-downgrade', () =>
      chat(client(tenantKeys.tiers), 'budget-chat', 'budget-downgrade', { 'x-traffic-class': 'background' }),
    );
  } finally {
    await stack.stop();
  }
}

/** An embedding inference whose overloaded primary falls back to an openai-compatible route. */
async function embeddingCases(cli: string): Promise<void> {
  const stack = await startTestStack(embeddingConfig);
  const openai = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
  try {
    stack.simulator.setFaults([{ match: { provider: 'openai', account: 'primary' }, error: 'overloaded' }]);
    await capture(cli, stack, 'embedding-fallback', () =>
      openai.embeddings.create({ model: 'embed-failover', input: ['replay case embedding-fallback'] }).withResponse(),
    );
  } finally {
    await stack.stop();
  }
}

async function main(): Promise<void> {
  const cli = findOrInstallTemporalCli().path;
  if (!cli) throw new Error('The Temporal CLI is needed to export histories: run `npm run temporal:cli`.');
  mkdirSync(outputDir, { recursive: true });
  await routingCases(cli);
  await tenantCases(cli);
  await embeddingCases(cli);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
