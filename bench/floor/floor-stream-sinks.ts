/** Where a streamed floor call sends its upstream's chunks, and says that the last one has gone. */
export interface FloorStreamSink {
  chunk(chunk: unknown): void;
  /** The upstream's stream ended: the response ends now, as the gateway's does at its last token. */
  done(): void;
}

/**
 * The HTTP responses waiting in this process for a streamed call, keyed by workflow id (the floor
 * worker is the only one on its task queue, so the activity always runs beside the request). The
 * gateway does the same through its stream channel.
 */
export const floorStreamSinks = new Map<string, FloorStreamSink>();
