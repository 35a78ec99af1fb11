// The floor's activities: four selection steps that do nothing but return a small decision, and
// the provider call, the same upstream HTTP call the gateway makes, through the official SDK.
import OpenAI from 'openai';
import { floorStreamSinks } from './floor-stream-sinks';
import type { ProviderCallInput, ProviderCallOutcome, SelectionStepDecision, SelectionStepInput } from './floor-types';

export interface FloorUpstream {
  baseUrl: string;
  apiKey: string;
}

const choices = { provider: 'openai', model: 'chat-default', account: 'bench', region: 'local' } as const;

export function createFloorActivities(upstream: FloorUpstream) {
  const openai = new OpenAI({ apiKey: upstream.apiKey, baseURL: upstream.baseUrl, maxRetries: 0, timeout: 30_000 });
  return {
    async selectStep(input: SelectionStepInput): Promise<SelectionStepDecision> {
      const choice = choices[input.step];
      return { step: input.step, choice, candidates: [{ id: choice, score: 1 }], skipped: [] };
    },

    async callProvider(input: ProviderCallInput): Promise<ProviderCallOutcome> {
      const startedAt = Date.now();
      if (input.streamKey) {
        const sink = floorStreamSinks.get(input.streamKey);
        const stream = await openai.chat.completions.create({ ...input.request, stream: true });
        let content = '';
        let chunks = 0;
        for await (const chunk of stream) {
          sink?.chunk(chunk);
          chunks += 1;
          content += chunk.choices[0]?.delta?.content ?? '';
        }
        sink?.done();
        return { response: { content, chunks }, latencyMs: Date.now() - startedAt };
      }
      const response = await openai.chat.completions.create(input.request);
      return { response, latencyMs: Date.now() - startedAt };
    },
  };
}

export type FloorActivities = ReturnType<typeof createFloorActivities>;
