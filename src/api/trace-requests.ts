import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { traceIdHeader } from '../observability/span-attributes';

/**
 * Runs each request in a server span, the root of its inference's trace (or a child of the
 * caller's, when it sends a W3C `traceparent`), and sends the trace id in `x-gateway-trace-id`.
 * Mounted after the body parser: the handlers, and the workflow start in them, run in its context.
 */
export function traceRequests(tracer: Tracer): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const parent = propagation.extract(context.active(), request.headers);
    const span = tracer.startSpan(
      `${request.method} ${request.baseUrl}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': request.method, 'url.path': request.originalUrl.split('?')[0] },
      },
      parent,
    );
    response.setHeader(traceIdHeader, span.spanContext().traceId);
    response.once('close', () => {
      // The route's pattern is known once a router matched it: /v1/inferences/:id, not the id.
      const route = request.route?.path ? `${request.baseUrl}${request.route.path}` : request.baseUrl;
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': response.statusCode });
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
