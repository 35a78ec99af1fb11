import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from './canonical-chat';
import { fitRequestToRoute } from './parameter-support';
import { thinkingBudget } from './reasoning-effort';
import { fromOpenAIResponse } from './openai/openai-chat-response';
import { toOpenAIRequest } from './openai/openai-chat-request';
import { toConverseInput } from './bedrock/bedrock-converse-request';

const base: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };
const everything: ChatRequest = {
  ...base,
  n: 2,
  seed: 1,
  frequency_penalty: 0.1,
  presence_penalty: 0.2,
  logprobs: true,
  top_logprobs: 3,
  logit_bias: { '1': 5 },
  top_k: 4,
  metadata: { team: 'a' },
  end_user: 'u',
  openai: { store: true, verbosity: 'low' },
  anthropic: { betas: ['x-2025'], fields: { context_management: { edits: [] }, container: 'c1' } },
};

describe('fitRequestToRoute', () => {
  it('keeps on OpenAI what OpenAI takes, and names the rest', () => {
    const { request, dropped } = fitRequestToRoute('openai', 'gpt-5', everything, false);
    assert.deepEqual(dropped, ['top_k', 'context_management', 'container', 'anthropic-beta']);
    assert.equal(request.n, 2);
    assert.deepEqual(request.openai, { store: true, verbosity: 'low' });
    assert.equal(request.anthropic, undefined);
  });

  it('drops n > 1 and log probabilities on a stream, where one answer without them is carried', () => {
    assert.deepEqual(
      fitRequestToRoute('openai', 'gpt-5', { ...base, n: 3, logprobs: true, top_logprobs: 1 }, true).dropped,
      ['n', 'logprobs', 'top_logprobs'],
    );
    assert.deepEqual(fitRequestToRoute('openai', 'gpt-5', { ...base, n: 1, logprobs: false }, true).dropped, []);
  });

  it('on Anthropic drops the OpenAI-wire sampling extras and platform fields, keeps top_k, thinking and its own fields', () => {
    const { request, dropped } = fitRequestToRoute('anthropic', 'claude-sonnet', everything, false);
    assert.deepEqual(dropped, [
      'n',
      'logprobs',
      'top_logprobs',
      'seed',
      'frequency_penalty',
      'presence_penalty',
      'logit_bias',
      'metadata',
      'store',
      'verbosity',
    ]);
    assert.equal(request.top_k, 4);
    assert.deepEqual(request.anthropic, everything.anthropic);
  });

  it('on Bedrock keeps thinking, top_k and the model-level Anthropic fields for Claude only', () => {
    const thinking: ChatRequest = {
      ...base,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      top_k: 4,
      anthropic: everything.anthropic,
    };
    const claude = fitRequestToRoute('bedrock', 'anthropic.claude-sonnet-v1:0', thinking, false);
    assert.deepEqual(claude.dropped, ['container']);
    assert.deepEqual(claude.request.anthropic, { betas: ['x-2025'], fields: { context_management: { edits: [] } } });
    const titan = fitRequestToRoute('bedrock', 'amazon.titan-text', thinking, false);
    assert.deepEqual(titan.dropped, ['top_k', 'thinking', 'context_management', 'container', 'anthropic-beta']);
  });

  it('turns an Anthropic output_config into a reasoning effort and a response format off Anthropic', () => {
    const asked: ChatRequest = {
      ...base,
      thinking: { type: 'adaptive' },
      anthropic: {
        fields: { output_config: { effort: 'high', format: { type: 'json_schema', schema: { type: 'object' } } } },
      },
    };
    const { request, dropped } = fitRequestToRoute('openai', 'gpt-5', asked, false);
    assert.deepEqual(dropped, []);
    assert.equal(request.reasoning_effort, 'high');
    assert.deepEqual(request.response_format, {
      type: 'json_schema',
      json_schema: { name: 'output', schema: { type: 'object' } },
    });
    assert.equal(toOpenAIRequest('gpt-5', request).reasoning_effort, 'high');
  });

  it('drops a reasoning effort whose thinking budget cannot fit under max_tokens on Claude', () => {
    assert.equal(thinkingBudget('high', 1000), undefined);
    assert.equal(thinkingBudget('high', 4096), 4095);
    assert.deepEqual(
      fitRequestToRoute('anthropic', 'claude', { ...base, max_tokens: 512, reasoning_effort: 'low' }, false).dropped,
      ['reasoning_effort'],
    );
  });

  it('puts Claude-on-Bedrock fields in additionalModelRequestFields, cache points after cached blocks, and thinking blocks as reasoning content', () => {
    const input = toConverseInput('anthropic.claude-sim', {
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Cached', cache_control: { type: 'ephemeral' } }] },
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'a', thinking: [{ type: 'thinking', thinking: 't', signature: 's' }] },
        { role: 'user', content: 'q2' },
      ],
      max_tokens: 4096,
      reasoning_effort: 'low',
      top_k: 3,
      anthropic: { betas: ['b-1'] },
    });
    assert.deepEqual(input.system, [{ text: 'Cached' }, { cachePoint: { type: 'default' } }]);
    assert.deepEqual(input.additionalModelRequestFields, {
      thinking: { type: 'enabled', budget_tokens: 2048 },
      top_k: 3,
      anthropic_beta: ['b-1'],
    });
    assert.deepEqual(input.messages?.[1]?.content?.[0], {
      reasoningContent: { reasoningText: { text: 't', signature: 's' } },
    });
  });
});

describe('OpenAI-wire responses, parsed leniently', () => {
  it("keeps reasoning_content (or vLLM's reasoning), other choices, fingerprint and tier", () => {
    const response = fromOpenAIResponse({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: 'deepseek-reasoner',
      system_fingerprint: 'fp_1',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'A', reasoning_content: 'because', refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
        {
          index: 1,
          message: { role: 'assistant', content: 'B', reasoning: 'vllm style', refusal: null },
          logprobs: null,
          finish_reason: 'length',
        },
      ],
      usage: {
        prompt_tokens: 3,
        completion_tokens: 4,
        total_tokens: 7,
        completion_tokens_details: { reasoning_tokens: 2 },
      },
    } as never);
    assert.equal(response.reasoning, 'because');
    assert.deepEqual(response.moreChoices, [{ content: 'B', finishReason: 'length', reasoning: 'vllm style' }]);
    assert.equal(response.systemFingerprint, 'fp_1');
    assert.equal(response.usage.reasoningTokens, 2);
  });
});
