// `npm run demo`: seed 003's quota-driven fallback demos on the simulator and a real Temporal dev
// server, printed as distribution tables.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import OpenAI from 'openai';
import { GatewayKeyring } from '../src/api/gateway-keys';
import { startGateway } from '../src/gateway/start-gateway';
import { startSimulator } from '../src/simulator/start-simulator';
import { startEmbeddedTemporal } from '../src/temporal/embedded-temporal';
import { seedDemoConfig, seedEnvironment } from './seed-003-config';

const scenarios = [
  { group: 'seed-a', title: '(a) primary at 3 RPM, fallback at 25 RPM' },
  { group: 'seed-b', title: '(b) two primaries at 3 RPM each, fallback at 25 RPM' },
];

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const temporal = await startEmbeddedTemporal();
  const simulator = await startSimulator();
  const config = seedDemoConfig(simulator);
  const keyring = new GatewayKeyring();
  keyring.add('demo-key', 'demo');
  const gateway = await startGateway({ temporalAddress: temporal.address, namespace: temporal.namespace, getConfig: () => config, keyring, port: 0, environment: seedEnvironment });
  const openai = new OpenAI({ apiKey: 'demo-key', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  try {
    for (const { group, title } of scenarios) {
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () => openai.chat.completions.create({ model: group, messages: [{ role: 'user', content: 'demo' }], max_tokens: 8 }).withResponse()),
      );
      const served: Record<string, number> = {};
      for (const result of results) {
        const account = result.status === 'fulfilled' ? result.value.response.headers.get('x-gateway-account') ?? '?' : `failed (${(result.reason as Error).message})`;
        served[account] = (served[account] ?? 0) + 1;
      }
      console.log(`\n${title}: 10 concurrent requests`);
      console.log('| account | served | simulator calls |');
      console.log('|---|---|---|');
      for (const [account, count] of Object.entries(served)) {
        console.log(`| ${account} | ${count} | ${simulator.callCount(`openai/${account}/us/${group}-model`)} |`);
      }
      console.log(`succeeded: ${results.filter((result) => result.status === 'fulfilled').length}/10`);
    }
  } finally {
    await gateway.stop();
    await simulator.stop();
    await temporal.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
