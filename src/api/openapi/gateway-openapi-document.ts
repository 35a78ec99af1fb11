import { createDocument, type ZodOpenApiObject } from 'zod-openapi';
import { inferencePaths } from './inference-paths';
import { operationsPaths } from './operations-paths';

/** The key every /v1 endpoint takes, in either header. */
const securitySchemes: NonNullable<ZodOpenApiObject['components']>['securitySchemes'] = {
  gatewayKey: { type: 'http', scheme: 'bearer', description: 'A gateway key: `Authorization: Bearer <key>`.' },
  gatewayApiKey: {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description: 'A gateway key in `x-api-key`, as Anthropic clients send it.',
  },
  codecSession: {
    type: 'apiKey',
    in: 'cookie',
    name: 'gateway_codec_session',
    description: 'The cookie POST /codec/session sets for an admin key.',
  },
  statusSession: {
    type: 'apiKey',
    in: 'cookie',
    name: 'gateway_status_session',
    description: 'The cookie POST /status/session sets for an admin key.',
  },
};

/**
 * The OpenAPI 3.1 description of the gateway's own API, built from the zod schemas the endpoints
 * validate requests with and describe their answers by.
 */
export function gatewayOpenApiDocument() {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Durable inference gateway',
      // The API's version, as in its /v1 paths.
      version: '1',
      description:
        "OpenAI- and Anthropic-compatible endpoints in front of many providers; every inference is a Temporal workflow. Errors come in the shape of the API called: Anthropic's on /v1/messages, OpenAI's elsewhere.",
    },
    security: [{ gatewayKey: [] }, { gatewayApiKey: [] }],
    tags: [
      { name: 'inference', description: 'Each request is one durable inference workflow.' },
      { name: 'discovery', description: 'What a key may use, what it used, and how the routes are doing.' },
      { name: 'health', description: 'Probes, metrics and this document; no key needed.' },
      { name: 'codec', description: "Temporal's codec server protocol, for the Temporal UI and CLI." },
      { name: 'browser', description: 'Pages for a browser signed in with an admin key.' },
    ],
    paths: { ...inferencePaths, ...operationsPaths },
    components: { securitySchemes },
  });
}
