import { InvokeModelCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { countTokens } from 'gpt-tokenizer';
import type { BedrockProviderConfig } from './bedrock-provider-config';
import { embeddingResponse } from '../canonical-embedding';
import type { EmbeddingAdapter } from '../embedding-adapter';
import { bedrockEmbeddingFamily } from './bedrock-embedding-family';
import { ProviderCallError } from '../provider-error';
import { createBedrockClients } from './bedrock-client';
import { cohereTextsPerCall, fromCohereEmbeddingBody, toCohereEmbeddingBody } from './bedrock-cohere-embeddings';
import { classifyBedrockError } from './bedrock-errors';
import { fromTitanEmbeddingBody, toTitanEmbeddingBody } from './bedrock-titan-embeddings';

/** The header in which Bedrock reports an InvokeModel call's input tokens (Cohere's body has none). */
const inputTokenHeader = 'x-amzn-bedrock-input-token-count';

/** Titan takes one text per call: this many calls of one batch run at once. */
const titanConcurrency = 8;

/** One InvokeModel call: the parsed JSON answer and the input tokens Bedrock reported in its header. */
async function invokeModel(
  client: BedrockRuntimeClient,
  modelId: string,
  body: object,
  signal?: AbortSignal,
): Promise<{ answer: unknown; inputTokens?: number }> {
  const command = new InvokeModelCommand({
    modelId,
    contentType: 'application/json',
    accept: 'application/json',
    body: JSON.stringify(body),
  });
  let inputTokens: number | undefined;
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const header = (result.response as { headers?: Record<string, string | undefined> }).headers?.[inputTokenHeader];
      if (header !== undefined && /^\d+$/.test(header)) inputTokens = Number(header);
      return result;
    },
    { step: 'deserialize', name: 'gatewayInputTokenCount' },
  );
  let text: string;
  try {
    const output = await client.send(command, { abortSignal: signal });
    text = output.body.transformToString();
  } catch (error) {
    throw new ProviderCallError(classifyBedrockError(error));
  }
  try {
    return { answer: JSON.parse(text) as unknown, ...(inputTokens !== undefined && { inputTokens }) };
  } catch {
    throw new ProviderCallError({
      type: 'ServerError',
      message: 'Bedrock answered an embedding request with a body that is not JSON',
    });
  }
}

/**
 * Embeddings on Bedrock through InvokeModel of @aws-sdk/client-bedrock-runtime, in each model's
 * own body: Titan Text Embeddings V2 (one text per call, several calls at once) and Cohere embed
 * (up to 96 texts per call).
 */
export function createBedrockEmbeddingsAdapter(): EmbeddingAdapter<BedrockProviderConfig> {
  const clientFor = createBedrockClients();
  return {
    async embed(call) {
      const { model, request, signal } = call;
      const family = bedrockEmbeddingFamily(model);
      const texts = request.input.filter((item): item is string => typeof item === 'string');
      // Routing never sends these here; a config edited under a running inference might.
      if (!family)
        throw new ProviderCallError({
          type: 'ModelNotFound',
          message: `No known embedding request format for the Bedrock model ${model}`,
        });
      if (texts.length !== request.input.length)
        throw new ProviderCallError({
          type: 'InvalidRequest',
          message: 'Bedrock embedding models take texts, not token arrays',
        });
      const client = clientFor(call);
      const vectors: number[][] = [];
      let tokens = 0;
      if (family === 'titan-v2') {
        for (let start = 0; start < texts.length; start += titanConcurrency) {
          const answers = await Promise.all(
            texts
              .slice(start, start + titanConcurrency)
              .map((text) => invokeModel(client, model, toTitanEmbeddingBody(text, request.dimensions), signal)),
          );
          for (const { answer, inputTokens } of answers) {
            const { vector, tokens: counted } = fromTitanEmbeddingBody(answer);
            vectors.push(vector);
            tokens += counted || (inputTokens ?? 0);
          }
        }
      } else {
        for (let start = 0; start < texts.length; start += cohereTextsPerCall) {
          const batch = texts.slice(start, start + cohereTextsPerCall);
          const { answer, inputTokens } = await invokeModel(client, model, toCohereEmbeddingBody(batch), signal);
          vectors.push(...fromCohereEmbeddingBody(answer, batch.length));
          // Without Bedrock's header, the gateway's own count (an estimate) is what usage and cost get.
          tokens +=
            inputTokens ?? batch.reduce((sum, text) => sum + countTokens(text, { disallowedSpecial: new Set() }), 0);
        }
      }
      return embeddingResponse(model, vectors, tokens);
    },
  };
}
