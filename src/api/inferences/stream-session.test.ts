import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Route } from '../../routing/route';
import type { StreamMessage } from '../../streaming/stream-channel';
import type { InferenceResult } from '../../workflows/inference-types';
import { anthropicApiShape } from '../anthropic-messages/anthropic-api-shape';
import { openAIApiShape } from '../openai-chat/openai-api-shape';
import { StreamSession, type SseSink, type UnsuccessfulOutcome } from './stream-session';

class RecordingSink implements SseSink {
  headers: Record<string, string> | undefined;
  frames: string[] = [];
  ended = false;
  get started() {
    return this.headers !== undefined;
  }
  open(headers: Record<string, string>) {
    this.headers = headers;
  }
  write(frames: string[]) {
    this.frames.push(...frames);
  }
  end() {
    this.ended = true;
  }
  /** The JSON data of each frame, `[DONE]` kept as text. */
  data(): unknown[] {
    return this.frames
      .map((frame) => /data: (.*)\n\n$/s.exec(frame)?.[1])
      .map((data) => (data === '[DONE]' ? data : JSON.parse(data ?? 'null')));
  }
  eventNames(): string[] {
    return this.frames.map((frame) => /^event: (\S+)/.exec(frame)?.[1] ?? '');
  }
}

const openaiRoute: Route = { provider: 'openai', providerKind: 'openai', model: 'gpt', account: 'a1', region: 'us' };
const claudeRoute: Route = {
  provider: 'anthropic',
  providerKind: 'anthropic',
  model: 'claude',
  account: 'b1',
  region: 'eu',
};
const reset = (attempt: string, route = openaiRoute): StreamMessage => ({ type: 'reset', attempt, route });
const text = (attempt: string, value: string): StreamMessage => ({
  type: 'event',
  attempt,
  event: { type: 'text', text: value },
});
const finish = (attempt: string): StreamMessage => ({
  type: 'event',
  attempt,
  event: { type: 'finish', finishReason: 'stop' },
});
const usage = (attempt: string): StreamMessage => ({
  type: 'event',
  attempt,
  event: { type: 'usage', usage: { promptTokens: 7, completionTokens: 3, totalTokens: 10 } },
});
const done = (attempt: string): StreamMessage => ({ type: 'done', attempt });

function session(shape = openAIApiShape('chat-default', { includeUsage: true })) {
  const sink = new RecordingSink();
  const whole: UnsuccessfulOutcome[] = [];
  return { sink, whole, session: new StreamSession(shape, 'inf-1', sink, (outcome) => whole.push(outcome)) };
}

const result: InferenceResult = {
  response: {
    id: 'chatcmpl-9',
    created: 1,
    model: 'gpt',
    content: 'Hi there',
    finishReason: 'stop',
    usage: { promptTokens: 5, completionTokens: 2, totalTokens: 7 },
  },
  route: claudeRoute,
  attempts: 2,
  fallback: true,
  decision: { trafficClass: 'standard', policyVersion: 'v', selections: [], attempts: [] },
};

describe('StreamSession', () => {
  it('forwards an attempt as OpenAI chunks: role first, text, finish, the usage chunk, [DONE]', () => {
    const { sink, session: stream } = session();
    for (const message of [reset('a/1'), text('a/1', 'Hel'), text('a/1', 'lo'), finish('a/1'), usage('a/1')])
      assert.equal(stream.onMessage(message), false);
    assert.equal(stream.onMessage(done('a/1')), true);
    assert.equal(sink.ended, true);
    assert.deepEqual(
      { ...sink.headers },
      {
        'x-gateway-inference-id': 'inf-1',
        'x-gateway-provider': 'openai',
        'x-gateway-model': 'gpt',
        'x-gateway-account': 'a1',
        'x-gateway-region': 'us',
        'x-gateway-attempts': '1',
        'x-gateway-fallback': 'false',
      },
    );
    const data = sink.data() as Array<{
      created: number;
      choices: Array<{ delta: Record<string, unknown>; finish_reason: string | null }>;
      usage: unknown;
    }>;
    assert.deepEqual(
      data.slice(0, 4).map((chunk) => chunk.choices[0]?.delta),
      [{ role: 'assistant', content: '', refusal: null }, { content: 'Hel' }, { content: 'lo' }, {}],
    );
    assert.equal(data[3]?.choices[0]?.finish_reason, 'stop');
    assert.equal(data[0]?.usage, null, 'with include_usage every chunk carries usage: null');
    assert.deepEqual(data[4], {
      id: 'chatcmpl-inf-1',
      object: 'chat.completion.chunk',
      created: data[4]?.created,
      model: 'chat-default',
      choices: [],
      usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
    });
    assert.equal(data[5], '[DONE]');
  });

  it('makes a reset before the first token invisible, and counts the attempts and the fallback', () => {
    const { sink, session: stream } = session();
    stream.onMessage(reset('a/1'));
    stream.onMessage({ type: 'event', attempt: 'a/1', event: { type: 'start', id: 'x', model: 'gpt' } });
    stream.onMessage(usage('a/1'));
    assert.equal(sink.started, false, 'non-content events write nothing');
    stream.onMessage(reset('b/1', claudeRoute));
    stream.onMessage(text('b/1', 'Fine'));
    stream.onMessage(text('a/1', ' stale'));
    stream.onMessage(done('b/1'));
    assert.equal(sink.headers?.['x-gateway-provider'], 'anthropic');
    assert.equal(sink.headers?.['x-gateway-attempts'], '2');
    assert.equal(sink.headers?.['x-gateway-fallback'], 'true');
    assert.ok(!sink.frames.join('').includes('stale'), 'a superseded attempt is ignored');
    assert.ok(!sink.frames.join('').includes('"error"'));
  });

  it('ends with an error chunk and no [DONE] when a reset arrives after content was written', () => {
    const { sink, session: stream } = session();
    stream.onMessage(reset('a/1'));
    stream.onMessage(text('a/1', 'Half an ans'));
    assert.equal(stream.onMessage(reset('a/2')), true);
    assert.equal(sink.ended, true);
    const last = sink.data().at(-1) as { error: { code: string; type: string } };
    assert.equal(last.error.code, 'stream_interrupted');
    assert.equal(last.error.type, 'api_error');
    assert.ok(!sink.frames.includes('data: [DONE]\n\n'));
  });

  it('ends a begun stream with the failure as an error event; before any byte, answers it whole', () => {
    const failure: UnsuccessfulOutcome = { kind: 'failure', failure: { type: 'StreamInterrupted', message: 'broke' } };
    const begun = session();
    begun.session.onMessage(reset('a/1'));
    begun.session.onMessage(text('a/1', 'Par'));
    assert.equal(begun.session.onOutcome(failure), true);
    assert.deepEqual(begun.sink.data().at(-1), {
      error: { message: 'broke', type: 'api_error', code: 'stream_interrupted', param: null },
    });
    assert.deepEqual(begun.whole, []);

    const untouched = session();
    untouched.session.onMessage(reset('a/1'));
    assert.equal(untouched.session.onOutcome(failure), true);
    assert.equal(untouched.sink.started, false);
    assert.deepEqual(untouched.whole, [failure]);
  });

  it('sends the whole answer from the result when no token arrived before it', () => {
    const { sink, session: stream } = session();
    assert.equal(stream.onOutcome({ kind: 'result', result }), true);
    assert.equal(sink.headers?.['x-gateway-provider'], 'anthropic');
    assert.equal(sink.headers?.['x-gateway-attempts'], '2');
    const data = sink.data() as Array<{ id?: string; choices?: Array<{ delta: { content?: string } }> }>;
    assert.equal(data.map((chunk) => chunk.choices?.[0]?.delta.content ?? '').join(''), 'Hi there');
    assert.equal(data[0]?.id, 'chatcmpl-9');
    assert.equal(data.at(-1), '[DONE]');
  });

  it('after a success with content already out, waits for the channel; a missing tail ends in an error', () => {
    const { sink, session: stream } = session();
    stream.onMessage(reset('a/1'));
    stream.onMessage(text('a/1', 'Hi'));
    assert.equal(stream.onOutcome({ kind: 'result', result }), false);
    assert.equal(sink.ended, false);
    stream.onTailTimeout();
    assert.equal(sink.ended, true);
    assert.equal((sink.data().at(-1) as { error: { code: string } }).error.code, 'stream_interrupted');
  });

  it('renders Anthropic events: message_start, ping, one block per text run and tool call, message_delta, message_stop', () => {
    const { sink, session: stream } = session(anthropicApiShape('claude'));
    stream.onMessage(reset('a/1'));
    stream.onMessage(text('a/1', 'Let me check.'));
    stream.onMessage({
      type: 'event',
      attempt: 'a/1',
      event: { type: 'tool_call_start', index: 0, id: 'call_1', name: 'get_weather' },
    });
    stream.onMessage({
      type: 'event',
      attempt: 'a/1',
      event: { type: 'tool_call_delta', index: 0, arguments: '{"city":' },
    });
    stream.onMessage({
      type: 'event',
      attempt: 'a/1',
      event: { type: 'tool_call_delta', index: 0, arguments: '"Paris"}' },
    });
    stream.onMessage({ type: 'event', attempt: 'a/1', event: { type: 'finish', finishReason: 'tool_calls' } });
    stream.onMessage(usage('a/1'));
    stream.onMessage(done('a/1'));
    assert.deepEqual(sink.eventNames(), [
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const data = sink.data() as Array<Record<string, unknown>>;
    assert.deepEqual(data[5], {
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'call_1', name: 'get_weather', input: {} },
    });
    assert.deepEqual(data[6], {
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'input_json_delta', partial_json: '{"city":' },
    });
    assert.deepEqual(data[9], {
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 7, output_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('renders reasoning as Anthropic thinking blocks with signature deltas, a redacted block whole, and names dropped fields in a header', () => {
    const { sink, session: stream } = session(anthropicApiShape('claude'));
    const event = (value: Extract<StreamMessage, { type: 'event' }>['event']) =>
      stream.onMessage({ type: 'event', attempt: 'a/1', event: value });
    stream.onMessage(reset('a/1', claudeRoute));
    event({ type: 'start', id: 'chatcmpl-77', model: 'gpt' });
    event({ type: 'dropped', parameters: ['logprobs', 'seed'] });
    event({ type: 'reasoning', text: 'First ' });
    event({ type: 'reasoning', text: 'thought.' });
    event({ type: 'reasoning_signature', signature: 'sig-a' });
    event({ type: 'redacted_reasoning', data: 'eA==' });
    event({ type: 'reasoning', text: 'Second.' });
    stream.onMessage(text('a/1', 'Answer'));
    event({ type: 'finish', finishReason: 'stop', stopSequence: 'END' });
    stream.onMessage(done('a/1'));
    assert.equal(sink.headers?.['x-gateway-dropped-params'], 'logprobs, seed');
    const data = sink.data() as Array<Record<string, unknown>>;
    assert.equal((data[0]?.message as { id: string }).id, 'msg_77');
    assert.deepEqual(data.slice(2, -2), [
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'First ' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'thought.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig-a' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: 'eA==' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'thinking_delta', thinking: 'Second.' } },
      { type: 'content_block_stop', index: 2 },
      { type: 'content_block_start', index: 3, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 3, delta: { type: 'text_delta', text: 'Answer' } },
      { type: 'content_block_stop', index: 3 },
    ]);
    assert.deepEqual((data.at(-2) as { delta: unknown }).delta, { stop_reason: 'stop_sequence', stop_sequence: 'END' });
  });

  it('ends an interrupted Anthropic stream with `event: error`', () => {
    const { sink, session: stream } = session(anthropicApiShape('claude'));
    stream.onMessage(reset('a/1'));
    stream.onMessage(text('a/1', 'Par'));
    stream.onOutcome({ kind: 'failure', failure: { type: 'StreamInterrupted', message: 'broke' } });
    assert.equal(sink.eventNames().at(-1), 'error');
    assert.deepEqual(sink.data().at(-1), {
      type: 'error',
      error: { type: 'api_error', message: 'broke', code: 'stream_interrupted' },
    });
    assert.ok(!sink.eventNames().includes('message_stop'));
  });
});
