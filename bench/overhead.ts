// Overhead benchmark: the gateway (durable, on a real Temporal dev server) calling the simulator,
// against the simulator called directly, side by side in one run. Prints added latency and rps.
//   npm run bench                      # 50 ms and 0 ms upstream, 1 and 10 connections, 10 s per target
//   BENCH_SECONDS=30 BENCH_UPSTREAM_MS=0 BENCH_CONNECTIONS=10 npm run bench
import autocannon from 'autocannon';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { cpus } from 'node:os';
import { GatewayKeyring } from '../src/api/gateway-keys';
import { parseConfig } from '../src/config/load-config';
import { startGateway } from '../src/gateway/start-gateway';
import { startSimulator } from '../src/simulator/start-simulator';
import { startEmbeddedTemporal } from '../src/temporal/embedded-temporal';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connectionCounts = (process.env.BENCH_CONNECTIONS ?? '1,10').split(',').map(Number);
const upstreamLatencies = (process.env.BENCH_UPSTREAM_MS ?? '50,0').split(',').map(Number);

const body = JSON.stringify({ model: 'chat-default', messages: [{ role: 'user', content: 'benchmark' }] });

async function measure(url: string, key: string, connections: number) {
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });
  const failures = result.errors + result.timeouts + result.non2xx;
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, total: result.requests.total, failures };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const temporal = await startEmbeddedTemporal();
  const key = 'gw-bench-key';
  const keyring = new GatewayKeyring();
  keyring.add(key, 'bench');
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model}), node ${process.version}; ${seconds} s per target; load generator, gateway, simulator and Temporal share the machine`);
  console.log('| upstream | connections | target | p50 ms | p99 ms | req/s | requests | failures |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const latencyMs of upstreamLatencies) {
    const simulator = await startSimulator({ faults: latencyMs > 0 ? [{ latencyMs }] : [] });
    const config = parseConfig({
      providers: [{ id: 'openai', kind: 'openai', timeoutMs: 30_000, accounts: [{ id: 'bench', apiKeyEnv: 'BENCH_KEY', regions: [{ id: 'local', baseUrl: simulator.openAIBaseUrl('local') }] }] }],
      modelGroups: [{ name: 'chat-default', deployments: [{ provider: 'openai', model: 'chat-default', account: 'bench', region: 'local' }] }],
    });
    const gateway = await startGateway({
      temporalAddress: temporal.address, namespace: temporal.namespace, getConfig: () => config, keyring, port: 0,
      taskQueue: `bench-${latencyMs}`, environment: { BENCH_KEY: 'bench' },
    });
    await measure(`${gateway.url}/v1/chat/completions`, key, 10); // warm-up: caches, JIT
    for (const connections of connectionCounts) {
      const direct = await measure(`${simulator.openAIBaseUrl('local')}/chat/completions`, key, connections);
      const durable = await measure(`${gateway.url}/v1/chat/completions`, key, connections);
      for (const [target, figures] of [['simulator direct', direct], ['through gateway', durable]] as const) {
        console.log(`| ${latencyMs} ms | ${connections} | ${target} | ${figures.p50} | ${figures.p99} | ${figures.rps.toFixed(0)} | ${figures.total} | ${figures.failures} |`);
      }
      console.log(`| ${latencyMs} ms | ${connections} | **added by gateway** | **+${durable.p50 - direct.p50}** | **+${durable.p99 - direct.p99}** | ${(durable.rps / direct.rps * 100).toFixed(0)}% of direct | | |`);
    }
    await gateway.stop();
    await simulator.stop();
  }
  await temporal.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
