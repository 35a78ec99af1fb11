import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { OpenAIProviderConfig } from './openai-provider-config';
import { encodeVector, type EmbeddingRequest, type EmbeddingResponse } from '../canonical-embedding';
import type { EmbeddingAdapter } from '../embedding-adapter';
import { ProviderCallError } from '../provider-error';
import { createOpenAIClients } from './openai-client';
import { classifyOpenAIError } from './openai-errors';

/**
 * The request body of OpenAI's `POST /embeddings`. OpenAI itself is asked for base64 vectors (the
 * canonical packing, so they pass through untouched); an openai-compatible server for floats,
 * which every one of them speaks.
 */
export function toOpenAIEmbeddingRequest(
  model: string,
  request: EmbeddingRequest,
  kind: OpenAIProviderConfig['kind'],
): EmbeddingCreateParams {
  return {
    model,
    input: request.input,
    encoding_format: kind === 'openai' ? 'base64' : 'float',
    ...(request.dimensions !== undefined && { dimensions: request.dimensions }),
    ...(request.user !== undefined && { user: request.user }),
  };
}

/** The canonical response, vectors in input order whichever encoding the server answered in. */
export function fromOpenAIEmbeddingResponse(response: CreateEmbeddingResponse, model: string): EmbeddingResponse {
  if (!Array.isArray(response?.data))
    throw new ProviderCallError({
      type: 'ServerError',
      message: 'The provider answered an embedding request without a data list',
    });
  const data = [...response.data].sort((left, right) => left.index - right.index);
  // With encoding_format "base64" the SDK hands the server's string through untouched.
  const embeddings = data.map((item) =>
    typeof item.embedding === 'string' ? (item.embedding as string) : encodeVector(item.embedding),
  );
  const first = data[0]?.embedding as number[] | string | undefined;
  const dimensions = typeof first === 'string' ? Buffer.from(first, 'base64').length / 4 : (first?.length ?? 0);
  const promptTokens = response.usage?.prompt_tokens ?? 0;
  return {
    model: response.model || model,
    embeddings,
    dimensions,
    usage: { promptTokens, completionTokens: 0, totalTokens: response.usage?.total_tokens ?? promptTokens },
  };
}

/** Embeddings on the openai and openai-compatible kinds, through the official SDK's `embeddings.create`. */
export function createOpenAIEmbeddingsAdapter(): EmbeddingAdapter<OpenAIProviderConfig> {
  const clientFor = createOpenAIClients();
  return {
    async embed(call) {
      const client = clientFor(call);
      let response: CreateEmbeddingResponse;
      try {
        response = await client.embeddings.create(
          toOpenAIEmbeddingRequest(call.model, call.request, call.provider.kind),
          { signal: call.signal },
        );
      } catch (error) {
        throw new ProviderCallError(classifyOpenAIError(error));
      }
      return fromOpenAIEmbeddingResponse(response, call.model);
    },
  };
}
