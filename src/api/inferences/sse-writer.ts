import type { Response } from 'express';

/**
 * Writes server-sent events to one response; nothing reaches the client before `open`. The status
 * and headers leave with the first write, which follows `open` at once (a session opens to write
 * its first frames): one packet and one system call fewer than flushing the headers on their own.
 */
export class SseWriter {
  private opened = false;

  constructor(private readonly response: Response) {}

  /** True once the status and headers are set for the wire: from then on, errors travel as events. */
  get started(): boolean {
    return this.opened;
  }

  open(headers: Record<string, string>): void {
    this.response.status(200).set({
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    this.opened = true;
  }

  write(frames: string[]): void {
    if (frames.length > 0 && !this.response.writableEnded) this.response.write(frames.join(''));
  }

  end(): void {
    if (!this.response.writableEnded) this.response.end();
  }
}
