import type { FinishReason } from '../canonical-chat';

const finishReasons: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
};

export function mapOpenAIFinishReason(reason: string | null | undefined): FinishReason {
  return (reason && finishReasons[reason]) || 'stop';
}
