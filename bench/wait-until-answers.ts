import type { RunningChild } from './child-processes';

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

export interface ProbeRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * POSTs `request` every half second until it gets a 2xx, for at most `timeoutMs`. Fails at once,
 * with their last output, when one of `processes` exits meanwhile.
 */
export async function waitUntilAnswers(
  name: string,
  request: ProbeRequest,
  processes: RunningChild[],
  timeoutMs = 180_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    const dead = processes.find((process) => process.hasExited());
    if (dead) throw new Error(`${dead.name} exited while ${name} was starting:\n${dead.recentOutput()}`);
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...request.headers },
        body: request.body,
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      if (response.ok) return;
      last = `HTTP ${response.status}: ${text.slice(0, 300)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(500);
  }
  throw new Error(
    `${name} did not answer ${request.url} within ${timeoutMs / 1000} s (last: ${last})\n${processes.map((process) => `--- ${process.name}:\n${process.recentOutput()}`).join('\n')}`,
  );
}
