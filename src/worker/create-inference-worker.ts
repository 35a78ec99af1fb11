import type { PayloadCodec } from '@temporalio/common';
import type { LargePayloadCodec } from '../temporal/large-payload-codec';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities } from '../activities/create-activities';
import type { GatewayConfig } from '../config/gateway-config-schema';
import { registerRouteStateGauges } from '../observability/metrics';
import type { GatewayTracing } from '../observability/tracing';
import { createRouteStateStore } from '../state/create-route-state-store';
import type { GatewayStateStore } from '../state/route-state-store';
import type { StreamChannel } from '../streaming/stream-channel';
import { gatewayDataConverter } from '../temporal/gateway-data-converter';
import { tracingWorkerOptions } from '../temporal/tracing-interceptors';
import { inferenceWorkflowBundling, inferenceWorkflowsPath } from './workflow-bundling';

export interface InferenceWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  getConfig: () => GatewayConfig;
  environment?: NodeJS.ProcessEnv;
  /** Live routing state; Redis when REDIS_URL is set, else a fresh in-memory store, when omitted. */
  store?: GatewayStateStore;
  /** Where streaming attempts send their tokens (see createStreamChannel). */
  streams: StreamChannel;
  /** A prebuilt workflow bundle (tests build it once); otherwise the worker bundles src/workflows. */
  workflowBundle?: WorkflowBundleOption;
  /** Encrypts workflow and activity payloads; the client must use the same codec. */
  payloadCodec?: PayloadCodec;
  /** Keeps large payloads outside history; the client must use the same storage. */
  payloadStorage?: LargePayloadCodec;
  /**
   * Traces workflows and activities when set. A prebuilt `workflowBundle` must then have been
   * bundled with `workflowTracingModule` among its workflow interceptor modules.
   */
  tracing?: GatewayTracing;
}

export function createInferenceWorker(options: InferenceWorkerOptions): Promise<Worker> {
  const store = options.store ?? createRouteStateStore(options.getConfig);
  registerRouteStateGauges(options.getConfig, store);
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    // Codecs run in the worker's main thread, so the workflow bundle needs no change for them.
    dataConverter: gatewayDataConverter(options.payloadCodec, options.payloadStorage),
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: inferenceWorkflowsPath, bundlerOptions: inferenceWorkflowBundling }),
    // Without tracing the sandbox gets no interceptor at all: nothing is added to the hot path.
    ...(options.tracing && tracingWorkerOptions(options.tracing)),
    activities: createActivities({
      getConfig: options.getConfig,
      store,
      streams: options.streams,
      environment: options.environment,
    }),
  });
}
