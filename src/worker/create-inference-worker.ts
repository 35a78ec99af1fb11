import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities } from '../activities/create-activities';
import type { GatewayConfig } from '../config/gateway-config-schema';

export interface InferenceWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  getConfig: () => GatewayConfig;
  environment?: NodeJS.ProcessEnv;
  /** A prebuilt workflow bundle (tests build it once); otherwise the worker bundles src/workflows. */
  workflowBundle?: WorkflowBundleOption;
}

export function createInferenceWorker(options: InferenceWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities({ getConfig: options.getConfig, environment: options.environment }),
  });
}
