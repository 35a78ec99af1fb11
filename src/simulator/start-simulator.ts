import type { AddressInfo } from 'node:net';
import { createSimulator, type RecordedRequest } from './create-simulator';
import type { FaultPlan } from './fault-plan';
import type { FaultInput } from './simulator-faults';
import type { GuardrailScriptInput } from './guardrail-scripts';

export interface RunningSimulator {
  /** Root URL; OpenAI clients use `${url}/v1`, Anthropic and Bedrock clients use it as is. */
  url: string;
  /** Base URL of an OpenAI-wire region: `${url}/regions/<region>/v1`. */
  openAIBaseUrl(region?: string): string;
  /** Base URL of an Anthropic-wire region: `${url}/regions/<region>`. */
  anthropicBaseUrl(region?: string): string;
  /** Calls received, keyed `provider/account/region/model`. */
  calls: Map<string, number>;
  /** The newest calls as the routes received them (body and Anthropic headers), oldest first. */
  requests: RecordedRequest[];
  /** The newest call whose route key starts with the prefix. */
  lastRequest(prefix?: string): RecordedRequest | undefined;
  faults: FaultPlan;
  setFaults(faults: FaultInput[]): void;
  /** Scripts ApplyGuardrail's verdicts (terms that block or are masked); none intervene by default. */
  setGuardrails(scripts: GuardrailScriptInput[]): void;
  /** Total calls whose key starts with the given prefix. */
  callCount(prefix?: string): number;
  stop(): Promise<void>;
}

export async function startSimulator(
  options: { port?: number; faults?: FaultInput[] } = {},
): Promise<RunningSimulator> {
  const { app, calls, requests, faults, setGuardrails } = createSimulator();
  if (options.faults) faults.set(options.faults);
  const server = app.listen(options.port ?? 0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    openAIBaseUrl: (region = 'default') => `${url}/regions/${region}/v1`,
    anthropicBaseUrl: (region = 'default') => `${url}/regions/${region}`,
    calls,
    requests,
    lastRequest: (prefix = '') => requests.findLast((recorded) => recorded.route.startsWith(prefix)),
    faults,
    setFaults: (list) => faults.set(list),
    setGuardrails,
    callCount: (prefix = '') =>
      [...calls].filter(([key]) => key.startsWith(prefix)).reduce((sum, [, count]) => sum + count, 0),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
