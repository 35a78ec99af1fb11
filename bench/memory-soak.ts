// Memory soak: drives the gateway (durable, embedded Temporal, 0 ms simulator) with steady load
// for BENCH_SOAK_MINUTES (default 10) and samples the gateway process's memory after a forced GC
// every 30 s. Run with `npm run bench:soak`; it prints a table to compare the first and last rows.
import autocannon from 'autocannon';
import { startTestStack } from '../test/helpers/test-gateway';

const minutes = Number(process.env.BENCH_SOAK_MINUTES ?? 10);
const sampleEveryMs = 30_000;
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function main(): Promise<void> {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with node --expose-gc (npm run bench:soak does)');
  const stack = await startTestStack();

  console.log(`memory soak: ${minutes} min, 10 connections, 0 ms upstream; gateway process after a forced GC`);
  console.log('| minute | requests so far | heap used MiB | RSS MiB | external MiB |');
  console.log('|---|---|---|---|---|');
  let requests = 0;
  const sample = (minute: number) => {
    collect();
    const memory = process.memoryUsage();
    console.log(
      `| ${minute.toFixed(1)} | ${requests} | ${mib(memory.heapUsed)} | ${mib(memory.rss)} | ${mib(memory.external)} |`,
    );
  };
  const started = Date.now();
  sample(0);
  const timer = setInterval(() => sample((Date.now() - started) / 60_000), sampleEveryMs);
  const result = await autocannon({
    url: `${stack.gateway.url}/v1/chat/completions`,
    method: 'POST',
    connections: 10,
    duration: minutes * 60,
    headers: { authorization: `Bearer ${stack.gatewayKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'chat-default', messages: [{ role: 'user', content: 'soak' }] }),
    setupClient: (client) => client.on('response', () => (requests += 1)),
  });
  clearInterval(timer);
  sample((Date.now() - started) / 60_000);
  console.log(`total ${result.requests.total} requests, ${result.non2xx} non-2xx, ${result.errors} errors`);
  await stack.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
