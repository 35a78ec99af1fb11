import type { ChatRequest, ReasoningEffort } from './canonical-chat';

/**
 * Thinking budget in tokens for an OpenAI-style reasoning effort on Claude (Anthropic or Bedrock).
 * Claude needs at least 1024 tokens of budget, below max_tokens: undefined when that cannot fit.
 */
export function thinkingBudget(effort: ReasoningEffort, maxTokens: number): number | undefined {
  const budgets: Record<ReasoningEffort, number> = {
    none: 0,
    minimal: 1024,
    low: 2048,
    medium: 8192,
    high: 16384,
    xhigh: 32768,
    max: 65536,
  };
  const budget = Math.min(budgets[effort], maxTokens - 1);
  return budget >= 1024 ? budget : undefined;
}

/** The OpenAI reasoning effort nearest an Anthropic thinking budget (adaptive thinking is `medium`). */
export function effortForThinking(thinking: NonNullable<ChatRequest['thinking']>): ReasoningEffort | undefined {
  if (thinking.type === 'disabled') return undefined;
  if (thinking.type === 'adaptive') return 'medium';
  if (thinking.budget_tokens < 2048) return 'low';
  return thinking.budget_tokens < 16384 ? 'medium' : 'high';
}
