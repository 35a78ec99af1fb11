import { createHash } from 'node:crypto';
import type { ChatRequest } from '../providers/canonical-chat';

/** Request fields that do not change the answer: how it is delivered, and who asks the provider to bill. */
const deliveryFields = new Set(['stream', 'stream_options', 'user', 'metadata']);

/** JSON with object keys sorted at every depth, so equal requests give equal text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined && item !== null)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The exact-cache key of a request: the tenant (always, so no tenant reads another's entry), the
 * model group and the whole canonical request (messages, system, tools, tool_choice,
 * response_format, every sampling parameter, output limits), whichever API it came through.
 */
export function exactCacheKey(tenant: string, modelGroup: string, request: ChatRequest): string {
  return createHash('sha256')
    .update(stableJson({ version: 1, tenant, modelGroup, request: answerFields(request) }))
    .digest('hex');
}

/** The request without the fields that only say how the answer is delivered or billed. */
export function answerFields(request: ChatRequest): Partial<ChatRequest> {
  return Object.fromEntries(Object.entries(request).filter(([field]) => !deliveryFields.has(field)));
}
