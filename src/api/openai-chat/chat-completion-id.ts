/** A completion id in OpenAI's form (`chatcmpl-…`), whatever the provider called its answer (`msg_…`, a UUID). */
export function chatCompletionId(id: string): string {
  if (id.startsWith('chatcmpl-')) return id;
  return `chatcmpl-${id.replace(/^msg_/, '').replace(/[^A-Za-z0-9_-]/g, '')}`;
}
