import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatStreamEvent } from '../../providers/chat-stream-event';
import { responsesEcho } from './responses-object';
import { decodeReasoning } from './responses-reasoning';
import { responsesBodySchema } from './responses-schema';
import { createResponsesStreamRenderer } from './responses-stream-renderer';

const echo = responsesEcho(responsesBodySchema.parse({ model: 'g', input: 'hi' }), 'g');

/** The events of rendered frames, parsed back from their `event:` and `data:` lines. */
function parse(frames: string[]): Array<Record<string, unknown> & { type: string; sequence_number: number }> {
  return frames.map((frame) => {
    const [eventLine, dataLine] = frame.trim().split('\n');
    const data = JSON.parse(dataLine!.replace(/^data: /, '')) as Record<string, unknown> & {
      type: string;
      sequence_number: number;
    };
    assert.equal(eventLine, `event: ${data.type}`);
    return data;
  });
}

describe('createResponsesStreamRenderer', () => {
  it('renders reasoning blocks, text and a tool call as items in order, numbered from 0', () => {
    const renderer = createResponsesStreamRenderer({
      inferenceId: 'inf-1',
      echo,
      encryptedReasoning: true,
      createdAt: 1,
    });
    const canonical: ChatStreamEvent[] = [
      { type: 'start', id: 'x', model: 'm' },
      { type: 'reasoning', text: 'Think ' },
      { type: 'reasoning', text: 'hard.' },
      { type: 'reasoning_signature', signature: 'sig-1' },
      { type: 'redacted_reasoning', data: 'opaque' },
      { type: 'text', text: 'Hel' },
      { type: 'text', text: 'lo' },
      { type: 'tool_call_start', index: 0, id: 'call_1', name: 'f' },
      { type: 'tool_call_delta', index: 0, arguments: '{"a":' },
      { type: 'tool_call_delta', index: 0, arguments: '1}' },
      { type: 'finish', finishReason: 'tool_calls' },
      { type: 'usage', usage: { promptTokens: 3, completionTokens: 4, totalTokens: 7, reasoningTokens: 2 } },
    ];
    const events = parse([...canonical.flatMap((event) => renderer.event(event)), ...renderer.end()]);
    assert.deepEqual(
      events.map((event) => event.type),
      [
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.reasoning_summary_part.added',
        'response.reasoning_summary_text.delta',
        'response.reasoning_summary_text.delta',
        'response.reasoning_summary_text.done',
        'response.reasoning_summary_part.done',
        'response.output_item.done',
        'response.output_item.added',
        'response.content_part.added',
        'response.output_text.delta',
        'response.output_text.delta',
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.output_item.added',
        'response.function_call_arguments.delta',
        'response.function_call_arguments.delta',
        'response.function_call_arguments.done',
        'response.output_item.done',
        'response.completed',
      ],
    );
    assert.deepEqual(
      events.map((event) => event.sequence_number),
      events.map((_, index) => index),
    );
    const completed = events.at(-1)!.response as {
      id: string;
      status: string;
      output: Array<Record<string, unknown>>;
      usage: Record<string, unknown>;
    };
    assert.equal(completed.id, 'resp_inf-1');
    assert.equal(completed.status, 'completed');
    assert.deepEqual(
      completed.output.map((item) => item.id),
      ['rs_inf-1', 'msg_inf-1', 'fc_inf-1_0'],
    );
    assert.deepEqual(completed.output[0]!.summary, [{ type: 'summary_text', text: 'Think hard.' }]);
    assert.deepEqual(decodeReasoning(completed.output[0]!.encrypted_content as string), [
      { type: 'thinking', thinking: 'Think hard.', signature: 'sig-1' },
      { type: 'redacted_thinking', data: 'opaque' },
    ]);
    assert.equal(completed.output[2]!.arguments, '{"a":1}');
    assert.deepEqual(completed.usage.output_tokens_details, { reasoning_tokens: 2 });
  });

  it('ends a cut-short answer with response.incomplete, and a failure with response.failed keeping the finished items', () => {
    const cut = createResponsesStreamRenderer({ inferenceId: 'inf-2', echo });
    const cutEvents = parse([
      ...cut.event({ type: 'text', text: 'Hi' }),
      ...cut.event({ type: 'finish', finishReason: 'length' }),
      ...cut.end(),
    ]);
    const incomplete = cutEvents.at(-1)!;
    assert.equal(incomplete.type, 'response.incomplete');
    assert.deepEqual((incomplete.response as { incomplete_details: unknown }).incomplete_details, {
      reason: 'max_output_tokens',
    });

    const failing = createResponsesStreamRenderer({ inferenceId: 'inf-3', echo });
    const failEvents = parse([
      ...failing.event({ type: 'text', text: 'Hi' }),
      ...failing.error(502, 'stream_interrupted', 'broke'),
    ]);
    const failed = failEvents.at(-1)!;
    assert.equal(failed.type, 'response.failed');
    assert.deepEqual((failed.response as { status: string; error: unknown }).error, {
      code: 'stream_interrupted',
      message: 'broke',
    });
    assert.ok(!failEvents.some((event) => event.type === 'response.completed'));
  });
});

describe('decodeReasoning', () => {
  it("reads only the gateway's own encoding", () => {
    for (const content of [
      undefined,
      null,
      '',
      'gAAAA-openai-opaque',
      'gw1.not-json',
      `gw1.${Buffer.from('{"a":1}').toString('base64url')}`,
      `gw1.${Buffer.from('[{"type":"thinking"}]').toString('base64url')}`,
    ]) {
      assert.equal(decodeReasoning(content), undefined, String(content));
    }
  });
});
