// Streaming load: `connections` clients, each sending `stream: true` requests one after the other
// until the duration is up, timing each from the request to the first SSE `data:` chunk that
// carries content (a non-empty `choices[0].delta.content`), and to the end of the stream.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadResult, LoadSpec } from './load-types';
import { percentile } from './statistics';

interface Timing {
  ok: boolean;
  timedOut?: boolean;
  status?: number;
  firstTokenMs?: number;
  totalMs: number;
}

const requestTimeoutMs = 30_000;

function carriesContent(data: string): boolean {
  if (data === '[DONE]') return false;
  try {
    const chunk = JSON.parse(data) as { choices?: Array<{ delta?: { content?: unknown } }> };
    const content = chunk.choices?.[0]?.delta?.content;
    return typeof content === 'string' && content.length > 0;
  } catch {
    return false;
  }
}

function timeOneStream(agent: Agent, url: URL, body: string, headers: Record<string, string>): Promise<Timing> {
  return new Promise((resolve) => {
    const started = performance.now();
    let firstTokenMs: number | undefined;
    let settled = false;
    const settle = (timing: Omit<Timing, 'totalMs'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...timing, firstTokenMs, totalMs: performance.now() - started });
    };
    const outgoing = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...headers,
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        let pending = '';
        response.setEncoding('utf8');
        response.on('data', (text: string) => {
          if (firstTokenMs !== undefined) return;
          pending += text;
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          for (const line of lines) {
            if (line.startsWith('data:') && carriesContent(line.slice(5).trim())) {
              firstTokenMs = performance.now() - started;
              pending = '';
              return;
            }
          }
        });
        response.on('end', () => settle({ ok: status >= 200 && status < 300 && firstTokenMs !== undefined, status }));
        response.on('error', () => settle({ ok: false, status }));
      },
    );
    outgoing.setTimeout(requestTimeoutMs, () => {
      settle({ ok: false, timedOut: true });
      outgoing.destroy();
    });
    outgoing.on('error', () => settle({ ok: false }));
    outgoing.end(body);
  });
}

export async function measureFirstTokens(spec: LoadSpec, onCompleted: () => void): Promise<LoadResult> {
  const url = new URL(spec.url);
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const timings: Timing[] = [];
  const started = performance.now();
  const deadline = started + spec.durationSeconds * 1000;
  const client = async () => {
    while (performance.now() < deadline) {
      const timing = await timeOneStream(agent, url, spec.body, spec.headers);
      timings.push(timing);
      if (timing.ok) onCompleted();
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, client));
  const durationSeconds = (performance.now() - started) / 1000;
  agent.destroy();
  const ok = timings.filter((timing) => timing.ok);
  const firstTokens = ok.map((timing) => timing.firstTokenMs!);
  const totals = ok.map((timing) => timing.totalMs);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    mode: 'first-token',
    durationSeconds,
    latencyP50: round(percentile(totals, 50)),
    latencyP99: round(percentile(totals, 99)),
    requestsPerSecond: ok.length / durationSeconds,
    completed: ok.length,
    errors: timings.filter((timing) => !timing.ok && timing.status === undefined && !timing.timedOut).length,
    timeouts: timings.filter((timing) => timing.timedOut).length,
    // A 2xx stream that never carried content counts here too.
    non2xx: timings.filter((timing) => !timing.ok && timing.status !== undefined).length,
    firstTokenP50: round(percentile(firstTokens, 50)),
    firstTokenP99: round(percentile(firstTokens, 99)),
  };
}
