import { Client } from '@temporalio/client';
import { NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/create-app';
import type { GatewayKeyring } from '../api/gateway-keys';
import type { GatewayConfig } from '../config/gateway-config-schema';
import { createInferenceWorker } from '../worker/create-inference-worker';
import { inferenceTaskQueue } from '../workflows/inference-types';

export interface GatewayOptions {
  temporalAddress: string;
  namespace: string;
  config: GatewayConfig;
  keyring: GatewayKeyring;
  /** HTTP port; 0 picks a free one. */
  port: number;
  host?: string;
  taskQueue?: string;
  environment?: NodeJS.ProcessEnv;
  workflowBundle?: WorkflowBundleOption;
}

export interface RunningGateway {
  url: string;
  client: Client;
  taskQueue: string;
  stop(): Promise<void>;
}

/** Starts the worker and the HTTP API against a running Temporal server, sharing one connection. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const taskQueue = options.taskQueue ?? inferenceTaskQueue;
  const getConfig = () => options.config;
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  const client = new Client({ connection, namespace: options.namespace });
  const worker = await createInferenceWorker({
    connection,
    namespace: options.namespace,
    taskQueue,
    getConfig,
    environment: options.environment,
    workflowBundle: options.workflowBundle,
  });
  const workerRun = worker.run();

  const app = createApp({ client, getConfig, keyring: options.keyring, taskQueue });
  const server: Server = app.listen(options.port, options.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    client,
    taskQueue,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      worker.shutdown();
      await workerRun;
      await connection.close();
    },
  };
}
