// The worker alone, for deployments that run the API separately (see docker-compose.yml).
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from './config/load-config';
import { requireVariable } from './gateway/read-environment';
import { createInferenceWorker } from './worker/create-inference-worker';
import { inferenceTaskQueue } from './workflows/inference-types';

async function main(): Promise<void> {
  const config = loadConfig();
  const address = requireVariable('TEMPORAL_ADDRESS', 'the worker connects to an existing Temporal server, e.g. temporal:7233');
  const connection = await NativeConnection.connect({ address });
  const worker = await createInferenceWorker({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: inferenceTaskQueue,
    getConfig: () => config,
  });
  console.log(`Gateway worker polling task queue "${inferenceTaskQueue}" on ${address}`);
  await worker.run(); // The SDK shuts the worker down gracefully on SIGINT and SIGTERM.
  await connection.close();
}

main().catch((error: Error) => {
  console.error(`Gateway worker failed: ${error.message}`);
  process.exit(1);
});
