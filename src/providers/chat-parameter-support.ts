/**
 * Which fields of a canonical chat request one model on one provider kind can honour; the others
 * are left out and named (parameter-support.ts). Each kind's module says it per model.
 */
export interface ChatParameterSupport {
  /** OpenAI's wire fields: `n` above 1, log probabilities, seed, penalties, logit bias, audio and non-portable files. */
  openAIWire: boolean;
  /** Anthropic's `output_config` as is; otherwise its effort and format become the OpenAI fields. */
  outputConfig: boolean;
  topK: boolean;
  /** How the model reasons: an OpenAI effort, a Claude thinking budget, or not at all. */
  reasoning: 'effort' | 'thinking-budget' | 'none';
  /** `parallel_tool_calls: false`. */
  parallelToolCallsOff: boolean;
  metadata: boolean;
  /** The end user (OpenAI's `safety_identifier`). */
  endUser: boolean;
  /** OpenAI's custom tools and the other fields kept under `request.openai`. */
  openAIExtensions: boolean;
  /** Anthropic's own fields and server tools: all of them, or the fields named (no server tools). */
  anthropicFields: 'all' | readonly string[];
  /** The `anthropic-beta` flags. */
  anthropicBetas: boolean;
}
