import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compatConfig, compatFaults } from '../helpers/compat-config';
import { pythonClients, runPythonScript } from '../helpers/python-clients';
import { startTestStack, type TestStack } from '../helpers/test-gateway';

interface TypedError {
  class: string | null;
  status?: number;
  code?: string;
  type?: string;
  message?: string;
  retry_after?: string | null;
}

interface OpenAIRun {
  groups: Record<
    string,
    {
      completion: {
        id: string;
        object: string;
        model: string;
        content: string;
        finish_reason: string;
        total_tokens: number;
      };
      stream: { text: string; finish_reasons: string[]; usage_chunks: number; ids: string[] };
      tools: { finish_reason: string; name: string; arguments: Record<string, unknown>; answer: string };
    }
  >;
  errors: Record<string, TypedError>;
}

interface AnthropicRun {
  groups: Record<
    string,
    {
      message: {
        id: string;
        type: string;
        role: string;
        model: string;
        text: string;
        stop_reason: string;
        output_tokens: number;
      };
      stream: { text: string; final_text: string; stop_reason: string; id: string };
      tools: { stop_reason: string; name: string; input: Record<string, unknown>; answer: string };
      count_tokens: number;
    }
  >;
  errors: Record<string, TypedError>;
}

/** A model group per provider kind: OpenAI, Anthropic, Bedrock (Nova and Claude), openai-compatible. */
const openAIGroups = ['chat-default', 'claude', 'nova', 'bedrock-claude', 'local-llm'];
const anthropicGroups = ['claude', 'bedrock-claude', 'chat-default', 'nova'];

describe('the official Python SDKs (openai, anthropic) through the gateway, to every provider kind', () => {
  let stack: TestStack;

  before(async () => {
    // Made (or reused) before the stack starts: creating the venv blocks this process.
    pythonClients();
    stack = await startTestStack(compatConfig);
    compatFaults(stack);
  });
  after(async () => stack?.stop());

  it('openai: completion, stream with usage, a tool call and its result, on each group', async () => {
    const run = (await runPythonScript('openai_client.py', [
      stack.gateway.url,
      stack.gatewayKey,
      openAIGroups.join(','),
      'rate-limited',
    ])) as OpenAIRun;
    assert.deepEqual(Object.keys(run.groups), openAIGroups);
    for (const [group, seen] of Object.entries(run.groups)) {
      assert.equal(seen.completion.object, 'chat.completion', group);
      // OpenAI's id form on every route, whatever the provider called its answer.
      assert.match(seen.completion.id, /^chatcmpl-/, group);
      assert.equal(seen.stream.ids.length, 1, `${group}: one id for the whole stream`);
      assert.match(seen.stream.ids[0]!, /^chatcmpl-/, group);
      assert.equal(seen.completion.model, group);
      assert.equal(seen.completion.content, `Simulated reply to: Hello from Python to ${group}`);
      assert.equal(seen.completion.finish_reason, 'stop');
      assert.ok(seen.completion.total_tokens > 0, `${group}: usage`);
      assert.deepEqual(
        { ...seen.stream, ids: undefined },
        { text: 'Simulated reply to: Stream from Python', finish_reasons: ['stop'], usage_chunks: 1, ids: undefined },
        group,
      );
      assert.deepEqual(
        seen.tools,
        {
          finish_reason: 'tool_calls',
          name: 'get_weather',
          arguments: { city: 'Lyon' },
          answer: 'Simulated answer using the tool result: sunny, 21 C',
        },
        group,
      );
    }
    const { errors } = run;
    assert.deepEqual(
      [errors.unknown_field!.class, errors.unknown_field!.status, errors.unknown_field!.code],
      ['BadRequestError', 400, 'invalid_request'],
    );
    assert.match(errors.unknown_field!.message!, /not_a_field/);
    assert.deepEqual([errors.wrong_type!.class, errors.wrong_type!.status], ['BadRequestError', 400]);
    assert.match(errors.wrong_type!.message!, /temperature/);
    assert.deepEqual([errors.unknown_model!.class, errors.unknown_model!.code], ['NotFoundError', 'model_not_found']);
    assert.deepEqual([errors.bad_key!.class, errors.bad_key!.status], ['AuthenticationError', 401]);
    assert.deepEqual(
      [errors.rate_limited!.class, errors.rate_limited!.status, errors.rate_limited!.code],
      ['RateLimitError', 429, 'rate_limited'],
    );
    assert.ok(Number(errors.rate_limited!.retry_after) > 0, 'a 429 carries Retry-After');
  });

  it('anthropic: message, stream, a tool use and its result, count_tokens, on each group', async () => {
    const run = (await runPythonScript('anthropic_client.py', [
      stack.gateway.url,
      stack.gatewayKey,
      anthropicGroups.join(','),
      'rate-limited',
    ])) as AnthropicRun;
    assert.deepEqual(Object.keys(run.groups), anthropicGroups);
    for (const [group, seen] of Object.entries(run.groups)) {
      assert.match(seen.message.id, /^msg_/, group);
      assert.deepEqual(
        [seen.message.type, seen.message.role, seen.message.model, seen.message.stop_reason],
        ['message', 'assistant', group, 'end_turn'],
      );
      assert.equal(seen.message.text, `Simulated reply to: Hello from Python to ${group}`);
      assert.ok(seen.message.output_tokens > 0, `${group}: usage`);
      assert.equal(seen.stream.text, 'Simulated reply to: Stream from Python', group);
      assert.equal(seen.stream.final_text, seen.stream.text);
      assert.equal(seen.stream.stop_reason, 'end_turn');
      assert.match(seen.stream.id, /^msg_/);
      assert.deepEqual(
        seen.tools,
        {
          stop_reason: 'tool_use',
          name: 'lookup',
          input: { word: 'gateway' },
          answer: 'Simulated answer using the tool result: a place requests pass through',
        },
        group,
      );
      assert.ok(seen.count_tokens > 0, `${group}: count_tokens`);
    }
    const { errors } = run;
    assert.deepEqual(
      [errors.unknown_field!.class, errors.unknown_field!.type],
      ['BadRequestError', 'invalid_request_error'],
    );
    assert.match(errors.unknown_field!.message!, /not_a_field/);
    assert.deepEqual([errors.wrong_type!.class, errors.wrong_type!.status], ['BadRequestError', 400]);
    assert.match(errors.wrong_type!.message!, /top_k/);
    assert.deepEqual([errors.unknown_model!.class, errors.unknown_model!.type], ['NotFoundError', 'not_found_error']);
    assert.deepEqual([errors.bad_key!.class, errors.bad_key!.type], ['AuthenticationError', 'authentication_error']);
    assert.deepEqual(
      [errors.rate_limited!.class, errors.rate_limited!.status, errors.rate_limited!.type],
      ['RateLimitError', 429, 'rate_limit_error'],
    );
    assert.ok(Number(errors.rate_limited!.retry_after) > 0, 'a 429 carries Retry-After');
  });
});
