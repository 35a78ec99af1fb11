// The worker alone, for deployments that run the API separately (see docker-compose.yml).
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { registerSearchAttributes } from './temporal/register-search-attributes';
import { ensureRouteProbeSchedule } from './worker/route-probe-schedule';
import { watchGatewayConfig } from './config/config-watcher';
import { requireVariable } from './gateway/read-environment';
import { createStreamChannel } from './streaming/create-stream-channel';
import { payloadCodecFromEnvironment } from './temporal/payload-codec-from-environment';
import { gatewayDataConverter } from './temporal/gateway-data-converter';
import { payloadStorageFromEnvironment } from './temporal/payload-storage-from-environment';
import { createInferenceWorker } from './worker/create-inference-worker';
import { describeTracing, startTracing } from './observability/tracing';
import { tracingClientInterceptors } from './temporal/tracing-interceptors';
import { inferenceTaskQueue } from './workflows/inference-types';

async function main(): Promise<void> {
  const config = watchGatewayConfig();
  const payloadCodec = payloadCodecFromEnvironment(); // fails fast on a malformed key
  const payloadStorage = payloadStorageFromEnvironment(process.env, { shared: true });
  const address = requireVariable(
    'TEMPORAL_ADDRESS',
    'the worker connects to an existing Temporal server, e.g. temporal:7233',
  );
  const tracing = startTracing();
  const connection = await NativeConnection.connect({ address });
  await registerSearchAttributes(connection, process.env.TEMPORAL_NAMESPACE ?? 'default');
  const taskQueue = process.env.GATEWAY_TASK_QUEUE ?? inferenceTaskQueue;
  // Redis pub/sub with REDIS_URL; without it streamed answers reach a separate API only at their end.
  const streams = createStreamChannel();
  const worker = await createInferenceWorker({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue,
    getConfig: config.get,
    streams,
    payloadCodec,
    payloadStorage,
    tracing,
  });
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const client = new Client({
    connection,
    namespace,
    dataConverter: gatewayDataConverter(payloadCodec, payloadStorage),
    ...(tracing && { interceptors: tracingClientInterceptors(tracing) }),
  });
  await ensureRouteProbeSchedule(client, taskQueue, config.get().routing.probeIntervalSeconds);
  console.log(
    `Gateway worker polling task queue "${taskQueue}" on ${address}${payloadCodec ? `, payloads encrypted with key ${payloadCodec.current.id}` : ''}; tracing: ${describeTracing(tracing)}`,
  );
  await worker.run(); // The SDK shuts the worker down gracefully on SIGINT and SIGTERM.
  await connection.close();
  await tracing?.shutdown();
  // Redis connections (stream channel, route state) would keep the process alive.
  await streams.close();
  process.exit(0);
}

main().catch((error: Error) => {
  console.error(`Gateway worker failed: ${error.message}`);
  process.exit(1);
});
