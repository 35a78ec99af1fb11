import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ChatStreamAssembler } from './chat-stream-assembler';
import { responseAsStreamEvents, type ChatStreamEvent } from './chat-stream-event';

const events = JSON.parse(
  readFileSync(join(__dirname, 'openai/__fixtures__/canonical-stream-events.json'), 'utf8'),
) as ChatStreamEvent[];
const fallback = { id: 'inf-1-1', model: 'route-model', created: 1_763_769_600 };

describe('ChatStreamAssembler', () => {
  it('rebuilds the whole response from a stream: text joined, tool calls with their arguments, finish and usage', () => {
    const assembler = new ChatStreamAssembler();
    for (const event of events) assembler.add(event);
    assert.deepEqual(assembler.result(fallback), {
      id: 'chatcmpl-B9stream',
      created: 1_763_769_600,
      model: 'gpt-4o-mini-2024-07-18',
      content: 'Let me look that up.',
      toolCalls: [
        { id: 'call_Lyon1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } },
        { id: 'call_Nice2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Nice"}' } },
      ],
      finishReason: 'tool_calls',
      usage: { promptTokens: 80, completionTokens: 31, totalTokens: 111, cachedPromptTokens: 64 },
    });
  });

  it('round-trips a response through its stream events', () => {
    const assembler = new ChatStreamAssembler();
    const response = assembler.result(fallback);
    const again = new ChatStreamAssembler();
    for (const event of responseAsStreamEvents({ ...response, content: 'Hello', finishReason: 'length' }))
      again.add(event);
    assert.deepEqual(again.result(fallback), { ...response, content: 'Hello', finishReason: 'length' });
  });
});
