import { z } from 'zod';
import type { GuardrailStage } from '../guardrail-verdict';
import type { RemoteCheck } from '../pattern-check';

type WebhookCheck = Extract<RemoteCheck, { type: 'webhook' }>;

/** A remote check that gave no verdict, with a reason fit for logs and the decision record (never a text). */
export class RemoteCheckFailure extends Error {
  constructor(readonly failure: string) {
    super(`remote guardrail check failed: ${failure}`);
  }
}

/** The webhook's answer; `texts` (as many as were sent) replace the texts when it masks. */
const webhookVerdictSchema = z.object({
  action: z.enum(['pass', 'block', 'mask']),
  texts: z.array(z.string()).nullish(),
});
export type WebhookVerdict = z.infer<typeof webhookVerdictSchema>;

function headersFor(check: WebhookCheck, environment: NodeJS.ProcessEnv): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, variable] of Object.entries(check.headersFromEnv)) {
    const value = environment[variable];
    if (!value) throw new RemoteCheckFailure('secret_missing');
    headers[name] = value;
  }
  return headers;
}

/** POSTs `{stage, texts, policy, check}` to the webhook and reads its verdict, within the check's timeout. */
export async function callWebhook(
  check: WebhookCheck,
  body: { stage: GuardrailStage; texts: string[]; policy: string; check: string },
  environment: NodeJS.ProcessEnv,
): Promise<WebhookVerdict> {
  let response: Response;
  try {
    response = await fetch(check.url, {
      method: 'POST',
      headers: headersFor(check, environment),
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(check.timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    if (error instanceof RemoteCheckFailure) throw error;
    throw new RemoteCheckFailure((error as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable');
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new RemoteCheckFailure(`http_${response.status}`);
  }
  let parsed: WebhookVerdict;
  try {
    parsed = webhookVerdictSchema.parse(await response.json());
  } catch (error) {
    throw new RemoteCheckFailure((error as Error).name === 'TimeoutError' ? 'timeout' : 'invalid_verdict');
  }
  if (parsed.action === 'mask' && parsed.texts?.length !== body.texts.length)
    throw new RemoteCheckFailure('invalid_verdict');
  return parsed;
}
