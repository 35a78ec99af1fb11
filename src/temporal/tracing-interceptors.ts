import type { ClientInterceptors } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import type { GatewayTracing } from '../observability/tracing';

/**
 * The workflow interceptors, bundled into the workflow sandbox only when tracing is on: they open
 * the workflow's span and hand each (local) activity the trace context in its headers, without
 * adding a workflow command.
 */
export const workflowTracingModule =
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

/** The client's interceptors: starting a workflow opens a span and passes its context in the workflow's headers. */
export function tracingClientInterceptors(tracing: GatewayTracing): ClientInterceptors {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer })] };
}

/**
 * The worker's options for tracing: the workflow interceptors, an activity interceptor that runs
 * each (local) activity in a span under the workflow's, and the sink through which the sandbox's
 * spans reach the process's span processor.
 */
export function tracingWorkerOptions(tracing: GatewayTracing): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  return {
    interceptors: {
      workflowModules: [workflowTracingModule],
      activity: [
        (context) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(context, { tracer: tracing.tracer }),
          outbound: new OpenTelemetryActivityOutboundInterceptor(context),
        }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
