// The HTTP API alone, for deployments that run workers separately (see docker-compose.yml).
import { Client, Connection } from '@temporalio/client';
import { defaultCodecCorsOrigins } from './api/codec/codec-routes';
import { GatewayKeyring } from './api/admission/gateway-keys';
import { watchGatewayConfig } from './config/config-watcher';
import { readList, readPort, requireVariable } from './gateway/read-environment';
import { startApiServer } from './gateway/start-api-server';
import { createRouteStateStore } from './state/create-route-state-store';
import { createStreamChannel } from './streaming/create-stream-channel';
import { payloadCodecFromEnvironment } from './temporal/payload-codec-from-environment';
import { gatewayDataConverter } from './temporal/gateway-data-converter';
import { payloadStorageFromEnvironment } from './temporal/payload-storage-from-environment';
import { inferenceTaskQueue } from './workflows/inference-types';
import { describeTracing, startTracing } from './observability/tracing';
import { tracingClientInterceptors } from './temporal/tracing-interceptors';

async function main(): Promise<void> {
  const config = watchGatewayConfig();
  const payloadCodec = payloadCodecFromEnvironment(); // fails fast on a malformed key
  const address = requireVariable(
    'TEMPORAL_ADDRESS',
    'the API connects to an existing Temporal server, e.g. temporal:7233',
  );
  const keyring = new GatewayKeyring(config.get);
  const devKey = process.env.GATEWAY_DEV_KEY;
  if (devKey) keyring.add(devKey, 'dev', { admin: true });
  else if (config.get().tenants.length === 0) {
    requireVariable(
      'GATEWAY_DEV_KEY',
      'no tenant keys are configured, so the API needs a development key clients send as "Authorization: Bearer <key>"',
    );
  }
  const tracing = startTracing();
  const client = new Client({
    connection: Connection.lazy({ address }),
    ...(tracing && { interceptors: tracingClientInterceptors(tracing) }),
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    dataConverter: gatewayDataConverter(payloadCodec, payloadStorageFromEnvironment(process.env, { shared: true })),
  });
  const api = await startApiServer({
    client,
    getConfig: config.get,
    keyring,
    taskQueue: process.env.GATEWAY_TASK_QUEUE ?? inferenceTaskQueue,
    port: readPort('PORT', 8080),
    host: process.env.HOST ?? '0.0.0.0',
    state: createRouteStateStore(config.get),
    payloadCodec,
    codecCorsOrigins: readList('GATEWAY_CODEC_CORS_ORIGINS', defaultCodecCorsOrigins),
    temporalUiUrl: process.env.TEMPORAL_UI_URL,
    streams: createStreamChannel(),
    tracer: tracing?.tracer,
  });
  console.log(`Gateway API listening on ${api.url}/v1, Temporal at ${address}; tracing: ${describeTracing(tracing)}`);
  const stop = () =>
    void api.stop().then(async () => {
      await tracing?.shutdown();
      process.exit(0);
    });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: Error) => {
  console.error(`Gateway API failed to start: ${error.message}`);
  process.exit(1);
});
