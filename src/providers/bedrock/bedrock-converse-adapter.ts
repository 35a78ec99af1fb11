import { ConverseCommand, ConverseStreamCommand, type ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import type { BedrockProviderConfig } from './bedrock-provider-config';
import type { ProviderAdapter } from '../provider-adapter';
import { ProviderCallError } from '../provider-error';
import { createBedrockClients } from './bedrock-client';
import { classifyBedrockError } from './bedrock-errors';
import { toConverseInput } from './bedrock-converse-request';
import { fromConverseOutput } from './bedrock-converse-response';
import { createConverseStreamTranslator } from './bedrock-converse-stream';

/** Calls Bedrock's Converse API through @aws-sdk/client-bedrock-runtime, one client per account and region. */
export function createBedrockConverseAdapter(): ProviderAdapter<BedrockProviderConfig> {
  const clientFor = createBedrockClients();

  return {
    async chat(call) {
      const client = clientFor(call);
      // Translation errors are the request's own (e.g. an image URL Bedrock cannot take): keep
      // them out of the SDK error handling below.
      const input = toConverseInput(call.model, call.request);
      let output: ConverseCommandOutput;
      try {
        output = await client.send(new ConverseCommand(input), { abortSignal: call.signal });
      } catch (error) {
        throw new ProviderCallError(classifyBedrockError(error));
      }
      return fromConverseOutput(output, call.model);
    },

    async *stream(call) {
      const client = clientFor(call);
      const input = toConverseInput(call.model, call.request);
      const translate = createConverseStreamTranslator();
      try {
        const output = await client.send(new ConverseStreamCommand(input), { abortSignal: call.signal });
        yield { type: 'start', id: output.$metadata?.requestId ?? `bedrock-${Date.now()}`, model: call.model };
        for await (const event of output.stream ?? []) yield* translate(event);
      } catch (error) {
        throw error instanceof ProviderCallError ? error : new ProviderCallError(classifyBedrockError(error));
      }
    },
  };
}
