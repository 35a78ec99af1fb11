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

/** Parses OpenAI's reset durations such as `20ms`, `1s`, `6m0s` or `1h2m3.5s` into milliseconds. */
export function parseResetDuration(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const pattern = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  const unitMs: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
  let total = 0;
  let consumed = '';
  for (const [whole, amount, unit] of value.matchAll(pattern)) {
    total += Number(amount) * unitMs[unit!]!;
    consumed += whole;
  }
  return consumed === value.trim() && consumed !== '' ? Math.round(total) : undefined;
}

/** OpenAI's `x-ratelimit-reset-*` hint: when the exhausted window (remaining 0) resets. */
export function openAIRateLimitReset(headers: { get(name: string): string | null } | undefined): number | undefined {
  if (!headers) return undefined;
  const resets = (['requests', 'tokens'] as const)
    .filter((window) => headers.get(`x-ratelimit-remaining-${window}`) === '0')
    .map((window) => parseResetDuration(headers.get(`x-ratelimit-reset-${window}`)))
    .filter((delay): delay is number => delay !== undefined);
  return resets.length > 0 ? Math.max(...resets) : undefined;
}
