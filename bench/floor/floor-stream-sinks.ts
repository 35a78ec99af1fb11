/**
 * Where a streamed floor call sends its chunks: the HTTP response waiting in the same process,
 * keyed by workflow id (the floor worker is the only one on its task queue, so the activity
 * always runs beside the request). The gateway does the same through its stream channel.
 */
export const floorStreamSinks = new Map<string, (chunk: unknown) => void>();
