import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { codecRequestSchema, codecResponseSchema } from '../codec/codec-payload-json';
import { healthSchema, readinessSchema } from '../health-routes';
import { modelListSchema } from '../openai-chat/models-route';
import { routeStatusListSchema } from '../route-status-view';
import { usageQuerySchema, usageReportSchema } from '../usage-route';
import { openAIErrorResponses } from './error-responses';

const html = (description: string) => ({
  description,
  content: { 'text/html': { schema: { type: 'string' as const } } },
});
const json = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });
const noKey = { security: [] };
/** A gateway key in either header, or the cookie of a browser signed in at `<prefix>/session`. */
const keyOrSession = (session: string): Array<Record<string, string[]>> => [
  { gatewayKey: [] },
  { gatewayApiKey: [] },
  { [session]: [] },
];
const codecRequest = codecRequestSchema.meta({ id: 'CodecRequest' });

/** A browser sign-in page and form for an admin key, at `<prefix>/session`. */
function signInPaths(prefix: string, what: string): ZodOpenApiPathsObject {
  return {
    [`${prefix}/session`]: {
      get: {
        operationId: `${what}SignInForm`,
        tags: ['browser'],
        summary: `The sign-in form of ${prefix}.`,
        ...noKey,
        responses: { 200: html('The form.') },
      },
      post: {
        operationId: `${what}SignIn`,
        tags: ['browser'],
        summary: `Checks an admin key and sets a cookie for ${prefix} only, for 8 hours.`,
        ...noKey,
        requestBody: {
          required: true,
          content: { 'application/x-www-form-urlencoded': { schema: z.object({ key: z.string() }) } },
        },
        responses: {
          200: html('Signed in; the cookie is set.'),
          401: html('Not an admin key.'),
          403: html('The form was sent from another site.'),
        },
      },
    },
  };
}

const codecOperation = (direction: 'encode' | 'decode') => ({
  operationId: `${direction}Payloads`,
  tags: ['codec'],
  summary: `Temporal's codec server protocol: ${direction}s payloads (admin keys only).`,
  security: keyOrSession('codecSession'),
  requestBody: { required: true, content: { 'application/json': { schema: codecRequest } } },
  responses: {
    200: json(`The payloads, ${direction}d.`, codecResponseSchema),
    ...openAIErrorResponses([400, 401, 403, 404, 413]),
  },
});

/** Health, discovery, usage, route status, the codec and the browser pages. */
export const operationsPaths: ZodOpenApiPathsObject = {
  '/': {
    get: {
      operationId: 'probe',
      tags: ['health'],
      summary: 'Answers like /healthz, for clients that probe the base URL.',
      ...noKey,
      responses: { 200: json('Up.', healthSchema) },
    },
  },
  '/healthz': {
    get: {
      operationId: 'health',
      tags: ['health'],
      summary: 'The process is up.',
      ...noKey,
      responses: { 200: json('Up.', healthSchema) },
    },
  },
  '/readyz': {
    get: {
      operationId: 'readiness',
      tags: ['health'],
      summary: 'Temporal answers and a worker polls the inference task queue.',
      ...noKey,
      responses: { 200: json('Ready.', readinessSchema), 503: json('Not ready, and why.', readinessSchema) },
    },
  },
  '/metrics': {
    get: {
      operationId: 'metrics',
      tags: ['health'],
      summary: 'Prometheus metrics.',
      ...noKey,
      responses: {
        200: {
          description: 'The metrics in the Prometheus text format.',
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
      },
    },
  },
  '/openapi.json': {
    get: {
      operationId: 'openapi',
      tags: ['health'],
      summary: 'This document.',
      ...noKey,
      responses: {
        200: {
          description: "The OpenAPI 3.1 description of the gateway's API.",
          content: { 'application/json': { schema: { type: 'object' } } },
        },
      },
    },
  },
  '/v1/models': {
    get: {
      operationId: 'listModels',
      tags: ['discovery'],
      summary: 'The model groups this key may use.',
      responses: { 200: json('The model groups.', modelListSchema), ...openAIErrorResponses([401]) },
    },
  },
  '/v1/usage': {
    get: {
      operationId: 'getUsage',
      tags: ['discovery'],
      summary:
        "The tenant's requests, tokens, cost and fallbacks in a month, by model group and feature; an admin key sees every tenant.",
      requestParams: { query: usageQuerySchema },
      responses: { 200: json('The usage.', usageReportSchema), ...openAIErrorResponses([400, 401, 403, 503]) },
    },
  },
  '/v1/routes': {
    get: {
      operationId: 'listRouteStatus',
      tags: ['discovery'],
      summary:
        "Every configured route's circuit, cool-down, windows, latency, last probe and recent errors (admin keys).",
      responses: { 200: json('The routes.', routeStatusListSchema), ...openAIErrorResponses([401, 403, 503]) },
    },
  },
  '/codec/encode': { post: codecOperation('encode') },
  '/codec/decode': { post: codecOperation('decode') },
  ...signInPaths('/codec', 'codec'),
  '/status': {
    get: {
      operationId: 'statusPage',
      tags: ['browser'],
      summary: 'The routes at a glance and the last inferences, with links into the Temporal UI (admin keys).',
      security: keyOrSession('statusSession'),
      responses: { 200: html('The page.'), 403: html('Not an admin key.'), ...openAIErrorResponses([401]) },
    },
  },
  ...signInPaths('/status', 'status'),
};
