/**
 * Time a deferrable inference keeps for its attempts after a durable wait: a wait must end this
 * long before the class's deadline, or it is not started. A tenth of the deadline, at most 60 s.
 */
export function deferralMarginMs(deadlineMs: number): number {
  return Math.min(60_000, Math.floor(deadlineMs / 10));
}

/**
 * A spread of up to 5 minutes (a hundredth of the deadline at most) for waits that would otherwise
 * all end at the same instant, such as the start of a budget day. Deterministic: derived from the
 * inference's id, so replay computes the same value.
 */
export function waitJitterMs(id: string, deadlineMs: number): number {
  let hash = 0;
  for (let index = 0; index < id.length; index++) hash = (Math.imul(hash, 31) + id.charCodeAt(index)) >>> 0;
  return hash % Math.max(1, maximumJitterMs(deadlineMs));
}

export function maximumJitterMs(deadlineMs: number): number {
  return Math.min(300_000, Math.floor(deadlineMs / 100));
}

/** Whether a wait of `waitMs` (its spread included) from `elapsedMs` into the inference leaves its attempts their margin. */
export function waitFits(elapsedMs: number, waitMs: number, deadlineMs: number): boolean {
  return elapsedMs + waitMs < deadlineMs - deferralMarginMs(deadlineMs);
}
