// The worker alone, for deployments that run the API separately (see docker-compose.yml).
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { ensureRouteProbeSchedule } from './worker/route-probe-schedule';
import { watchConfig } from './config/config-watcher';
import { defaultConfigPath } from './config/load-config';
import { requireVariable } from './gateway/read-environment';
import { createInferenceWorker } from './worker/create-inference-worker';
import { inferenceTaskQueue } from './workflows/inference-types';

async function main(): Promise<void> {
  const configPath = process.env.GATEWAY_CONFIG ?? defaultConfigPath;
  const config = watchConfig(configPath, {
    onReload: (_config, version) => console.log(`Config reloaded from ${configPath}: policy version ${version}`),
    onError: (error) => console.error(`Config change ignored, the previous config stays in force:\n${error.message}`),
  });
  const address = requireVariable('TEMPORAL_ADDRESS', 'the worker connects to an existing Temporal server, e.g. temporal:7233');
  const connection = await NativeConnection.connect({ address });
  const worker = await createInferenceWorker({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: inferenceTaskQueue,
    getConfig: config.get,
  });
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  await ensureRouteProbeSchedule(new Client({ connection, namespace }), inferenceTaskQueue, config.get().routing.probeIntervalSeconds);
  console.log(`Gateway worker polling task queue "${inferenceTaskQueue}" on ${address}`);
  await worker.run(); // The SDK shuts the worker down gracefully on SIGINT and SIGTERM.
  await connection.close();
}

main().catch((error: Error) => {
  console.error(`Gateway worker failed: ${error.message}`);
  process.exit(1);
});
