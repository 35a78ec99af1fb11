// The upstream provider for the bench, in a process of its own: the project's provider simulator
// on a free loopback port. Its latency is set over its control API (PUT /_simulator/faults).
// Prints one JSON line {"event":"listening","url":…} once it listens; stops on SIGTERM or SIGINT.
import { startSimulator } from '../src/simulator/start-simulator';

async function main(): Promise<void> {
  const latencyMs = Number(process.env.BENCH_UPSTREAM_MS ?? 0);
  const simulator = await startSimulator({ faults: latencyMs > 0 ? [{ latencyMs }] : [] });
  console.log(JSON.stringify({ event: 'listening', url: simulator.url }));
  const stop = () => void simulator.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: Error) => {
  console.error(`simulator failed to start: ${error.message}`);
  process.exit(1);
});
