import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** What the API, the Temporal client and the worker share when traces are exported. */
export interface GatewayTracing {
  tracer: Tracer;
  /** Receives every span: the process's own and those the workflow sandbox hands out through its sink. */
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Where the spans go, for the start-up line. */
  destination: string;
  /** Flushes the spans not yet exported. */
  shutdown(): Promise<void>;
}

/**
 * The OTLP/HTTP traces URL from the standard variables: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as
 * given, else `OTEL_EXPORTER_OTLP_ENDPOINT` plus `/v1/traces`; undefined when neither is set or
 * `OTEL_SDK_DISABLED` is true.
 */
export function otlpTracesUrl(environment: NodeJS.ProcessEnv): string | undefined {
  if (environment.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const traces = environment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = environment.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined;
}

/**
 * Starts the OpenTelemetry SDK for this process when an OTLP endpoint is configured (or a span
 * processor is given, as tests do); returns undefined otherwise, and nothing traces: tracing is
 * off by default. Registers the tracer provider, the W3C propagator and the async context manager
 * globally, as Temporal's interceptors expect; call it once per process.
 */
export function startTracing(
  environment: NodeJS.ProcessEnv = process.env,
  spanProcessor?: SpanProcessor,
): GatewayTracing | undefined {
  const url = otlpTracesUrl(environment);
  if (!spanProcessor && !url) return undefined;
  const resource = new Resource({ 'service.name': environment.OTEL_SERVICE_NAME?.trim() || 'inference-gateway' });
  const processor = spanProcessor ?? new BatchSpanProcessor(new OTLPTraceExporter({ url }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  return {
    tracer: provider.getTracer('inference-gateway'),
    spanProcessor: processor,
    resource,
    destination: url ?? 'the given span processor',
    shutdown: () => provider.shutdown(),
  };
}

/** The start-up line's account of tracing. */
export function describeTracing(tracing: GatewayTracing | undefined): string {
  return tracing
    ? `a trace per inference, OTLP/HTTP to ${tracing.destination}`
    : 'off (set OTEL_EXPORTER_OTLP_ENDPOINT to export a trace per inference)';
}
