// The provider simulator as a process of its own, for deployments whose API and workers run
// apart (`npm run stack` without provider keys). Listens on 127.0.0.1:SIMULATOR_PORT (a free port
// when unset or 0), prints "Provider simulator listening on <url>", stops on SIGTERM or SIGINT.
import { readPort } from '../gateway/read-environment';
import { startSimulator } from './start-simulator';

async function main(): Promise<void> {
  const simulator = await startSimulator({ port: readPort('SIMULATOR_PORT', 0) });
  console.log(`Provider simulator listening on ${simulator.url}`);
  const stop = () => void simulator.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: Error) => {
  console.error(`Provider simulator failed to start: ${error.message}`);
  process.exit(1);
});
