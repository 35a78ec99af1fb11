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
import { startTestStack } from '../test/helpers/test-gateway';
import { findOrInstallTemporalCli } from '../src/temporal/temporal-cli';

const outputDir = join(__dirname, '../test/replay/histories');

const cases: Array<{ name: string; model: string; trafficClass: string; faults: FaultInput[] }> = [
  { name: 'success-first-route', model: 'standard', trafficClass: 'standard', faults: [] },
  { name: 'transient-error-then-fallback', model: 'standard', trafficClass: 'standard', faults: [{ match: { model: 'standard-primary' }, error: 'server_error' }] },
  { name: 'deterministic-error-fails-fast', model: 'deterministic', trafficClass: 'standard', faults: [{ match: { model: 'deterministic-primary' }, error: 'invalid_request' }] },
  {
    name: 'all-routes-exhausted',
    model: 'critical',
    trafficClass: 'critical',
    faults: [{ match: { model: 'critical-primary' }, error: 'server_error' }, { match: { model: 'critical-peer' }, error: 'overloaded' }],
  },
  { name: 'out-of-quota', model: 'experiment', trafficClass: 'experiment', faults: [{ match: { model: 'experiment-primary' }, error: 'rate_limited', retryAfterSeconds: 30 }] },
];

async function main(): Promise<void> {
  const cli = findOrInstallTemporalCli().path;
  if (!cli) throw new Error('The Temporal CLI is needed to export histories: run `npm run temporal:cli`.');
  const stack = await startTestStack(routingConfig, routingEnvironment);
  const openai = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
  mkdirSync(outputDir, { recursive: true });
  try {
    for (const { name, model, trafficClass, faults } of cases) {
      stack.simulator.setFaults(faults);
      const { response } = await openai.chat.completions
        .create({ model, messages: [{ role: 'user', content: `replay case ${name}` }], max_tokens: 16 }, { headers: { 'x-traffic-class': trafficClass } })
        .withResponse()
        .catch((error: InstanceType<typeof OpenAI.APIError>) => ({ response: { headers: error.headers as Headers, status: error.status } }));
      const workflowId = response.headers.get('x-gateway-inference-id');
      if (!workflowId) throw new Error(`case ${name}: no inference id`);
      // The CLI writes the standard JSON history format, the same one the Temporal UI downloads.
      const history = execFileSync(cli, ['workflow', 'show', '--workflow-id', workflowId, '--address', stack.temporal.address, '--namespace', stack.temporal.namespace, '--output', 'json'], { encoding: 'utf8' });
      writeFileSync(join(outputDir, `${name}.json`), history);
      console.log(`${name}: ${workflowId} (${(JSON.parse(history) as { events: unknown[] }).events.length} events)`);
    }
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
