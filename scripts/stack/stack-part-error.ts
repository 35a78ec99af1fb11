/**
 * A part of the stack that is missing or failed to start. `npm run stack` prints it as one message
 * naming the part, what went wrong and what was tried, then stops whatever it had started.
 */
export class StackPartError extends Error {
  constructor(
    readonly part: string,
    readonly reason: string,
    readonly tried: string[] = [],
  ) {
    super(`${part}: ${reason}${tried.length > 0 ? `\nTried:\n- ${tried.join('\n- ')}` : ''}`);
    this.name = 'StackPartError';
  }
}
