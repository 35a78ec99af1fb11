import express, { type NextFunction, type Request, type Response } from 'express';
import type { ApiDependencies } from './api-dependencies';
import { authenticate } from './admission/authenticate';
import { chatCompletionsRoute } from './openai-chat/chat-completions-route';
import { codecRouter } from './codec/codec-routes';
import { routesRoute } from './routes-route';
import { statusPageRouter } from './status-page-route';
import { healthRoute, readinessRoute } from './health-routes';
import { inferenceCreateRoute } from './inferences/inference-create-route';
import { inferenceListRoute } from './inferences/inference-list-route';
import { inferencesRoute } from './inferences/inference-read-route';
import { modelsRoute } from './openai-chat/models-route';
import { usageRoute } from './usage-route';
import { registry, requestsTotal } from '../observability/metrics';
import { logger } from '../observability/logger';
import { limitBodyDepth } from './admission/body-depth';
import { sendErrorInClientShape } from './error-shape';
import { messagesRoute } from './anthropic-messages/messages-route';
import { responsesRoute } from './responses/responses-route';
import { countTokensRoute } from './anthropic-messages/count-tokens-route';
import { embeddingsRoute } from './embeddings/embeddings-route';
import { traceRequests } from './trace-requests';
import { gatewayHeaders } from './gateway-headers';
import { openApiRoute } from './openapi/openapi-route';

/**
 * Largest request body accepted, in bytes.
 * @default 4 MiB
 */
export const defaultBodyLimitBytes = 4 * 1024 * 1024;

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

function handleErrors(error: BodyParserError, request: Request, response: Response, next: NextFunction): void {
  if (response.headersSent) {
    next(error);
    return;
  }
  if (error.type === 'entity.too.large') {
    sendErrorInClientShape(request, response, 413, {
      message: `Request body is larger than the gateway's limit of ${defaultBodyLimitBytes} bytes.`,
      type: 'invalid_request_error',
      code: 'request_too_large',
    });
    return;
  }
  if (error.type === 'entity.parse.failed') {
    sendErrorInClientShape(request, response, 400, {
      message: `The request body is not valid JSON: ${error.message}`,
      type: 'invalid_request_error',
      code: 'invalid_json',
    });
    return;
  }
  if (error.status && error.status >= 400 && error.status < 500) {
    sendErrorInClientShape(request, response, error.status, {
      message: error.message,
      type: 'invalid_request_error',
      code: 'invalid_request',
    });
    return;
  }
  // Every 500 says why in the log, with the inference it belongs to when one was started.
  const inferenceId = response.getHeader(gatewayHeaders.inferenceId);
  logger.error(
    { inferenceId, method: request.method, path: request.path, error: error.message, stack: error.stack },
    'internal error answering a request',
  );
  sendErrorInClientShape(request, response, 500, {
    message: 'The gateway hit an internal error.',
    type: 'api_error',
    code: 'internal_error',
  });
}

export function createApp(dependencies: ApiDependencies) {
  const app = express();
  app.disable('x-powered-by');
  // Every answer is a fresh completion: an ETag (a hash of each body) would never match.
  app.set('etag', false);
  app.use((request: Request, response: Response, next: NextFunction) => {
    response.on('finish', () =>
      requestsTotal.inc({
        endpoint: request.route?.path ? `${request.baseUrl}${request.route.path}` : 'other',
        status: String(response.statusCode),
      }),
    );
    next();
  });
  app.get('/healthz', healthRoute());
  // Clients probe the base URL before their first call (HEAD /, as Claude Code does): it answers like /healthz.
  app.get('/', healthRoute());
  app.get('/metrics', async (_request: Request, response: Response) => {
    response.type(registry.contentType).send(await registry.metrics());
  });
  app.get('/readyz', readinessRoute(dependencies));
  app.get('/openapi.json', openApiRoute());

  const v1 = express.Router();
  v1.use(authenticate(dependencies.keyring));
  v1.use(express.json({ limit: defaultBodyLimitBytes, type: () => true }));
  v1.use(limitBodyDepth);
  if (dependencies.tracer) v1.use(traceRequests(dependencies.tracer));
  v1.get('/models', modelsRoute(dependencies));
  v1.post('/chat/completions', chatCompletionsRoute(dependencies));
  v1.post('/embeddings', embeddingsRoute(dependencies));
  v1.post('/responses', responsesRoute(dependencies));
  v1.post('/inferences', inferenceCreateRoute(dependencies));
  v1.post('/messages', messagesRoute(dependencies));
  v1.post('/messages/count_tokens', countTokensRoute(dependencies));
  v1.get('/inferences', inferenceListRoute(dependencies));
  v1.get('/inferences/:id', inferencesRoute(dependencies));
  v1.get('/usage', usageRoute(dependencies));
  v1.get('/routes', routesRoute(dependencies));
  app.use('/v1', v1);
  app.use('/codec', codecRouter(dependencies));
  app.use('/status', statusPageRouter(dependencies));

  app.use((request: Request, response: Response) => {
    sendErrorInClientShape(request, response, 404, {
      message: `Unknown endpoint: ${request.method} ${request.path}`,
      type: 'invalid_request_error',
      code: 'unknown_endpoint',
    });
  });
  app.use(handleErrors);
  return app;
}
