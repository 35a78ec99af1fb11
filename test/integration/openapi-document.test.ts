import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createApp } from '../../src/api/create-app';
import { GatewayKeyring } from '../../src/api/admission/gateway-keys';
import { gatewayHeaders } from '../../src/api/gateway-headers';
import { AesGcmPayloadCodec } from '../../src/temporal/aes-gcm-payload-codec';
import { expressRoutes } from '../helpers/express-routes';
import { simulatorConfig, useTestStack } from '../helpers/test-gateway';

interface OpenApiDocument {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, unknown> }> }
    >
  >;
  components: {
    securitySchemes: Record<string, { type: string; scheme?: string; in?: string; name?: string }>;
    responses: Record<string, { content: Record<string, unknown> }>;
  };
}

describe('GET /openapi.json', () => {
  const gateway = useTestStack(simulatorConfig);

  const fetchDocument = async () => {
    const response = await fetch(`${gateway.stack.gateway.url}/openapi.json`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    return (await response.json()) as OpenApiDocument;
  };

  it('is a valid OpenAPI 3.1 document, served without a key', async () => {
    const document = await fetchDocument();
    assert.equal(document.openapi, '3.1.0');
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const validator = new Validator();
    const result = await validator.validate(document as unknown as Parameters<typeof validator.validate>[0]);
    assert.equal(validator.version, '3.1');
    assert.deepEqual(result.errors ?? [], []);
    assert.equal(result.valid, true);
  });

  it('describes every route the app serves, and no route it does not', async () => {
    const document = await fetchDocument();
    // With a payload codec, so the codec endpoints are registered too.
    const app = createApp({
      client: gateway.stack.gateway.client,
      getConfig: () => gateway.stack.config,
      keyring: new GatewayKeyring(),
      taskQueue: gateway.stack.gateway.taskQueue,
      payloadCodec: new AesGcmPayloadCodec({ id: 'openapi-test', key: randomBytes(32) }),
    });
    const served = expressRoutes(app)
      .map(({ method, path }) => `${method} ${path}`)
      .sort();
    const documented = Object.entries(document.paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`))
      .sort();
    assert.ok(
      served.includes('post /v1/chat/completions') &&
        served.includes('get /v1/inferences/{id}') &&
        served.includes('post /codec/decode'),
      served.join('\n'),
    );
    assert.deepEqual(documented, served);
  });

  it('names the key schemes the gateway accepts, both error shapes and every x-gateway-* header', async () => {
    const document = await fetchDocument();
    assert.deepEqual(document.components.securitySchemes.gatewayKey, {
      type: 'http',
      scheme: 'bearer',
      description: 'A gateway key: `Authorization: Bearer <key>`.',
    });
    assert.equal(document.components.securitySchemes.gatewayApiKey?.name, 'x-api-key');
    // Each error status is one response component per shape, whose body is that shape's schema.
    const errorSchema = (path: string, status: string) => {
      const reference = (document.paths[path]!.post!.responses[status] as { $ref?: string }).$ref ?? '';
      return `${reference} ${JSON.stringify(document.components.responses[reference.split('/').at(-1)!]?.content)}`;
    };
    assert.match(
      errorSchema('/v1/chat/completions', '404'),
      /^#\/components\/responses\/OpenAIError404 .*#\/components\/schemas\/OpenAIError"/,
    );
    assert.match(
      errorSchema('/v1/messages', '404'),
      /^#\/components\/responses\/AnthropicError404 .*#\/components\/schemas\/AnthropicError"/,
    );
    const text = JSON.stringify(document);
    for (const header of Object.values(gatewayHeaders))
      assert.ok(text.includes(`"${header}"`), `${header} is not described`);
    const answerHeaders = Object.keys(document.paths['/v1/chat/completions']!.post!.responses['200']!.headers ?? {});
    assert.ok(
      answerHeaders.includes(gatewayHeaders.inferenceId) && answerHeaders.includes(gatewayHeaders.fallback),
      answerHeaders.join(', '),
    );
  });
});
