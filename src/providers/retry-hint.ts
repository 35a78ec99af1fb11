/** Header names providers use to say when to try again. */
export const retryHintHeaders = {
  retryAfterMs: 'retry-after-ms',
  retryAfter: 'retry-after',
} as const;

type HeaderReader = { get(name: string): string | null } | Record<string, string | undefined>;

function readHeader(headers: HeaderReader, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  return (headers as Record<string, string | undefined>)[name];
}

/**
 * Reads a provider's retry hint in milliseconds: `retry-after-ms` first, then `retry-after` as
 * seconds or an HTTP date. Returns undefined when there is no usable hint.
 */
export function parseRetryHint(headers: HeaderReader | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const milliseconds = Number(readHeader(headers, retryHintHeaders.retryAfterMs));
  if (Number.isFinite(milliseconds) && milliseconds >= 0 && readHeader(headers, retryHintHeaders.retryAfterMs)) {
    return milliseconds;
  }
  const retryAfter = readHeader(headers, retryHintHeaders.retryAfter);
  if (!retryAfter) return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
