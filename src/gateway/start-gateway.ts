import { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { LargePayloadCodec } from '../temporal/large-payload-codec';
import { NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { GatewayKeyring } from '../api/admission/gateway-keys';
import type { GatewayConfig } from '../config/gateway-config-schema';
import { createRouteStateStore } from '../state/create-route-state-store';
import { createInferenceWorker } from '../worker/create-inference-worker';
import { ensureRouteProbeSchedule } from '../worker/route-probe-schedule';
import type { GatewayStateStore } from '../state/route-state-store';
import { createStreamChannel } from '../streaming/create-stream-channel';
import type { StreamChannel } from '../streaming/stream-channel';
import { inferenceTaskQueue } from '../workflows/inference-types';
import { registerSearchAttributes } from '../temporal/register-search-attributes';
import { gatewayDataConverter } from '../temporal/gateway-data-converter';
import { tracingClientInterceptors } from '../temporal/tracing-interceptors';
import type { GatewayTracing } from '../observability/tracing';
import { startApiServer } from './start-api-server';

export interface GatewayOptions {
  temporalAddress: string;
  namespace: string;
  /** The config in force, read on every use so a hot reload takes effect. */
  getConfig: () => GatewayConfig;
  keyring: GatewayKeyring;
  /** HTTP port; 0 picks a free one. */
  port: number;
  host?: string;
  taskQueue?: string;
  environment?: NodeJS.ProcessEnv;
  workflowBundle?: WorkflowBundleOption;
  store?: GatewayStateStore;
  /** Carries streamed tokens from the worker to the API; Redis with REDIS_URL, else in process. */
  streams?: StreamChannel;
  logger?: Logger;
  /** Create the Temporal Schedule of active route probes (config `routing.probeIntervalSeconds`). */
  healthProbes?: boolean;
  /** Encrypts every payload the client and worker send to Temporal; also served at `/codec/*`. */
  payloadCodec?: PayloadCodec;
  /** Keeps large payloads (big prompts) outside history; none when omitted. */
  payloadStorage?: LargePayloadCodec;
  /** Browser origins allowed to call `/codec/*`; see ApiDependencies. */
  codecCorsOrigins?: string[];
  /** The Temporal UI's base URL, for the status page's links. */
  temporalUiUrl?: string;
  /** Exports a trace per inference (HTTP request, workflow, selection steps, attempts); off when omitted. */
  tracing?: GatewayTracing;
}

export interface RunningGateway {
  url: string;
  client: Client;
  taskQueue: string;
  stop(): Promise<void>;
}

/** Starts the worker and the HTTP API in one process against a running Temporal server. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const taskQueue = options.taskQueue ?? inferenceTaskQueue;
  const { getConfig } = options;
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  // The workflow upserts these; on a server without them every inference would fail.
  await registerSearchAttributes(connection, options.namespace);
  const { payloadCodec, payloadStorage, tracing } = options;
  const client = new Client({
    connection,
    namespace: options.namespace,
    dataConverter: gatewayDataConverter(payloadCodec, payloadStorage),
    ...(tracing && { interceptors: tracingClientInterceptors(tracing) }),
  });
  const store = options.store ?? createRouteStateStore(getConfig);
  const streams = options.streams ?? createStreamChannel();
  const worker = await createInferenceWorker({
    connection,
    namespace: options.namespace,
    taskQueue,
    getConfig,
    environment: options.environment,
    workflowBundle: options.workflowBundle,
    store,
    payloadCodec,
    payloadStorage,
    streams,
    tracing,
  });
  const workerRun = worker.run();
  if (options.healthProbes) await ensureRouteProbeSchedule(client, taskQueue, getConfig().routing.probeIntervalSeconds);
  const api = await startApiServer({
    client,
    getConfig,
    environment: options.environment,
    keyring: options.keyring,
    taskQueue,
    port: options.port,
    host: options.host ?? '127.0.0.1',
    logger: options.logger,
    state: store,
    streams,
    eagerStart: true,
    payloadCodec,
    codecCorsOrigins: options.codecCorsOrigins,
    temporalUiUrl: options.temporalUiUrl,
    tracer: tracing?.tracer,
  });

  return {
    url: api.url,
    client,
    taskQueue,
    async stop() {
      await api.stop();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun;
      await connection.close();
      if (!options.streams) await streams.close();
    },
  };
}
