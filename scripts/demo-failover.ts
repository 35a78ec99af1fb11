// `npm run demo`: failover on the default config, from nothing. Starts its own Temporal dev server
// (with its UI), the provider simulator and the gateway on free ports, then breaks the providers one
// after another (simulator faults), sends requests to `chat-default` and prints where each one
// went. It stays up for the Temporal UI link until Ctrl-C (`--exit` stops at once).
import OpenAI from 'openai';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { generateGatewayKey, GatewayKeyring } from '../src/api/admission/gateway-keys';
import { defaultConfigPath, loadConfig } from '../src/config/load-config';
import { routeEverythingToSimulator } from '../src/config/simulator-mode';
import { startGateway } from '../src/gateway/start-gateway';
import { startSimulator } from '../src/simulator/start-simulator';
import { startEmbeddedTemporal } from '../src/temporal/embedded-temporal';
import { freePort } from '../test/helpers/free-port';

import type { FaultInput } from '../src/simulator/simulator-faults';

/** Each phase's faults (what is down), and the traffic classes of the requests it sends. */
const phases: Array<{ title: string; faults: FaultInput[]; requests: string[] }> = [
  {
    title: 'OpenAI answers 500 on both accounts',
    faults: [{ match: { provider: 'openai' }, error: 'server_error' }],
    requests: ['standard', 'standard', 'standard'],
  },
  {
    title: 'Anthropic is overloaded too',
    faults: [
      { match: { provider: 'openai' }, error: 'server_error' },
      { match: { provider: 'anthropic' }, error: 'overloaded' },
    ],
    requests: ['standard', 'standard', 'standard'],
  },
  {
    title: "Bedrock's Claude fails as well: background traffic may use the cheaper group",
    faults: [
      { match: { provider: 'openai' }, error: 'server_error' },
      { match: { provider: 'anthropic' }, error: 'overloaded' },
      { match: { provider: 'bedrock', model: 'us.anthropic.claude-sonnet-5-5-v1:0' }, error: 'server_error' },
    ],
    requests: ['background', 'background'],
  },
];

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const uiPort = await freePort();
  const temporal = await startEmbeddedTemporal({ uiPort });
  const simulator = await startSimulator();
  const { config, environment } = routeEverythingToSimulator(
    loadConfig(process.env.GATEWAY_CONFIG ?? defaultConfigPath),
    simulator,
  );
  const key = generateGatewayKey();
  const keyring = new GatewayKeyring(() => config);
  keyring.add(key, 'demo', { admin: true });
  const gateway = await startGateway({
    temporalAddress: temporal.address,
    namespace: temporal.namespace,
    getConfig: () => config,
    keyring,
    port: 0,
    environment: { ...process.env, ...environment },
  });
  const stop = async () => {
    await gateway.stop();
    await simulator.stop();
    await temporal.stop();
  };
  try {
    const openai = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    let failedOver: string | undefined;
    let number = 0;
    for (const phase of phases) {
      simulator.setFaults(phase.faults);
      console.log(`\n${phase.title}:\n`);
      console.log('| # | traffic class | served by | calls | fallback | inference |');
      console.log('|---|---|---|---|---|---|');
      for (const trafficClass of phase.requests) {
        number += 1;
        const { response } = await openai.chat.completions
          .create(
            { model: 'chat-default', messages: [{ role: 'user', content: `request ${number}` }], max_tokens: 32 },
            { headers: { 'x-traffic-class': trafficClass } },
          )
          .withResponse();
        const header = (name: string) => response.headers.get(`x-gateway-${name}`) ?? '?';
        const id = header('inference-id');
        if (header('fallback') === 'true') failedOver ??= id;
        console.log(
          `| ${number} | ${trafficClass} | ${header('provider')}/${header('model')} (${header('account')}, ${header('region')}) | ${header('attempts')} | ${header('fallback')} | ${id} |`,
        );
      }
    }
    console.log(
      `\nCalls to the broken OpenAI routes: ${simulator.callCount('openai/')}. A route's circuit opens after ${config.routing.circuitBreaker.failureThreshold} consecutive failures; later requests skip it without a call ("fallback: false" above means the first route tried answered).`,
    );
    if (failedOver)
      console.log(
        `A failover in the Temporal UI: http://127.0.0.1:${uiPort}/namespaces/${temporal.namespace}/workflows/${failedOver}`,
      );
    if (process.argv.includes('--exit')) return await stop();
    console.log('Press Ctrl-C to stop.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await stop();
  } catch (error) {
    await stop();
    throw error;
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
